import { newId } from '../domain/new-id.js'
import type { AccountOperation, AttributeOperation, PlanReason } from '../domain/plan/plan-item.js'
import type { Grant } from '../domain/plan/planning-model.js'
import { batches, selectTuples, type Db } from './db.js'

/** What the last applied plan recorded for an identity. */
export interface AppliedState {
  readonly lifecycleState: string | null
  readonly grants: readonly Grant[]
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

export async function loadAppliedStates(db: Db): Promise<Map<string, AppliedState>> {
  const tuples = await selectTuples<[string, string | null, Grant[]]>(
    db,
    ['identity_id', 'lifecycle_state', 'grants'],
    'FROM identity_grants',
  )
  return new Map(tuples.map(([id, lifecycleState, grants]) => [id, { lifecycleState, grants }]))
}

export async function saveAppliedStates(
  db: Db,
  states: readonly { identityId: string; lifecycleState: string | null; grants: readonly Grant[] }[],
): Promise<void> {
  for (const batch of batches(states)) {
    await db.query(
      `INSERT INTO identity_grants (identity_id, lifecycle_state, grants, applied)
       SELECT u.id, u.state, u.grants::json, now() FROM unnest($1::text[], $2::text[], $3::text[]) AS u(id, state, grants)
       ON CONFLICT (identity_id) DO UPDATE SET lifecycle_state = excluded.lifecycle_state, grants = excluded.grants,
         applied = excluded.applied`,
      [
        batch.map((s) => s.identityId),
        batch.map((s) => s.lifecycleState),
        batch.map((s) => JSON.stringify(s.grants)),
      ],
    )
  }
}

export async function insertAccountRequests(
  db: Db,
  rows: readonly Omit<AccountRequestRow, 'id' | 'status'>[],
): Promise<void> {
  await db.insertRows(
    'account_requests',
    ['id', 'identity_id', 'source_id', 'native_identity', 'operation', 'items', 'reasons'],
    rows.map((r) => [
      newId(),
      r.identityId,
      r.sourceId,
      r.nativeIdentity,
      r.operation,
      JSON.stringify(r.items),
      JSON.stringify(r.reasons),
    ]),
  )
}

export async function listAccountRequests(
  db: Db,
  filter: { status?: string } = {},
): Promise<AccountRequestRow[]> {
  const tuples = await selectTuples<
    [
      string,
      string,
      string,
      string | null,
      AccountOperation,
      AccountRequestRow['items'],
      PlanReason[],
      string,
    ]
  >(
    db,
    ['id', 'identity_id', 'source_id', 'native_identity', 'operation', 'items', 'reasons', 'status'],
    'FROM account_requests WHERE ($1::text IS NULL OR status = $1)',
    [filter.status ?? null],
  )
  return tuples
    .map(([id, identityId, sourceId, nativeIdentity, operation, items, reasons, status]) => ({
      id,
      identityId,
      sourceId,
      nativeIdentity,
      operation,
      items,
      reasons,
      status,
    }))
    .sort((a, b) => (a.id < b.id ? -1 : 1))
}
