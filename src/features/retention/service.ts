import { recordAudit } from "../../audit/record.ts";
import { enqueueBlobDeletion } from "../../blob/deletion.ts";
import { withWorkspace, withoutWorkspace } from "../../db/with-workspace.ts";
import type { Tx } from "../../db/database.ts";
import { asCaller, recordCallerAudit, type Caller } from "../../identity/caller.ts";
import type { Services } from "../../services.ts";
import {
  countRetained,
  deleteOldClosedConversations,
  deleteOldMessages,
  deleteOldNotes,
  deleteOldUploads,
  findRetentionPolicy,
  listWorkspacesWithRetention,
  OFF_POLICY,
  saveRetentionPolicy,
  type DeletedBatch,
  type RetentionCounts,
  type RetentionKind,
  type RetentionPolicy,
} from "./repository.ts";

// Retention policies (issue #17 point 3): per workspace, messages (with their media), closed
// conversations, internal notes and unsent uploads older than N days are deleted — each kind off
// by default. A preview counts what a proposed policy would delete now; saving needs the Owner's
// recent re-authentication and is audited with the settings. A schedule applies the policies in
// bounded batches (BATCH_SIZE rows per statement, each batch its own transaction, a time budget
// per run), and one audit entry per workspace and run carries the counts, never a row.
//
// The audit log is never subject to retention: it is the tamper-evident record of who did what
// (a hash chain with signed checkpoints), so deleting its old entries would break verification,
// and it holds ids and counts only, never message content.

export { OFF_POLICY, type RetentionCounts, type RetentionPolicy };

/** Bounds of a policy's days: at least a day (nothing is deleted the day it is written), at most a century. */
export const MIN_RETENTION_DAYS = 1;
export const MAX_RETENTION_DAYS = 36_500;
/** Rows deleted per statement, and how long one run may keep deleting before leaving the rest to the next. */
export const BATCH_SIZE = 1_000;
export const CONVERSATION_BATCH_SIZE = 100;
export const RUN_BUDGET_MS = 20_000;
const MAX_WORKSPACES = 1_000;
const DAY_MS = 24 * 60 * 60_000;

const DAYS_OF: Record<RetentionKind, keyof RetentionPolicy> = {
  messages: "messagesDays",
  closedConversations: "closedConversationsDays",
  notes: "notesDays",
  uploads: "uploadsDays",
};
const KINDS = Object.keys(DAYS_OF) as RetentionKind[];

/** The cutoff of each kind that is on: rows older than it are deleted. */
export function cutoffsOf(policy: RetentionPolicy, now: Date): Partial<Record<RetentionKind, Date>> {
  const cutoffs: Partial<Record<RetentionKind, Date>> = {};
  for (const kind of KINDS) {
    const days = policy[DAYS_OF[kind]];
    if (days !== null) cutoffs[kind] = new Date(now.getTime() - days * DAY_MS);
  }
  return cutoffs;
}

export async function getRetentionFor(services: Services, caller: Caller): Promise<RetentionPolicy & { updatedAt: Date | null }> {
  return asCaller(
    services,
    caller,
    async (trx) => (await findRetentionPolicy(trx, caller.workspaceId)) ?? { ...OFF_POLICY, updatedAt: null },
  );
}

/** How many rows of each kind `policy` would delete if it were applied now. Deletes nothing. */
export async function previewRetentionFor(
  services: Services,
  caller: Caller,
  policy: RetentionPolicy,
  now: Date = new Date(),
): Promise<RetentionCounts> {
  return asCaller(services, caller, (trx) => countRetained(trx, caller.workspaceId, cutoffsOf(policy, now)));
}

/** Saves the policy; audited with the settings before and after (numbers of days, nothing else). */
export async function saveRetentionFor(
  services: Services,
  caller: Caller,
  policy: RetentionPolicy,
): Promise<RetentionPolicy & { updatedAt: Date | null }> {
  return asCaller(services, caller, async (trx) => {
    const previous = (await findRetentionPolicy(trx, caller.workspaceId)) ?? { ...OFF_POLICY, updatedAt: null };
    await saveRetentionPolicy(trx, caller.workspaceId, policy, caller.userId);
    await recordCallerAudit(trx, caller, {
      action: "retention.changed",
      target: { type: "workspace", id: caller.workspaceId },
      metadata: {
        ...policyMetadata(policy),
        previousMessagesDays: previous.messagesDays,
        previousClosedConversationsDays: previous.closedConversationsDays,
        previousNotesDays: previous.notesDays,
        previousUploadsDays: previous.uploadsDays,
      },
    });
    return (await findRetentionPolicy(trx, caller.workspaceId))!;
  });
}

