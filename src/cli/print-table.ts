/** Prints rows as aligned columns with a header; long cells are cut so a row fits a line. */
export function formatTable(
  header: readonly string[],
  rows: readonly (readonly (string | null | undefined)[])[],
  max = 40,
): string {
  const cells = [header, ...rows.map((r) => r.map((c) => cut(c ?? '', max)))]
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)))
  return cells
    .map((r) =>
      r
        .map((c, i) => (c ?? '').padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')
}

function cut(s: string, max: number): string {
  return s.length > max ? s.slice(0, max - 1) + '…' : s
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n')
}
