/** CSV text with a header, quoting only where needed. */
export function toCsv(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  delimiter = ',',
): string {
  return csvLines([header, ...rows], delimiter)
}

/** CSV lines, each ended by a new line, quoting only where needed: a part of a CSV written in parts. */
export function csvLines(rows: readonly (readonly string[])[], delimiter = ','): string {
  const cell = (v: string): string =>
    /["\n\r]/.test(v) || v.includes(delimiter) ? `"${v.replaceAll('"', '""')}"` : v
  return rows.map((r) => r.map(cell).join(delimiter) + '\n').join('')
}

/**
 * A cell a spreadsheet will not run: text people typed (a comment, a name) that starts like a formula
 * gets a leading apostrophe, so a report opened in a spreadsheet shows it instead of evaluating it.
 */
export function inertCell(v: string): string {
  return /^[=+\-@\t\r]/.test(v) ? `'${v}` : v
}
