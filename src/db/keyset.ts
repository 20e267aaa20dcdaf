// Keyset paging: a page resumes after the sort key and id of the previous page's last row, so a
// page costs the same wherever it is and rows inserted meanwhile are neither skipped nor repeated.

/** A keyset position: the sort key (a Date, or the exact ISO text of a cursor) and the row id. */
export type KeysetPosition = { at: Date | string; id: string };

export function keysetTime(at: Date | string): string {
  return typeof at === "string" ? at : at.toISOString();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A page's cursor, opaque to clients: base64url of the last row's sort key and id. The sort key is
 * ISO text, with the microseconds PostgreSQL keeps where the row has them.
 */
export function encodeKeysetCursor(at: Date | string, id: string): string {
  return Buffer.from(JSON.stringify([keysetTime(at), id]), "utf8").toString("base64url");
}

/**
 * The position a cursor names, or undefined for anything this module did not make: the sort key
 * must match `sortKey` and the id `id` (a UUID unless given), so a forged cursor never reaches SQL.
 */
export function decodeKeysetCursor(cursor: string, options: { sortKey: RegExp; id?: RegExp }): { at: string; id: string } | undefined {
  try {
    const [at, id] = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown[];
    if (
      typeof at === "string" &&
      typeof id === "string" &&
      (options.id ?? UUID).test(id) &&
      options.sortKey.test(at) &&
      !Number.isNaN(Date.parse(at))
    )
      return { at, id };
  } catch {
    // fall through: a cursor we did not make
  }
  return undefined;
}
