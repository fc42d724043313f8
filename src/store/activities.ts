import type {
  AccountActivity,
  ActivityError,
  ActivityItem,
  ProvisioningStatus,
} from '../domain/execution/account-activity.js'
import type { ProcessType } from '../domain/execution/retry-policy.js'
import type { AccountOperation, PlanReason } from '../domain/plan/plan-item.js'
import { BATCH_SIZE, batches, selectTuples, type Db } from './db.js'

type Row = [
  string,
  ProcessType,
  string,
  string,
  string | null,
  AccountOperation,
  ActivityItem[],
  PlanReason[],
  ProvisioningStatus,
  number,
  string | null,
  ActivityError[],
  string,
  string | null,
]

/** The activity columns, as toActivity reads them, from table (or CTE) `t`. */
function columns(t: string): string[] {
  const time = (c: string): string => `to_char(${t}.${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
  return [
    ...['id', 'type', 'identity_id', 'source_id', 'native_identity', 'operation', 'items', 'reasons'].map(
      (c) => `${t}.${c}`,
    ),
    `${t}.status`,
    `${t}.attempts`,
    time('next_attempt_at'),
    `${t}.errors`,
    time('created'),
    time('completed'),
  ]
}
function toActivity(r: Row): AccountActivity {
  const [id, type, identityId, sourceId, nativeIdentity, operation, items, reasons, status] = r
  const [, , , , , , , , , attempts, nextAttemptAt, errors, created, completed] = r
  return {
    id,
    type,
    identityId,
    sourceId,
    nativeIdentity,
    operation,
    items,
    reasons,
    status,
    attempts,
    // 'infinity' (a request waiting for a person) prints as no time at all.
    nextAttemptAt: nextAttemptAt !== null && /^\d/.test(nextAttemptAt) ? nextAttemptAt : null,
    errors,
    created,
    completed,
  }
}

/** A claimed activity; `inDoubt` when an earlier worker's lease ran out while it executed it. */
export interface ClaimedActivity extends AccountActivity {
  readonly inDoubt: boolean
}

/**
 * Claims up to `limit` of a source's due activities for `leaseUntil`, one per account (an account's
 * requests run in order: a later one waits for the earlier to finish), skipping rows another worker
 * holds. The source's in-flight activities count against `concurrency` across every worker, so the
 * limit protects the system, not one process; claims of one source are serialised by an advisory lock.
 */
export async function claimDue(
  db: Db,
  options: { sourceId: string; concurrency: number; now: Date; leaseUntil: Date },
): Promise<{
  readonly claimed: ClaimedActivity[]
  /** Nothing claimed because the limit is reached. */ readonly saturated: boolean
}> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(7101, hashtext($1))', [options.sourceId])
    const busy = await tx.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM account_requests
       WHERE source_id = $1 AND lease_until IS NOT NULL AND lease_until > $2 AND status IN ('PENDING', 'RETRY')`,
      [options.sourceId, options.now.toISOString()],
    )
    const free = options.concurrency - Number(busy[0]?.n ?? 0)
    if (free <= 0) return { claimed: [], saturated: true }
    const result = await tx.query<{ j: string }>(
      `WITH due AS (
         SELECT r.id, r.lease_until IS NOT NULL AS in_doubt FROM account_requests r
         WHERE r.source_id = $1 AND r.status IN ('PENDING', 'RETRY')
           AND (r.next_attempt_at IS NULL OR r.next_attempt_at <= $2)
           AND (r.lease_until IS NULL OR r.lease_until <= $2)
           AND NOT EXISTS (
             SELECT 1 FROM account_requests o
             WHERE o.source_id = r.source_id AND o.native_identity = r.native_identity AND o.id < r.id
               AND o.status IN ('PENDING', 'RETRY'))
         ORDER BY r.id LIMIT $3 FOR UPDATE SKIP LOCKED),
       claimed AS (
         UPDATE account_requests u SET lease_until = $4, attempts = u.attempts + 1, modified = $2
         FROM due WHERE u.id = due.id
         RETURNING u.*, due.in_doubt)
       SELECT coalesce(json_agg(json_build_array(${columns('c').join(', ')}, c.in_doubt)), '[]')::text AS j
       FROM claimed c`,
      [options.sourceId, options.now.toISOString(), free, options.leaseUntil.toISOString()],
    )
    const rows = JSON.parse(result[0]?.j ?? '[]') as [...Row, boolean][]
    const n = columns('c').length
    const claimed = rows
      .map((r) => ({ ...toActivity(r.slice(0, n) as Row), inDoubt: r[n] === true }))
      .sort((a, b) => (a.id < b.id ? -1 : 1))
    return { claimed, saturated: false }
  })
}

