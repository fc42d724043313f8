import { Correlator } from '../domain/aggregation/correlator.js'
import type { SourceConfig } from '../domain/config/config-schemas.js'
import { loadUncorrelated, setAccountIdentities } from '../store/accounts.js'
import type { Db } from '../store/db.js'
import { loadIdentityAttributes, loadIdentityAttributesById } from '../store/identities.js'

/** Builds a correlator for a source's `accountCorrelationConfig` over the stored identities. */
export async function correlatorFor(db: Db, source: SourceConfig): Promise<Correlator> {
  const rules = source.accountCorrelationConfig?.attributeAssignments ?? []
  if (rules.length === 0) return new Correlator([], [])
  // An authoritative account only re-joins an identity that lost its own (a returning person);
  // other identities already have one.
  const identities = await loadIdentityAttributes(
    db,
    [...new Set(rules.map((r) => r.property))],
    source.authoritative,
  )
  return new Correlator(rules, identities)
}

/**
 * Links the source's uncorrelated accounts to identities where a rule finds exactly one. With `among`
 * (the identities an incremental refresh changed), only those can be new matches: they are tried first,
 * and every identity is read only to confirm a match is unique. Returns how many were linked.
 */
export async function correlateUncorrelated(
  db: Db,
  source: SourceConfig,
  sourceId: string,
  among?: readonly string[],
): Promise<number> {
  const rules = source.accountCorrelationConfig?.attributeAssignments ?? []
  if (rules.length === 0 || among?.length === 0) return 0
  let pending = await loadUncorrelated(db, sourceId)
  if (pending.length === 0) return 0
  if (among !== undefined) {
    const changed = await loadIdentityAttributesById(db, among)
    const candidates = new Correlator(
      rules,
      [...changed].map(([id, attributes]) => ({ id, attributes })),
    )
    pending = pending.filter((a) => candidates.correlate(a.attributes) !== null)
    if (pending.length === 0) return 0
  }
  const correlator = await correlatorFor(db, source)
  const links: { accountId: string; identityId: string }[] = []
  for (const a of pending) {
    const identityId = correlator.correlate(a.attributes)
    if (identityId !== null) links.push({ accountId: a.id, identityId })
  }
  await setAccountIdentities(db, links)
  return links.length
}
