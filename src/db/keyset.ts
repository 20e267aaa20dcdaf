// Keyset paging: a page resumes after the sort key and id of the previous page's last row, so a
// page costs the same wherever it is and rows inserted meanwhile are neither skipped nor repeated.

/** A keyset position: the sort key (a Date, or the exact ISO text of a cursor) and the row id. */
export type KeysetPosition = { at: Date | string; id: string };

export function keysetTime(at: Date | string): string {
  return typeof at === "string" ? at : at.toISOString();
}
