import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditEntries, createContactsWorld, errorCode, type ContactsWorld, type Json } from "./support.ts";

// CSV import: one report line for every data row (created, updated, unchanged or invalid with the
// column and the reason), duplicates inside the file reported, a dry run that writes nothing, valid
// rows applied together with one audit entry of counts, and files refused as a whole only when
// they cannot be read.

let world: ContactsWorld;

beforeAll(async () => {
  world = await createContactsWorld();
});
afterAll(async () => {
  await world?.close();
});

type Report = {
  rows: Array<{ row: number; status: string; errors: Array<{ column: string | null; message: string }> }>;
  summary: {
    rows: number;
    created: number;
    updated: number;
    unchanged: number;
    invalid: number;
    dryRun: boolean;
    ignoredColumns: string[];
  };
};

async function importCsv(csv: string, dryRun?: boolean): Promise<Report> {
  const answer = await world.call(world.owner, "POST", `${world.contacts()}/import`, dryRun === undefined ? { csv } : { csv, dryRun });
  expect(answer.status, answer.text).toBe(200);
  return answer.json as unknown as Report;
}

async function findByPhone(phone: string): Promise<Json | undefined> {
  const answer = await world.call(world.owner, "GET", `${world.contacts()}?phone=${encodeURIComponent(phone)}`);
  const [summary] = answer.json.data as Array<{ id: string }>;
  if (!summary) return undefined;
  return (await world.call(world.owner, "GET", `${world.contacts()}/${summary.id}`)).json;
}

