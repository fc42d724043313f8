import { processTypeOf } from '../domain/execution/account-activity.js'
import { newId } from '../domain/new-id.js'
import type { AssignedItemType, AssignmentOrigin } from '../domain/plan/assignment.js'
import { assignmentReason } from '../domain/plan/assignment-grants.js'
import { entitlementParts } from '../domain/plan/entitlement-key.js'
import type { AccountOperation, AttributeOperation, PlanReason } from '../domain/plan/plan-item.js'
import type { Grant } from '../domain/plan/planning-model.js'
import { BATCH_SIZE, batches, selectTuples, type Db } from './db.js'

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

/** One account request waiting for execution (the next milestone executes them). */
export interface AccountRequestRow {
  readonly id: string
  readonly identityId: string
  readonly sourceId: string
  readonly nativeIdentity: string | null
  readonly operation: AccountOperation
  readonly items: readonly {
    readonly operation: AttributeOperation
    readonly attribute: string
    readonly value: string | readonly string[] | null
    readonly secret?: boolean
  }[]
  readonly reasons: readonly PlanReason[]
  readonly status: string
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

/**
 * Which of some account ids are taken on their source: by a stored account or by another identity's
 * create still waiting for execution (an identity's own pending create is its own). Planning checks
 * the ids its generators chose.
 */
export async function takenAccountIds(
  db: Db,
  candidates: readonly { identityId: string; sourceId: string; nativeIdentity: string }[],
): Promise<Set<string>> {
  const taken = new Set<string>()
  for (const batch of batches(candidates)) {
    const rows = await selectTuples<[string, string]>(
      db,
      ['u.s', 'u.n'],
      `FROM unnest($1::text[], $2::text[], $3::text[]) AS u(s, n, i)
       WHERE EXISTS (SELECT 1 FROM accounts a WHERE a.source_id = u.s AND a.native_identity = u.n)
          OR EXISTS (SELECT 1 FROM account_requests r WHERE r.source_id = u.s AND r.native_identity = u.n
                       AND r.operation = 'Create' AND r.status IN ('PENDING', 'RETRY', 'COMMITED')
                       AND r.identity_id <> u.i)`,
      [batch.map((c) => c.sourceId), batch.map((c) => c.nativeIdentity), batch.map((c) => c.identityId)],
    )
    for (const [s, n] of rows) taken.add(accountKey(s, n))
  }
  return taken
}

/** One account on one source, as a map key. */
export function accountKey(sourceId: string, nativeIdentity: string): string {
  return `${sourceId}\u0000${nativeIdentity}`
}

/** Inserts pending account requests, each typed by the process that caused it; returns their ids. */
export async function insertAccountRequests(
  db: Db,
  rows: readonly Omit<AccountRequestRow, 'id' | 'status'>[],
): Promise<string[]> {
  const ids = rows.map(() => newId())
  await db.insertRows(
    'account_requests',
    ['id', 'type', 'identity_id', 'source_id', 'native_identity', 'operation', 'items', 'reasons'],
    rows.map((r, i) => [
      ids[i] as string,
      processTypeOf(r.reasons),
      r.identityId,
      r.sourceId,
      r.nativeIdentity,
      r.operation,
      JSON.stringify(r.items),
      JSON.stringify(r.reasons),
    ]),
  )
  return ids
}

type RequestTuple = [
  string,
  string,
  string,
  string | null,
  AccountOperation,
  AccountRequestRow['items'],
  PlanReason[],
  string,
]

/** Account requests in id (creation) order, read in pages: there may be hundreds of thousands. */
export async function listAccountRequests(
  db: Db,
  filter: { status?: string | 'OPEN'; identityIds?: readonly string[] } = {},
): Promise<AccountRequestRow[]> {
  // OPEN: on their way to the system (not executed yet, retrying, or done by hand and not yet verified).
  const statuses =
    filter.status === 'OPEN' ? ['PENDING', 'RETRY', 'COMMITED'] : filter.status ? [filter.status] : null
  const out: AccountRequestRow[] = []
  const columns = [
    'id',
    'identity_id',
    'source_id',
    'native_identity',
    'operation',
    'items',
    'reasons',
    'status',
  ]
  const add = (page: readonly RequestTuple[]): void => {
    for (const [id, identityId, sourceId, nativeIdentity, operation, items, reasons, status] of page) {
      out.push({ id, identityId, sourceId, nativeIdentity, operation, items, reasons, status })
    }
  }
  if (filter.identityIds !== undefined) {
    // A few identities' requests: by the identity index, not by walking every request in id order.
    for (const batch of batches(filter.identityIds)) {
      const page = await selectTuples<RequestTuple>(
        db,
        columns,
        'FROM account_requests WHERE identity_id = ANY($1::text[]) AND ($2::text[] IS NULL OR status = ANY($2))',
        [batch, statuses],
      )
      add(page)
    }
    return out.sort((a, b) => (a.id < b.id ? -1 : 1))
  }
  for (let after = ''; ;) {
    const page = await selectTuples<RequestTuple>(
      db,
      columns,
      `FROM (SELECT * FROM account_requests WHERE id > $2 AND ($1::text[] IS NULL OR status = ANY($1))
         ORDER BY id LIMIT ${BATCH_SIZE}) AS page`,
      [statuses, after],
    )
    add(page)
    if (page.length < BATCH_SIZE) return out.sort((a, b) => (a.id < b.id ? -1 : 1))
    for (const [id] of page) if (id > after) after = id
  }
}
