import { z } from "zod";
import type { Database } from "../../db/database.ts";
import { withoutWorkspace } from "../../db/with-workspace.ts";
import { defineJob } from "../../jobs/definition.ts";
import { defineSchedule } from "../../jobs/schedule.ts";
import type { JobDependencies } from "../../services.ts";
import { pruneEndedInvitations } from "./repository.ts";

// Minimization: an invitation keeps the invitee's e-mail address while it can be used, and for 30
// days after it ended (accepted, revoked or expired) so the members screen can show it; then the
// row is deleted. The audit log keeps the invitation's id and what happened to it, never the address.

/** Deletes the invitations of every workspace that ended over 30 days ago; returns how many. */
export function pruneInvitations(db: Database): Promise<number> {
  return withoutWorkspace(db, (trx) => pruneEndedInvitations(trx));
}

export const pruneInvitationsJob = defineJob({
  queue: "invitations.prune",
  payload: z.strictObject({}),
  retry: { maxAttempts: 3 },
  createHandler:
    ({ services }: JobDependencies) =>
    async () => {
      const pruned = await pruneInvitations(services.db);
      if (pruned > 0) services.logger.info({ component: "invitations", pruned }, "ended invitations past 30 days deleted");
    },
});

export const pruneInvitationsSchedule = defineSchedule({
  name: "invitations.prune",
  every: 60 * 60_000,
  job: pruneInvitationsJob,
  payload: {},
});