/** Row counts that a dry run must leave as they are. */
async function snapshot(): Promise<Json> {
  const count = async (table: "contacts" | "contact_tags" | "data_keys" | "audit_entries") =>
    Number(
      (
        await world.db.owner
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const rows = await world.db.owner
    .selectFrom("contacts")
    .select(["id", "name_ciphertext", "custom_fields_ciphertext", "consent_status", "updated_at"])
    .orderBy("id")
    .execute();
  return {
    contacts: await count("contacts"),
    tags: await count("contact_tags"),
    dataKeys: await count("data_keys"),
    audit: await count("audit_entries"),
    rows,
  };
}

describe("a file with good and bad rows", () => {
  const file = [
    "\uFEFFPhone,Name,Tags,Consent,field:city,field:plan",
    "+49 151 4000 0001,Ada Import,VIP; Newsletter,opted_in,London,gold", // 2 created
    "0151 4000 0002,No Country Code,,,,", // 3 invalid phone
    "+4915140000003,Tagged Wrong,good|bad tag!,,,", // 4 invalid tag
    "+4915140000004,Consent Wrong,,maybe,,", // 5 invalid consent
    "", // 6 blank line: skipped
    "+4915140000005,Too Few Cells", // 7 invalid cell count
    "+4915140000006,Bo Import,lead|Partner,opted_out,,silver", // 8 created
    "+49 151 4000 0001,Ada Again,,,,", // 9 duplicate of row 2
    ",Missing Phone,,,,", // 10 invalid: no phone
    `+4915140000007,"Quote ""Q"" Person, Jr.",,,"Line one\nline two",`, // 11 created (quoted cells)
    `+4915140000008,${"n".repeat(201)},,,,`, // 12 invalid name
    `+4915140000009,Field Too Long,,,${"x".repeat(1001)},`, // 13 invalid field value
    "",
  ].join("\r\n");

  it("reports every row in a dry run and writes nothing", async () => {
    const before = await snapshot();
    const report = await importCsv(file, true);
    expect(report.summary).toEqual({ rows: 11, created: 3, updated: 0, unchanged: 0, invalid: 8, dryRun: true, ignoredColumns: [] });
    expect(report.rows.map((row) => [row.row, row.status])).toEqual([
      [2, "created"],
      [3, "invalid"],
      [4, "invalid"],
      [5, "invalid"],
      [7, "invalid"],
      [8, "created"],
      [9, "invalid"],
      [10, "invalid"],
      [11, "created"],
      [12, "invalid"],
      [13, "invalid"],
    ]);
    const errorsOf = (row: number) => report.rows.find((line) => line.row === row)!.errors;
    expect(errorsOf(3)).toEqual([{ column: "Phone", message: expect.stringMatching(/international phone number/) }]);
    expect(errorsOf(4)).toEqual([{ column: "Tags", message: expect.stringMatching(/Tags are 1–64 characters/) }]);
    expect(errorsOf(5)).toEqual([{ column: "Consent", message: expect.stringMatching(/opted_in, opted_out or unknown/) }]);
    expect(errorsOf(7)).toEqual([{ column: null, message: expect.stringMatching(/2 cells but the header has 6/) }]);
    expect(errorsOf(9)).toEqual([{ column: "phone", message: "The same phone number is already on row 2; each contact may appear once." }]);
    expect(errorsOf(10)).toEqual([{ column: "Phone", message: "The phone number is missing." }]);
    expect(errorsOf(12)).toEqual([{ column: "Name", message: expect.stringMatching(/at most 200/) }]);
    expect(errorsOf(13)).toEqual([{ column: "field:city", message: expect.stringMatching(/at most 1,000/) }]);
    expect(report.rows.filter((row) => row.status !== "invalid").every((row) => row.errors.length === 0)).toBe(true);
    // Reasons never repeat the file's values back.
    expect(JSON.stringify(report)).not.toMatch(/4915140000|Ada|London|Jr\./);

    expect(await snapshot()).toEqual(before);
    expect(await findByPhone("+4915140000001")).toBeUndefined();
  });

  it("applies the valid rows, with one audit entry of counts only", async () => {
    const report = await importCsv(file);
    expect(report.summary).toEqual({ rows: 11, created: 3, updated: 0, unchanged: 0, invalid: 8, dryRun: false, ignoredColumns: [] });

    expect(await findByPhone("+4915140000001")).toMatchObject({
      name: "Ada Import",
      tags: ["newsletter", "vip"],
      customFields: { city: "London", plan: "gold" },
      consent: { status: "opted_in", source: "import" },
    });
    expect(await findByPhone("+4915140000006")).toMatchObject({
      name: "Bo Import",
      tags: ["lead", "partner"],
      customFields: { plan: "silver" },
      consent: { status: "opted_out", source: "import" },
    });
    expect(await findByPhone("+4915140000007")).toMatchObject({
      name: 'Quote "Q" Person, Jr.',
      tags: [],
      customFields: { city: "Line one\nline two" },
      consent: { status: "unknown", source: null },
    });
    for (const phone of ["+4915140000003", "+4915140000004", "+4915140000005", "+4915140000008", "+4915140000009"]) {
      expect(await findByPhone(phone), phone).toBeUndefined();
    }

    const entries = await auditEntries(world, world.workspaceA, ["contacts.imported"]);
    expect(entries).toHaveLength(1);
    expect(entries[0]!.metadata).toEqual({ rows: 11, created: 3, updated: 0, unchanged: 0, invalid: 8, consentChanged: 2 });
    expect(entries[0]!.target_id).toBeNull();
  });

  it("reports the same file again as unchanged, and updates what a later file changes", async () => {
    const again = await importCsv(file);
    expect(again.summary).toMatchObject({ created: 0, updated: 0, unchanged: 3, invalid: 8 });

    const changes = [
      "phone,name,tags,consent,field:city,field:zip",
      "+4915140000001,,new-tag,,,10115", // tags added, a field added, the name kept
      "+4915140000006,Bo Renamed,,opted_out,,", // renamed; same consent is no change
      "+4915140000007,,,opted_in,,", // consent changed
      "+4915140000010,Fresh,,,,", // created
    ].join("\n");
    const dry = await importCsv(changes, true);
    expect(dry.rows.map((row) => row.status)).toEqual(["updated", "updated", "updated", "created"]);
    const report = await importCsv(changes);
    expect(report.rows.map((row) => row.status)).toEqual(["updated", "updated", "updated", "created"]);

    expect(await findByPhone("+4915140000001")).toMatchObject({
      name: "Ada Import",
      tags: ["new-tag", "newsletter", "vip"],
      customFields: { city: "London", plan: "gold", zip: "10115" },
      consent: { status: "opted_in", source: "import" },
    });
    expect(await findByPhone("+4915140000006")).toMatchObject({ name: "Bo Renamed", consent: { status: "opted_out" } });
    expect(await findByPhone("+4915140000007")).toMatchObject({ consent: { status: "opted_in", source: "import" } });
    const entries = await auditEntries(world, world.workspaceA, ["contacts.imported"]);
    expect(entries.at(-1)!.metadata).toEqual({ rows: 4, created: 1, updated: 3, unchanged: 0, invalid: 0, consentChanged: 1 });
  });

  it("reports a row that would take a contact past 50 tags, and applies the others", async () => {
    const many = Array.from({ length: 30 }, (_, index) => `bulk-${index}`).join(";");
    const more = Array.from({ length: 30 }, (_, index) => `more-${index}`).join(";");
    const first = await importCsv(`phone,tags\n+4915140000020,${many}\n`);
    expect(first.rows[0]!.status).toBe("created");
    const report = await importCsv(`phone,tags\n+4915140000020,${more}\n+4915140000021,fine\n`);
    expect(report.rows).toEqual([
      { row: 2, status: "invalid", errors: [{ column: "tags", message: expect.stringMatching(/more than 50/) }] },
      { row: 3, status: "created", errors: [] },
    ]);
    expect(((await findByPhone("+4915140000020")) as { tags: string[] }).tags).toHaveLength(30);
  });
});

describe("files refused as a whole", () => {
  it.each([
    ["no phone column", "name,tags\nAda,vip\n", /one of them must be phone/],
    ["an unknown column", "phone,email\n+4915140000100,a@example.test\n", /does not know this column/],
    ["a column twice", "phone,name,Name\n+4915140000100,a,b\n", /appears twice/],
    ["a bad custom field name", "phone,field:Bad-Key\n+4915140000100,x\n", /Custom field names/],
    ["an unterminated quote", 'phone,name\n+4915140000100,"open\n', /not valid CSV/],
    ["text after a closing quote", 'phone,name\n+4915140000100,"a"b\n', /not valid CSV/],
    ["a header only", "phone,name\r\n\r\n", /no contacts/],
    ["a blank header", "\n+4915140000100\n", /empty/],
  ])("refuses a file with %s", async (_, csv, message) => {
    const before = await snapshot();
    // As the Admin (who may import too), so the Owner's import rate limit is left for the other tests.
    const answer = await world.call(world.admin, "POST", `${world.contacts()}/import`, { csv });
    expect([answer.status, errorCode(answer.json)]).toEqual([422, "UNPROCESSABLE"]);
    expect((answer.json.error as Json).message as string).toMatch(message);
    expect(await snapshot()).toEqual(before);
  });

  it("names a refused header column by its position, never by the file's text", async () => {
    const answer = await world.call(world.admin, "POST", `${world.contacts()}/import`, {
      csv: "phone,HEADER-CANARY,field:CANARY-KEY,phone\n+4915140000100,a,b,c\n",
      dryRun: true,
    });
    expect([answer.status, errorCode(answer.json)]).toEqual([422, "UNPROCESSABLE"]);
    expect((answer.json.error as Json).message).toMatch(
      /^The header row of the file cannot be used\. Column #2: Parley does not know this column/,
    );
    expect((answer.json.error as Json).details).toEqual([
      { column: "#2", message: expect.stringMatching(/does not know this column/) },
      { column: "#3", message: expect.stringMatching(/Custom field names/) },
      { column: "#4", message: expect.stringMatching(/appears twice/) },
    ]);
    expect(answer.text).not.toMatch(/CANARY/);
  });

  it("refuses more than 10,000 rows and more than 5 MB", async () => {
    const rows = Array.from({ length: 10_001 }, (_, index) => `+4917${String(index).padStart(9, "0")}`);
    const tooMany = await world.call(world.admin, "POST", `${world.contacts()}/import`, {
      csv: `phone\n${rows.join("\n")}\n`,
      dryRun: true,
    });
    expect([tooMany.status, errorCode(tooMany.json)]).toEqual([422, "UNPROCESSABLE"]);
    expect((tooMany.json.error as Json).message).toMatch(/more than 10,000 rows/);
    const tooLarge = await world.call(world.admin, "POST", `${world.contacts()}/import`, {
      csv: `phone,name\n+4915140000100,${"x".repeat(5 * 1024 * 1024)}\n`,
      dryRun: true,
    });
    expect([400, 413]).toContain(tooLarge.status);
    expect(["VALIDATION_FAILED", "PAYLOAD_TOO_LARGE"]).toContain(errorCode(tooLarge.json));
  });

  it("refuses unknown body fields and a missing file", async () => {
    for (const body of [{}, { csv: "" }, { csv: "phone\n+4915140000100\n", apply: true }]) {
      const answer = await world.call(world.admin, "POST", `${world.contacts()}/import`, body);
      expect([answer.status, errorCode(answer.json)]).toEqual([400, "VALIDATION_FAILED"]);
    }
  });
});

describe("a large file", () => {
  it("imports 1,200 rows (several batches) in one go and reports each", async () => {
    const lines = Array.from(
      { length: 1_200 },
      (_, index) =>
        `+4916${String(index).padStart(9, "0")},Person ${index},bulk|batch-${index % 7},${index % 2 ? "opted_in" : ""},v${index}`,
    );
    const report = await importCsv(`phone,name,tags,consent,field:ref\n${lines.join("\n")}\n`);
    expect(report.summary).toMatchObject({ rows: 1_200, created: 1_200, invalid: 0 });
    expect(report.rows.map((row) => row.row)).toEqual(Array.from({ length: 1_200 }, (_, index) => index + 2));
    expect(await findByPhone("+4916000001199")).toMatchObject({
      name: "Person 1199",
      tags: ["batch-2", "bulk"],
      consent: { status: "opted_in" },
      customFields: { ref: "v1199" },
    });
    const tagged = await world.call(world.owner, "GET", `${world.contacts()}?tag=batch-3&limit=100`);
    expect((tagged.json.data as unknown[]).length).toBe(100);
  });
});

describe("logs", () => {
  it("never hold a phone number, a name or a custom field value from the files", () => {
    const text = world.logs.text();
    for (const canary of ["4915140000001", "Ada Import", "London", "Bo Renamed", "Person 1199", "4916000001199"]) {
      expect(text).not.toContain(canary);
    }
  });
});