/** A policy as audit metadata: the numbers of days only. */
function policyMetadata(policy: RetentionPolicy): Record<keyof RetentionPolicy, number | null> {
  return {
    messagesDays: policy.messagesDays,
    closedConversationsDays: policy.closedConversationsDays,
    notesDays: policy.notesDays,
    uploadsDays: policy.uploadsDays,
  };
}

const DELETERS: Record<
  RetentionKind,
  { size: number; run: (trx: Tx, workspaceId: string, cutoff: Date, limit: number) => Promise<DeletedBatch> }
> = {
  messages: { size: BATCH_SIZE, run: deleteOldMessages },
  closedConversations: { size: CONVERSATION_BATCH_SIZE, run: deleteOldClosedConversations },
  notes: { size: BATCH_SIZE, run: deleteOldNotes },
  uploads: { size: BATCH_SIZE, run: deleteOldUploads },
};

export type RetentionRun = { counts: RetentionCounts; batches: number; isComplete: boolean };

/**
 * Applies a workspace's policy: batch after batch, each in its own transaction with the deletion of
 * its files enqueued in it (outbox), until nothing is left or `deadline` passes — a crash loses at
 * most the batch in progress, and the next run continues. One audit entry carries the counts.
 */
export async function applyWorkspaceRetention(
  services: Pick<Services, "db">,
  workspaceId: string,
  options: { now: Date; deadline: number; batchSizes?: Partial<Record<RetentionKind, number>>; maxBatches?: number },
): Promise<RetentionRun> {
  const policy = await withWorkspace(services.db, { workspaceId }, (trx) => findRetentionPolicy(trx, workspaceId));
  const run: RetentionRun = { counts: { messages: 0, closedConversations: 0, notes: 0, uploads: 0 }, batches: 0, isComplete: true };
  if (!policy) return run;
  const cutoffs = cutoffsOf(policy, options.now);
  // Closed conversations first: their messages and notes go with them in fewer statements.
  for (const kind of ["closedConversations", "messages", "notes", "uploads"] as const) {
    const cutoff = cutoffs[kind];
    if (!cutoff) continue;
    const deleter = DELETERS[kind];
    const size = options.batchSizes?.[kind] ?? deleter.size;
    for (;;) {
      if (Date.now() > options.deadline || (options.maxBatches !== undefined && run.batches >= options.maxBatches)) {
        run.isComplete = false;
        break;
      }
      const batch = await withWorkspace(services.db, { workspaceId }, async (trx) => {
        const deleted = await deleter.run(trx, workspaceId, cutoff, size);
        if (deleted.blobKeys.length > 0) await enqueueBlobDeletion(trx, workspaceId, deleted.blobKeys);
        return deleted.deleted;
      });
      run.batches += 1;
      run.counts[kind] += batch;
      if (batch < size) break;
    }
    if (!run.isComplete) break;
  }
  if (KINDS.some((kind) => run.counts[kind] > 0)) {
    await withWorkspace(services.db, { workspaceId }, (trx) =>
      recordAudit(trx, {
        workspaceId,
        actor: { type: "system", id: null },
        action: "retention.applied",
        target: { type: "workspace", id: workspaceId },
        metadata: { ...run.counts, complete: run.isComplete, ...policyMetadata(policy) },
      }),
    );
  }
  return run;
}

/** One run over every workspace with a policy on, within a time budget. A workspace that fails is logged and left for the next run. */
export async function applyRetentionPolicies(
  services: Pick<Services, "db" | "logger">,
  options: { now?: Date; budgetMs?: number } = {},
): Promise<{ workspaces: number; counts: RetentionCounts }> {
  const now = options.now ?? new Date();
  const deadline = Date.now() + (options.budgetMs ?? RUN_BUDGET_MS);
  const listed = await withoutWorkspace(services.db, (trx) => listWorkspacesWithRetention(trx, MAX_WORKSPACES));
  const total: RetentionCounts = { messages: 0, closedConversations: 0, notes: 0, uploads: 0 };
  let workspaces = 0;
  for (const workspaceId of listed) {
    if (Date.now() > deadline) break;
    try {
      const run = await applyWorkspaceRetention(services, workspaceId, { now, deadline });
      if (KINDS.some((kind) => run.counts[kind] > 0)) workspaces += 1;
      for (const kind of KINDS) total[kind] += run.counts[kind];
    } catch (error) {
      services.logger.error(
        { err: error, component: "retention", workspaceId },
        "could not apply a workspace's retention policy; the next run tries again",
      );
    }
  }
  if (workspaces > 0) services.logger.info({ component: "retention", workspaces, ...total }, "retention policies applied");
  return { workspaces, counts: total };
}
