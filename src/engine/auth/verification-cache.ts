import type { Db } from '../../store/db.js'

/**
 * How long a verified signing key or credential is trusted without asking the store again. Each API
 * request verifies its token; on the embedded database two more queries per request cost more than the
 * request's own work. A credential revoked in this process is forgotten at once (`forgetCredential`); one
 * revoked by another process stops verifying here within this time.
 */
export const VERIFICATION_CACHE_MS = 5_000

interface Entry<T> {
  readonly value: T
  readonly until: number
}

const caches = new WeakMap<Db, Map<string, Entry<unknown>>>()

function cacheOf(db: Db): Map<string, Entry<unknown>> {
  let cache = caches.get(db)
  if (cache === undefined) {
    cache = new Map()
    caches.set(db, cache)
  }
  return cache
}

/** The cached value of `key`, else `load`'s (kept for VERIFICATION_CACHE_MS when it is not undefined). */
export async function cachedLookup<T>(
  db: Db,
  key: string,
  load: () => Promise<T | undefined>,
  now: number = Date.now(),
): Promise<T | undefined> {
  const cache = cacheOf(db)
  const hit = cache.get(key)
  if (hit !== undefined && hit.until > now) return hit.value as T
  const value = await load()
  if (value === undefined) cache.delete(key)
  else {
    // A bounded map: tokens of many clients must not grow it without end.
    if (cache.size > 10_000) cache.clear()
    cache.set(key, { value, until: now + VERIFICATION_CACHE_MS })
  }
  return value
}

/** Forgets a cached entry (a credential just revoked in this process). */
export function forgetCached(db: Db, key: string): void {
  caches.get(db)?.delete(key)
}