/** Extends the leases of activities still executing (slow systems must not look like dead workers). */
export async function renewLeases(db: Db, ids: readonly string[], until: Date): Promise<void> {
  if (ids.length === 0) return
  await db.query(
    `UPDATE account_requests SET lease_until = $2 WHERE id = ANY($1::text[]) AND lease_until IS NOT NULL`,
    [ids, until.toISOString()],
  )
}

/** What one attempt came to. */
export interface ActivityOutcome {
  readonly id: string
  readonly status: ProvisioningStatus
  /** RETRY: when; a manual task's activity: never (it waits for a person). */
  readonly nextAttemptAt?: Date | 'never'
  readonly error?: ActivityError
  readonly completed?: Date
}

/** Records attempts' outcomes and releases their leases, in one statement; a withdrawn request stays withdrawn. */
export async function recordOutcomes(db: Db, outcomes: readonly ActivityOutcome[], now: Date): Promise<void> {
  for (const batch of batches(outcomes)) {
    await db.query(
      `UPDATE account_requests r SET status = u.status, lease_until = NULL, modified = $6,
         next_attempt_at = CASE WHEN u.next = 'never' THEN 'infinity'::timestamptz ELSE u.next::timestamptz END,
         completed = u.completed::timestamptz,
         errors = CASE WHEN u.error IS NULL THEN r.errors
                       ELSE (r.errors::jsonb || jsonb_build_array(u.error::jsonb))::json END
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) AS u(id, status, next, error, completed)
       WHERE r.id = u.id AND r.status <> 'CANCELED'`,
      [
        batch.map((o) => o.id),
        batch.map((o) => o.status),
        batch.map((o) =>
          o.nextAttemptAt === undefined
            ? null
            : o.nextAttemptAt === 'never'
              ? 'never'
              : o.nextAttemptAt.toISOString(),
        ),
        batch.map((o) => (o.error ? JSON.stringify(o.error) : null)),
        batch.map((o) => o.completed?.toISOString() ?? null),
        now.toISOString(),
      ],
    )
  }
}

/** Sources with activities due now (or whose worker died), for the executors to wake up for. */
export async function sourcesWithDueActivities(db: Db, now: Date): Promise<string[]> {
  const rows = await db.query<{ source_id: string }>(
    `SELECT DISTINCT source_id FROM account_requests
     WHERE status IN ('PENDING', 'RETRY') AND (next_attempt_at IS NULL OR next_attempt_at <= $1)
       AND (lease_until IS NULL OR lease_until <= $1)`,
    [now.toISOString()],
  )
  return rows.map((r) => r.source_id)
}

/** The earliest time an activity of a source becomes due, if any is waiting (not for a person). */
export async function nextDueTime(db: Db, sourceId: string): Promise<Date | null> {
  const rows = await db.query<{ at: string | Date | null }>(
    `SELECT min(coalesce(next_attempt_at, '-infinity')) AS at FROM account_requests
     WHERE source_id = $1 AND status IN ('PENDING', 'RETRY') AND next_attempt_at IS DISTINCT FROM 'infinity'`,
    [sourceId],
  )
  const at = rows[0]?.at ?? null
  if (at === null) return null
  return at === '-infinity' ? new Date(0) : new Date(at)
}

export interface ActivityFilter {
  readonly ids?: readonly string[]
  readonly identityId?: string
  readonly sourceId?: string
  readonly status?: ProvisioningStatus
  readonly type?: ProcessType
}

/** Activities matching a filter, oldest first, read in pages. */
export async function listActivities(db: Db, filter: ActivityFilter = {}): Promise<AccountActivity[]> {
  const where: string[] = []
  const params: unknown[] = []
  const add = (sql: string, value: unknown): void => {
    params.push(value)
    where.push(sql.replace('?', `$${params.length}`))
  }
  if (filter.ids) add('id = ANY(?::text[])', filter.ids)
  if (filter.identityId !== undefined) add('identity_id = ?', filter.identityId)
  if (filter.sourceId !== undefined) add('source_id = ?', filter.sourceId)
  if (filter.status !== undefined) add('status = ?', filter.status)
  if (filter.type !== undefined) add('type = ?', filter.type)
  const out: AccountActivity[] = []
  for (let after = ''; ;) {
    const page = await selectTuples<Row>(
      db,
      columns('page'),
      `FROM (SELECT * FROM account_requests WHERE ${[...where, `id > $${params.length + 1}`].join(' AND ')}
         ORDER BY id LIMIT ${BATCH_SIZE}) AS page`,
      [...params, after],
    )
    for (const r of page) {
      out.push(toActivity(r))
      if (r[0] > after) after = r[0]
    }
    if (page.length < BATCH_SIZE) return out.sort((a, b) => (a.id < b.id ? -1 : 1))
  }
}

