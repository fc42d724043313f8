/** The values grouped by their key, each group in the values' order (Map.groupBy, which Node 20 lacks). */
export function groupBy<T, K>(values: Iterable<T>, keyOf: (value: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>()
  for (const v of values) {
    const k = keyOf(v)
    const group = out.get(k)
    if (group === undefined) out.set(k, [v])
    else group.push(v)
  }
  return out
}
