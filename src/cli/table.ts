// Plain-text tables for the CLI's human output: columns padded to their widest cell, two spaces
// apart, the last column left unpadded so long values do not push trailing blanks.

/** `rows[0]` is the header; every row has the same number of cells. */
export function formatTable(rows: string[][]): string {
  const widths = rows[0]!.slice(0, -1).map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return `${rows
    .map((row) =>
      row
        .map((cell, column) => (column < widths.length ? cell.padEnd(widths[column]!) : cell))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")}\n`;
}