/** Counts per status, e.g. for `apply --wait`'s progress. */
export async function countByStatus(db: Db, ids?: readonly string[]): Promise<Record<string, number>> {
  const rows = await db.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM account_requests WHERE ($1::text[] IS NULL OR id = ANY($1)) GROUP BY status`,
    [ids ?? null],
  )
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]))
}

/**
 * Makes failed or retrying activities due now, with a fresh set of attempts (a person asked for it).
 * Returns the ids it changed.
 */
export async function retryNow(
  db: Db,
  filter: { ids?: readonly string[]; sourceId?: string },
  now: Date,
): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `UPDATE account_requests SET status = 'RETRY', attempts = 0, next_attempt_at = $3, lease_until = NULL,
       completed = NULL, modified = $3
     WHERE ($1::text[] IS NULL OR id = ANY($1)) AND ($2::text IS NULL OR source_id = $2)
       AND status IN ('FAILED', 'RETRY')
     RETURNING id`,
    [filter.ids ?? null, filter.sourceId ?? null, now.toISOString()],
  )
  return rows.map((r) => r.id)
}

/**
 * Ends every lease at once, keeping the activities marked in doubt. Only for the embedded database,
 * which one process opens at a time: any lease found when it opens is a dead process's.
 */
export async function releaseDeadLeases(db: Db): Promise<void> {
  await db.query(
    `UPDATE account_requests SET lease_until = '-infinity'
     WHERE lease_until IS NOT NULL AND lease_until <> '-infinity' AND status IN ('PENDING', 'RETRY')`,
  )
}

/** A Create request withdrawn because its identity's account appeared on the source. */
export interface WithdrawnCreate {
  readonly id: string
  readonly identityId: string
  /** The account the identity has on the source now. */
  readonly account: string
}

/**
 * Withdraws (CANCELED, with the reason) the Create requests of a source, optionally only of some
 * identities, that have not run and whose identity now has an account on the source: carrying them
 * out would make a second account. Their manual tasks (flat-file sources) are canceled with the same
 * reason and their secrets erased. A request a worker holds (leased, or in doubt after a worker died)
 * is left to the executor, which reads back before it acts; so is one whose task its owner has closed.
 * Work items are closed before requests, the order `tasks complete` takes its locks in.
 */
export async function withdrawOvertakenCreates(
  db: Db,
  options: { sourceId: string; identityIds?: readonly string[]; now: Date },
): Promise<WithdrawnCreate[]> {
  if (options.identityIds?.length === 0) return []
  const now = options.now.toISOString()
  const candidates = `SELECT r.id, r.identity_id,
         (SELECT min(a.native_identity) FROM accounts a
          WHERE a.source_id = r.source_id AND a.identity_id = r.identity_id) AS account
       FROM account_requests r
       WHERE r.source_id = $1 AND r.operation = 'Create' AND r.status IN ('PENDING', 'RETRY')
         AND r.lease_until IS NULL AND ($2::text[] IS NULL OR r.identity_id = ANY($2::text[]))`
  const params = [options.sourceId, options.identityIds ?? null, now]
  await db.query(
    `UPDATE work_items w SET state = 'Canceled', completed = $3, secrets = NULL,
       comment = 'withdrawn: account ' || quote_literal(c.account) || ' of this identity appeared on the source '
         || '(aggregation found it); creating another would make a duplicate'
     FROM (${candidates}) c
     WHERE w.activity_id = c.id AND c.account IS NOT NULL AND w.state = 'Pending'`,
    params,
  )
  const rows = await db.query<{ id: string; identity_id: string; account: string }>(
    `WITH c AS (${candidates})
     UPDATE account_requests r SET status = 'CANCELED', next_attempt_at = NULL, completed = $3, modified = $3,
       errors = (r.errors::jsonb || jsonb_build_array(jsonb_build_object(
         'at', to_char($3::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
         'attempt', r.attempts, 'kind', 'WITHDRAWN',
         'message', 'withdrawn: account ' || quote_literal(c.account) || ' of this identity appeared on the '
           || 'source (aggregation found it); creating another would make a duplicate')))::json
     FROM c
     WHERE r.id = c.id AND c.account IS NOT NULL AND r.status IN ('PENDING', 'RETRY') AND r.lease_until IS NULL
       AND NOT EXISTS (SELECT 1 FROM work_items w WHERE w.activity_id = r.id AND w.state <> 'Canceled')
     RETURNING r.id, r.identity_id, c.account`,
    params,
  )
  return rows.map((r) => ({ id: r.id, identityId: r.identity_id, account: r.account }))
}
