import type { AssignedItemType, AssignmentOrigin } from '../domain/plan/assignment.js'
import { assignmentReason } from '../domain/plan/assignment-grants.js'
import { entitlementParts } from '../domain/plan/entitlement-key.js'
import type { PlanReason } from '../domain/plan/plan-item.js'
import type { Grant } from '../domain/plan/planning-model.js'
import { batches, selectTuples, type Db } from './db.js'

/** What the last applied plan recorded for an identity. */
export interface AppliedState {
  readonly lifecycleState: string | null
  /** The id of the stored set of grants (null for plans applied before sets were shared). */
  readonly grantSet: string | null
  /** The set's grants (shared), or every grant of a plan applied before sets were shared. */
  readonly grants: readonly Grant[]
  /** What the identity's assignments granted, stored with the identity (next to its shared set). */
  readonly assignedGrants: readonly Grant[]
  /** The same as stored (`[]` for none): an identity whose assigned grants did not change is not rewritten. */
  readonly assignedStored: string
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
        [
          'identity_id',
          'lifecycle_state',
          'grant_set',
          // Most rows hold no grants of their own: nothing to send or decode for them.
          "CASE WHEN grant_set IS NULL OR grants::text <> '[]' THEN grants::text END",
        ],
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
        assignedGrants: grantSet !== null && own !== null ? decodeGrants(own) : [],
        assignedStored: grantSet !== null ? (own ?? '[]') : '[]',
      },
    ]),
  )
}

/**
 * Records what was applied: new grant sets (kept if already stored) and each identity's state, set, and
 * the grants of its assignments (encoded; `[]` for none).
 */
export async function saveAppliedStates(
  db: Db,
  states: readonly {
    identityId: string
    lifecycleState: string | null
    grantSet: string
    assignedGrants: string
  }[],
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
       SELECT u.id, u.state, u.grant_set, u.grants::json, now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS u(id, state, grant_set, grants)
       ON CONFLICT (identity_id) DO UPDATE SET lifecycle_state = excluded.lifecycle_state,
         grant_set = excluded.grant_set, grants = excluded.grants, applied = excluded.applied`,
      [
        batch.map((s) => s.identityId),
        batch.map((s) => s.lifecycleState),
        batch.map((s) => s.grantSet),
        batch.map((s) => s.assignedGrants),
      ],
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

type StoredReason =
  | [kind: PlanReason['kind'], name: string, id?: string]
  // An assignment's reason keeps where it came from and its dates: a revocation names them too.
  | [kind: 'ASSIGNMENT', name: string, id: string, given: StoredAssignment]
type StoredAssignment = [
  origin: AssignmentOrigin,
  itemType: AssignedItemType,
  startDate: string | null,
  removeDate: string | null,
]

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
      g.reasons.map((r): StoredReason => {
        if (r.kind === 'ASSIGNMENT' && r.origin !== undefined && r.itemType !== undefined) {
          const given: StoredAssignment = [r.origin, r.itemType, r.startDate ?? null, r.removeDate ?? null]
          return ['ASSIGNMENT', r.name, r.id ?? '', given]
        }
        return r.id === undefined ? [r.kind, r.name] : [r.kind, r.name, r.id]
      }),
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
      reasons: reasons.map(([k, n, i, given]): PlanReason => {
        if (given === undefined) return { kind: k, name: n, ...(i === undefined ? {} : { id: i }) }
        const [origin, itemType, startDate, removeDate] = given
        return assignmentReason({ id: i as string, origin, itemType, itemName: n, startDate, removeDate })
      }),
    }
    if (kind !== 'ENTITLEMENT') return grant
    return { ...grant, ...entitlementParts(id) }
  })
}
