import { Correlator } from '../domain/aggregation/correlator.js'
import type { SourceConfig } from '../domain/config/config-schemas.js'
import { loadUncorrelated, setAccountIdentities } from '../store/account-aggregation.js'
import { withdrawOvertakenCreates } from '../store/activity-withdrawals.js'
import type { Db } from '../store/db.js'
import { loadIdentityAttributesById } from '../store/identities.js'
import { loadIdentityAttributes } from '../store/identity-processing.js'
import { enqueueIdentities } from '../store/queues.js'

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
 * Withdraws the pending Create requests (and manual create tasks) of identities that now have an
 * account on the source (all of the source's identities, or only `identityIds`): the account exists, so
 * creating one would make a duplicate. The identities are planned again, against the account found.
 * Returns how many requests were withdrawn. Call it inside the transaction that linked the accounts.
 */
export async function withdrawOvertaken(
  db: Db,
  sourceId: string,
  now: Date,
  identityIds?: readonly string[],
): Promise<number> {
  const withdrawn = await withdrawOvertakenCreates(db, {
    sourceId,
    now,
    ...(identityIds !== undefined ? { identityIds } : {}),
  })
  await enqueueIdentities(
    db,
    withdrawn.map((w) => w.identityId),
    ['plan'],
  )
  return withdrawn.length
}

/**
 * Links the source's uncorrelated accounts to identities where a rule finds exactly one. With `among`
 * (the identities an incremental refresh changed), only those can be new matches: they are tried first,
 * and every identity is read only to confirm a match is unique. An identity that gains an account this
 * way has its pending create on the source withdrawn. Returns how many were linked.
 */
export async function correlateUncorrelated(
  db: Db,
  source: SourceConfig,
  sourceId: string,
  among?: readonly string[],
  now: Date = new Date(),
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
  if (links.length > 0) {
    await withdrawOvertaken(
      db,
      sourceId,
      now,
      links.map((l) => l.identityId),
    )
  }
  return links.length
}
