import type { Database } from "../db/database.ts";
import { createGroupCommit } from "../db/group-commit.ts";
import { withWorkspace } from "../db/with-workspace.ts";
import type { Logger } from "../log/logger.ts";
import type { AccessAction } from "./actions.ts";
import { recordAudit, type AuditActor } from "./record.ts";

// The access log: who read which customer's data, when and from where — kept in the audit log
// itself, as entries of the access actions (src/audit/actions.ts), so the same Merkle tree, signed
// checkpoints, grants and `parley audit verify` make it append-only and tamper-evident.
//
// Reads are frequent (every thread open), so they are not written in the read's own transaction:
// that would turn each read into a write transaction (a commit, an fsync) and queue every reader of
// a workspace behind the audit head's row lock. Instead the read hands its entry to the recorder and
// answers at once; the recorder appends each workspace's waiting entries in one transaction (group
// commit: one head lock and one commit for the batch). The time of an entry is the time of the read.
// `drain()` waits until every handed-over entry is committed; the HTTP app calls it when it closes,
// after the last request answered, so a clean shutdown never loses an acknowledged read's record. A
// crash can lose the entries of the last batch in flight (milliseconds of reads). When the backlog
// grows past a bound (the database is slow), readers wait for their own entry's commit instead.
//
// What is stored: the actor (member or API key id), ids (conversation, contact, message), the
// caller's network reduced to its /24 (IPv4) or /48 (IPv6) and the user agent's family. Never
// content, names, phone numbers, search terms or the full address.

export type AccessEvent = {
  action: AccessAction;
  target: { type: "conversation" | "contact" | "message" | "workspace"; id: string };
  /** Ids, counts and flags only: `contactId` is what "who accessed this contact's data" looks up. */
  metadata: Record<string, string | number | boolean | null>;
};

export type AccessEntry = AccessEvent & {
  workspaceId: string;
  actor: AuditActor;
  ip: string | null;
  userAgent: string | null;
  at: Date;
};

export type AccessRecorder = {
  /** Hands an entry over; resolves at once, or on its commit when the backlog is over its bound. */
  record(entry: AccessEntry): Promise<void>;
  /** Resolves when every entry handed over so far is committed (or its failure was logged). */
  drain(): Promise<void>;
  /** Entries handed over and not yet committed. */
  backlog(): number;
};

const MAX_BATCH = 200;
/** Past this many uncommitted entries, readers wait for their own entry (backpressure). */
const MAX_BACKLOG = 5_000;

export function createAccessRecorder(options: { db: Database; logger: Logger; maxBacklog?: number }): AccessRecorder {
  const maxBacklog = options.maxBacklog ?? MAX_BACKLOG;
  const inFlight = new Set<Promise<void>>();
  const commits = createGroupCommit<AccessEntry, void>(
    async (workspaceId, entries) => {
      await withWorkspace(options.db, { workspaceId }, async (trx) => {
        for (const entry of entries) {
          await recordAudit(
            trx,
            {
              workspaceId,
              actor: entry.actor,
              action: entry.action,
              target: entry.target,
              ip: entry.ip,
              userAgent: entry.userAgent,
              metadata: entry.metadata,
            },
            { now: () => entry.at },
          );
        }
      });
      return entries.map(() => undefined);
    },
    { maxBatch: MAX_BATCH },
  );

  function record(entry: AccessEntry): Promise<void> {
    const committed = commits.submit(entry.workspaceId, entry).catch((error: unknown) => {
      // Ids and the error's class only: the entry holds no personal data, the error may quote SQL.
      options.logger.error(
        {
          component: "access-log",
          workspaceId: entry.workspaceId,
          action: entry.action,
          err: error instanceof Error ? error.name : "unknown",
        },
        "an access log entry could not be written",
      );
    });
    inFlight.add(committed);
    void committed.finally(() => inFlight.delete(committed));
    return inFlight.size > maxBacklog ? committed : Promise.resolve();
  }

  return {
    record,
    async drain() {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    backlog: () => inFlight.size,
  };
}
