import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { withWorkspace } from "../../db/with-workspace.ts";
import { testEngine } from "../../../test/support/engine.ts";
import { seedConversationRows, withNonSuperuserOwner } from "../../../test/support/owner-database.ts";
import { readAnalyticsSummary } from "./repository.ts";

// Production-shaped PostgreSQL: the owner that runs migrations is not a superuser, so forced RLS
// applies to the SECURITY DEFINER analytics function too. It must still count every message of the
// workspace for an Analyst (the restrictive `_not_analyst` policies must not hide them from it),
// count nothing of other workspaces, and hand the Analyst's `parley.role` back unchanged. The test
// suite's own owner is a superuser, and PGlite's always is, so this runs on the PostgreSQL pass only.

describe.runIf(testEngine === "postgres")("analytics with an owner that is not a superuser", () => {
  it("counts the workspace's messages for an Analyst, who still reads none of them", { timeout: 60_000 }, async () => {
    await withNonSuperuserOwner(async (db) => {
      const seed = async (workspaceId: string, replies: number) => {
        await withWorkspace(db, { workspaceId }, async (trx) => {
          const { contactId: contact, numberId: number, conversationId: conversation } = await seedConversationRows(trx, workspaceId);
          await sql`insert into messages (workspace_id, id, conversation_id, contact_id, number_id, phone_number_id, direction, type, status, occurred_at)
                    values (${workspaceId}, ${randomUUID()}, ${conversation}, ${contact}, ${number}, '2', 'in', 'text', 'received', now() - interval '1 hour')`.execute(
            trx,
          );
          for (let index = 0; index < replies; index += 1) {
            await sql`insert into messages (workspace_id, id, conversation_id, contact_id, number_id, phone_number_id, direction, type, status, occurred_at)
                      values (${workspaceId}, ${randomUUID()}, ${conversation}, ${contact}, ${number}, '2', 'out', 'text', 'read', now() - interval '50 minutes')`.execute(
              trx,
            );
          }
        });
      };
      const workspaceId = randomUUID();
      await seed(workspaceId, 1);
      await seed(randomUUID(), 4);
      const seen = await withWorkspace(db, { workspaceId, role: "analyst" }, async (trx) => {
        const summary = await readAnalyticsSummary(trx);
        const rows = await sql<{ n: number }>`select count(*)::int as n from messages`.execute(trx);
        const role = await sql<{ role: string }>`select current_setting('parley.role', true) as role`.execute(trx);
        return { summary, messageRows: rows.rows[0]!.n, role: role.rows[0]!.role };
      });
      expect(seen.messageRows).toBe(0);
      expect(seen.role).toBe("analyst");
      expect(seen.summary.outbound).toMatchObject({ total: 1, read: 1 });
      expect(seen.summary.conversations).toEqual({ open: 1, closed: 0, unassigned: 1 });
      expect(seen.summary.firstResponse).toEqual({ medianSeconds: 600, answered: 1, waiting: 0 });
    });
  });
});
