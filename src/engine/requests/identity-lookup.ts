import type { Identity } from '../../domain/model.js'
import type { Db } from '../../store/db.js'
import { findIdentity, loadIdentitiesById } from '../../store/identities.js'

/** An identity by id or name; each asked for once however often it is named. */
export type IdentityLookup = (idOrName: string) => Promise<Identity | undefined>

/**
 * A lookup for one request or decision: a request for a hundred people names the same owner a hundred
 * times, and their managers can be read in one query first (`preload`).
 */
export function identityLookup(
  db: Db,
  known: readonly Identity[] = [],
): IdentityLookup & {
  preload(ids: readonly string[]): Promise<void>
  /** Every identity found so far: what later steps of the same call need not read again. */
  found(): Promise<Identity[]>
} {
  const cache = new Map<string, Promise<Identity | undefined>>()
  const remember = (i: Identity): void => {
    cache.set(i.id, Promise.resolve(i))
  }
  known.forEach(remember)
  const lookup = (key: string): Promise<Identity | undefined> => {
    let found = cache.get(key)
    if (found === undefined) {
      found = findIdentity(db, key)
      cache.set(key, found)
    }
    return found
  }
  return Object.assign(lookup, {
    async preload(ids: readonly string[]): Promise<void> {
      const missing = [...new Set(ids)].filter((id) => !cache.has(id))
      if (missing.length > 0) (await loadIdentitiesById(db, missing)).forEach(remember)
    },
    async found(): Promise<Identity[]> {
      const all = await Promise.all(cache.values())
      return [...new Map(all.flatMap((i) => (i !== undefined ? [[i.id, i] as const] : []))).values()]
    },
  })
}
