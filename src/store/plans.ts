import type { PlanReason } from '../domain/plan/plan-item.js'
import type { Grant } from '../domain/plan/planning-model.js'
import { batches, selectTuples, type Db } from './db.js'

/** What the last applied plan recorded for an identity. */
export interface AppliedState {
  readonly lifecycleState: string | null
  /** The id of the stored set of grants (null for plans applied before sets were shared). */
  readonly grantSet: string | null
  readonly grants: readonly Grant[]
}

/**
 * What the last applied plans recorded for some identities. Grant sets are decoded once and kept in
 * `cache` (by id) for the rest of the run: most identities share a few hundred of them.
 */
export async function loadAppliedStates(
  db: Db,
  identityIds: readonly string[],
  cache: Map<string, readonly Grant[]>,
): Promise<Map<string, AppliedState>> {
  const rows: [string, string | null, string | null, string | null][] = []
  for (const batch of batches(identityIds)) {
    rows.push(
      ...(await selectTuples<[string, string | null, string | null, string | null]>(
        db,
        ['identity_id', 'lifecycle_state', 'grant_set', 'CASE WHEN grant_set IS NULL THEN grants::text END'],
        'FROM identity_grants WHERE identity_id = ANY($1::text[])',
        [batch],
      )),
    )
  }
  const missing = [...new Set(rows.flatMap(([, , set]) => (set !== null && !cache.has(set) ? [set] : [])))]
  for (const batch of batches(missing)) {
    for (const [id, grants] of await selectTuples<[string, string]>(
      db,
      ['id', 'grants::text'],
      'FROM grant_sets WHERE id = ANY($1::text[])',
      [batch],
    )) {
      cache.set(id, decodeGrants(grants))
    }
  }
  return new Map(
    rows.map(([id, lifecycleState, grantSet, own]) => [
      id,
      {
        lifecycleState,
        grantSet,
        grants: grantSet !== null ? (cache.get(grantSet) ?? []) : decodeGrants(own ?? '[]'),
      },
    ]),
  )
}

/** Records what was applied: new grant sets (kept if already stored) and each identity's state and set. */
export async function saveAppliedStates(
  db: Db,
  states: readonly { identityId: string; lifecycleState: string | null; grantSet: string }[],
  newSets: readonly { id: string; grants: string }[],
): Promise<void> {
  for (const batch of batches(newSets)) {
    await db.query(
      `INSERT INTO grant_sets (id, grants) SELECT u.id, u.grants::json FROM unnest($1::text[], $2::text[]) AS u(id, grants)
       ON CONFLICT (id) DO NOTHING`,
      [batch.map((s) => s.id), batch.map((s) => s.grants)],
    )
  }
  for (const batch of batches(states)) {
    await db.query(
      `INSERT INTO identity_grants (identity_id, lifecycle_state, grant_set, grants, applied)
       SELECT u.id, u.state, u.grant_set, '[]', now() FROM unnest($1::text[], $2::text[], $3::text[]) AS u(id, state, grant_set)
       ON CONFLICT (identity_id) DO UPDATE SET lifecycle_state = excluded.lifecycle_state,
         grant_set = excluded.grant_set, grants = excluded.grants, applied = excluded.applied`,
      [batch.map((s) => s.identityId), batch.map((s) => s.lifecycleState), batch.map((s) => s.grantSet)],
    )
  }
}

/** Whether these grant sets are stored already. */
export async function storedGrantSets(db: Db, ids: readonly string[]): Promise<Set<string>> {
  const found = new Set<string>()
  for (const batch of batches(ids)) {
    const rows = await db.query<{ id: string }>('SELECT id FROM grant_sets WHERE id = ANY($1::text[])', [
      batch,
    ])
    for (const r of rows) found.add(r.id)
  }
  return found
}

type StoredReason = [kind: PlanReason['kind'], name: string, id?: string]

type StoredGrant = [
  kind: Grant['kind'],
  id: string,
  name: string,
  origin: Grant['origin'],
  reasons: StoredReason[],
]

/**
 * Grants as stored: what was granted and by what, without the printed details, as tuples. An
 * entitlement's source, attribute and value are its id's parts (see entitlementKey).
 */
export function encodeGrants(grants: readonly Grant[]): string {
  return JSON.stringify(
    grants.map((g): StoredGrant => [
      g.kind,
      g.id,
      g.name,
      g.origin,
      g.reasons.map((r): StoredReason => (r.id === undefined ? [r.kind, r.name] : [r.kind, r.name, r.id])),
    ]),
  )
}

export function decodeGrants(stored: string): Grant[] {
  return (JSON.parse(stored) as (StoredGrant | Grant)[]).map((g) => {
    // Plans applied before the tuple form stored whole objects.
    if (!Array.isArray(g)) return g
    const [kind, id, name, origin, reasons] = g
    const grant = {
      kind,
      id,
      name,
      origin,
      reasons: reasons.map(([k, n, i]) => ({ kind: k, name: n, ...(i === undefined ? {} : { id: i }) })),
    }
    if (kind !== 'ENTITLEMENT') return grant
    const [sourceId, attribute, value] = id.split('\u0000')
    return { ...grant, sourceId, attribute, value }
  })
}
