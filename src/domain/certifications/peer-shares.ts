/** What peers are compared on: identities sharing the value of one of these attributes. */
export const PEER_GROUPS = [
  { name: 'department', attribute: 'department' },
  { name: 'manager', attribute: null },
  { name: 'title', attribute: 'title' },
] as const

/** The values an identity is grouped by: its department, its manager's id, its title (absent: no group). */
export interface PeerKeys {
  readonly department?: string | null
  readonly manager?: string | null
  readonly title?: string | null
}

/**
 * Counts, over a population, how many identities of each peer group hold each item, then tells an item's
 * share among the holder's peers: a plain statistic that shows a reviewer what is unusual (a group nobody
 * else in the department has). Each identity is counted with the distinct item keys it holds.
 */
export class PeerShares {
  private readonly sizes = new Map<string, number>()
  private readonly holders = new Map<string, number>()

  add(keys: PeerKeys, itemKeys: Iterable<string>): void {
    const groups = groupsOf(keys)
    if (groups.length === 0) return
    for (const g of groups) this.sizes.set(g, (this.sizes.get(g) ?? 0) + 1)
    for (const item of new Set(itemKeys)) {
      for (const g of groups) {
        const k = `${g}\u0001${item}`
        this.holders.set(k, (this.holders.get(k) ?? 0) + 1)
      }
    }
  }

  /** The share (0–1, two decimals) of the identity's peers in each group holding the item, the identity included. */
  shares(keys: PeerKeys, itemKey: string): Record<string, number> {
    const out: Record<string, number> = {}
    for (const g of PEER_GROUPS) {
      const value = keys[g.name]
      if (value === undefined || value === null || value === '') continue
      const group = `${g.name}\u0000${value}`
      const size = this.sizes.get(group) ?? 0
      if (size === 0) continue
      out[g.name] = Math.round(((this.holders.get(`${group}\u0001${itemKey}`) ?? 0) / size) * 100) / 100
    }
    return out
  }
}

function groupsOf(keys: PeerKeys): string[] {
  const out: string[] = []
  for (const g of PEER_GROUPS) {
    const value = keys[g.name]
    if (value !== undefined && value !== null && value !== '') out.push(`${g.name}\u0000${value}`)
  }
  return out
}
