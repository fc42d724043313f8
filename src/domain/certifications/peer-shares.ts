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

/** One peer group: how many identities are in it, and how many of them hold each item key. */
interface Group {
  size: number
  readonly holders: Map<string, number>
}

/**
 * Counts, over a population, how many identities of each peer group hold each item, then tells an item's
 * share among the holder's peers: a plain statistic that shows a reviewer what is unusual (a group nobody
 * else in the department has). Each identity is counted with the distinct item keys it holds.
 *
 * An identity's groups are looked up once per PeerKeys object (generation passes the same object for all
 * of an identity's items), so counting and reading a share is a map lookup per group, with no key built.
 */
export class PeerShares {
  private readonly groups = new Map<string, Group>()
  private readonly groupsByKeys = new WeakMap<PeerKeys, readonly (readonly [string, Group])[]>()

  add(keys: PeerKeys, itemKeys: Iterable<string>): void {
    const groups = this.groupsOf(keys)
    if (groups.length === 0) return
    for (const [, g] of groups) g.size++
    for (const item of new Set(itemKeys)) {
      for (const [, g] of groups) g.holders.set(item, (g.holders.get(item) ?? 0) + 1)
    }
  }

  /** The share (0–1, two decimals) of the identity's peers in each group holding the item, the identity included. */
  shares(keys: PeerKeys, itemKey: string): Record<string, number> {
    const out: Record<string, number> = {}
    for (const [name, g] of this.groupsOf(keys)) {
      if (g.size === 0) continue
      out[name] = Math.round(((g.holders.get(itemKey) ?? 0) / g.size) * 100) / 100
    }
    return out
  }

  /** The groups of an identity's values (department, manager, title), in PEER_GROUPS order. */
  private groupsOf(keys: PeerKeys): readonly (readonly [string, Group])[] {
    const known = this.groupsByKeys.get(keys)
    if (known !== undefined) return known
    const found: (readonly [string, Group])[] = []
    for (const g of PEER_GROUPS) {
      const value = keys[g.name]
      if (value === undefined || value === null || value === '') continue
      const id = `${g.name}\u0000${value}`
      let group = this.groups.get(id)
      if (group === undefined) {
        group = { size: 0, holders: new Map() }
        this.groups.set(id, group)
      }
      found.push([g.name, group])
    }
    this.groupsByKeys.set(keys, found)
    return found
  }
}
