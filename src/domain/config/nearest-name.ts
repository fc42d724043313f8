/**
 * The known name a misspelt one most likely meant, for "did you mean …" hints: the closest by edit
 * distance (insertions, deletions, substitutions and swaps of neighbours, ignoring case), when it is close
 * enough to be a typo rather than a different word. Undefined when nothing is that close.
 */
export function nearestName(name: string, known: Iterable<string>): string | undefined {
  const candidates = [...known]
  const wanted = name.toLowerCase()
  // A third of the name's length, at least one edit: "delimeter" (1) and "provisoning" (1) are typos;
  // "id" for "name" is not.
  const limit = Math.max(1, Math.floor(wanted.length / 3))
  let best: string | undefined
  let bestDistance = limit + 1
  for (const candidate of candidates) {
    const d = editDistance(wanted, candidate.toLowerCase())
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  if (best !== undefined || wanted.length < 4) return best
  // A prefix or suffix left out: "multi" for "isMulti", "Threshold" for "deleteThreshold".
  return candidates.find((k) => k.toLowerCase().includes(wanted))
}

/** Optimal string alignment distance: Levenshtein plus the swap of two adjacent characters. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0
  const rows: number[][] = []
  for (let i = 0; i <= a.length; i++) {
    const row = new Array<number>(b.length + 1).fill(0)
    row[0] = i
    rows.push(row)
  }
  const at = (i: number, j: number): number => (rows[i] as number[])[j] as number
  for (let j = 0; j <= b.length; j++) (rows[0] as number[])[j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let d = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, at(i - 2, j - 2) + 1)
      }
      ;(rows[i] as number[])[j] = d
    }
  }
  return at(a.length, b.length)
}
