import type { Attributes } from '../domain/model.js'
import type { PlanAccount } from '../domain/plan/planning-model.js'
import { batches, selectTuples, type Db } from './db.js'

/**
 * The accounts of some identities as the planner reads them, aggregated into one JSON value per query
 * (the planner reads ~4 accounts for each of 2,000 identities per batch).
 */
export async function loadPlanAccounts(
  db: Db,
  identityIds: readonly string[],
): Promise<
  {
    identityId: string
    sourceId: string
    nativeIdentity: string
    disabled: boolean
    attributes: Attributes
  }[]
> {
  const out: {
    identityId: string
    sourceId: string
    nativeIdentity: string
    disabled: boolean
    attributes: Attributes
  }[] = []
  for (const batch of batches(identityIds)) {
    const rows = await selectTuples<[string, string, string, boolean, Attributes]>(
      db,
      ['identity_id', 'source_id', 'native_identity', 'disabled', 'attributes'],
      'FROM accounts WHERE identity_id = ANY($1::text[])',
      [batch],
    )
    for (const [identityId, sourceId, nativeIdentity, disabled, attributes] of rows) {
      out.push({ identityId, sourceId, nativeIdentity, disabled, attributes })
    }
  }
  return out
}
/**
 * Which of some account ids are taken on their source: by a stored account or by another identity's
 * create in one of `openStatuses` (an identity's own pending create is its own). Planning checks the
 * ids its generators chose; which statuses count as still on the way is the domain's word.
 */
export async function takenAccountIds(
  db: Db,
  candidates: readonly { identityId: string; sourceId: string; nativeIdentity: string }[],
  openStatuses: readonly string[],
): Promise<Set<string>> {
  const taken = new Set<string>()
  for (const batch of batches(candidates)) {
    const rows = await selectTuples<[string, string]>(
      db,
      ['u.s', 'u.n'],
      // Scalar subqueries, not EXISTS: the planner turned the EXISTS into a hash of the whole accounts table
      // (at 10,000 accounts, all of them read to check the 250 ids of a bulk approval), where an index probe
      // per id is what it takes.
      `FROM unnest($1::text[], $2::text[], $3::text[]) AS u(s, n, i)
       WHERE (SELECT true FROM accounts a WHERE a.source_id = u.s AND a.native_identity = u.n LIMIT 1)
          OR (SELECT true FROM account_requests r WHERE r.source_id = u.s AND r.native_identity = u.n
                AND r.operation = 'Create' AND r.status = ANY($4::text[]) AND r.identity_id <> u.i LIMIT 1)`,
      [
        batch.map((c) => c.sourceId),
        batch.map((c) => c.nativeIdentity),
        batch.map((c) => c.identityId),
        openStatuses,
      ],
    )
    for (const [s, n] of rows) taken.add(accountKey(s, n))
  }
  return taken
}

/** One account on one source, as a map key. */
export function accountKey(sourceId: string, nativeIdentity: string): string {
  return `${sourceId}\u0000${nativeIdentity}`
}

/** The accounts of some identities as the planner reads them, by identity. */
export async function loadPlanAccountsByIdentity(
  db: Db,
  identityIds: readonly string[],
): Promise<Map<string, PlanAccount[]>> {
  const byIdentity = new Map<string, PlanAccount[]>()
  for (const { identityId, ...account } of await loadPlanAccounts(db, identityIds)) {
    const list = byIdentity.get(identityId)
    if (list) list.push(account)
    else byIdentity.set(identityId, [account])
  }
  return byIdentity
}
