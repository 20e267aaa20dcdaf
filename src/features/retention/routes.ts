import { z } from "zod";
import { defineRoute } from "../../http/define-route.ts";
import { requireRecentReauth } from "../../identity/authenticator.ts";
import {
  getRetentionFor,
  MAX_RETENTION_DAYS,
  MIN_RETENTION_DAYS,
  previewRetentionFor,
  saveRetentionFor,
  type RetentionPolicy,
} from "./service.ts";

// The workspace's retention policy under /api/v1/workspaces/:workspaceId/settings/retention:
// read, preview (counts only, nothing deleted) and save. retention.manage is the Owner's: a policy
// deletes conversations every member works in. Saving is as sensitive as an erasure (DESIGN §6):
// it needs a session that confirmed its password within 5 minutes, never an API key.

const workspaceParams = z.strictObject({ workspaceId: z.uuid() });

const days = z
  .number()
  .int()
  .min(MIN_RETENTION_DAYS)
  .max(MAX_RETENTION_DAYS)
  .nullable()
  .describe(`Days after which rows of this kind are deleted (${MIN_RETENTION_DAYS}–${MAX_RETENTION_DAYS}); null: kept (off, the default).`);

const policyBody = z.strictObject({
  messagesDays: days.describe("Messages older than this many days are deleted, with their media files; null: off."),
  closedConversationsDays: days.describe(
    "Conversations closed more than this many days ago are deleted with their messages, notes and media; null: off.",
  ),
  notesDays: days.describe("Internal notes older than this many days are deleted; null: off."),
  uploadsDays: days.describe(
    "Uploads never sent, older than this many days, are deleted with their files; null: off. A sent upload is its message's media and follows the messages policy.",
  ),
});

const AUDIT_NOTE =
  "The audit log is never subject to retention: it is the tamper-evident record (hash chain with signed checkpoints) that deletions would break, it must outlive what it records, and it holds ids and counts only, never content.";

const policyResponse = z.object({
  messagesDays: z.number().int().nullable(),
  closedConversationsDays: z.number().int().nullable(),
  notesDays: z.number().int().nullable(),
  uploadsDays: z.number().int().nullable(),
  updatedAt: z.iso.datetime().nullable(),
  auditLog: z.literal("kept").describe(AUDIT_NOTE),
});

const countsResponse = z.object({
  messages: z.number().int(),
  closedConversations: z.number().int(),
  notes: z.number().int(),
  uploads: z.number().int(),
});

function presentPolicy(policy: RetentionPolicy & { updatedAt: Date | null }): z.input<typeof policyResponse> {
  return {
    messagesDays: policy.messagesDays,
    closedConversationsDays: policy.closedConversationsDays,
    notesDays: policy.notesDays,
    uploadsDays: policy.uploadsDays,
    updatedAt: policy.updatedAt?.toISOString() ?? null,
    auditLog: "kept",
  };
}

export const retentionRoutes = [
  defineRoute({
    method: "GET",
    url: "/api/v1/workspaces/:workspaceId/settings/retention",
    summary: `Reads the workspace's retention policy: each kind is off (null, the default) or deleted after N days. ${AUDIT_NOTE}`,
    tags: ["settings"],
    permission: "retention.manage",
    caller: true,
    schema: { params: workspaceParams, response: { 200: policyResponse } },
    handler: async ({ services, caller }) => presentPolicy(await getRetentionFor(services, caller)),
  }),
  defineRoute({
    method: "POST",
    url: "/api/v1/workspaces/:workspaceId/settings/retention/preview",
    summary:
      "Counts what a proposed policy would delete if it were applied now, per kind (closed conversations count as conversations). Deletes nothing.",
    tags: ["settings"],
    permission: "retention.manage",
    caller: true,
    errors: ["VALIDATION_FAILED"],
    rateLimit: { limit: 30, windowMs: 60_000, key: "user" },
    schema: { params: workspaceParams, body: policyBody, response: { 200: countsResponse } },
    handler: async ({ services, caller, body }) => previewRetentionFor(services, caller, body),
  }),
  defineRoute({
    method: "PUT",
    url: "/api/v1/workspaces/:workspaceId/settings/retention",
    summary: `Saves the retention policy; a schedule applies it hourly in bounded batches, audited with counts. Needs a recent re-authentication; audited with the settings. ${AUDIT_NOTE}`,
    tags: ["settings"],
    permission: "retention.manage",
    caller: true,
    errors: ["REAUTHENTICATION_REQUIRED", "VALIDATION_FAILED"],
    schema: { params: workspaceParams, body: policyBody, response: { 200: policyResponse } },
    handler: async ({ services, caller, body, auth }) => {
      requireRecentReauth(auth);
      return presentPolicy(await saveRetentionFor(services, caller, body));
    },
  }),
];
