import type {
  AccountActivity,
  ActivityError,
  ProvisioningStatus,
} from '../domain/execution/account-activity.js'
import { batches, type Db } from './db.js'
import { activityColumns, toActivity, type ActivityTuple } from './activity-rows.js'

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
         -- The due index's order (migration 17): read in order, from the source's first due activity on.
         ORDER BY r.id COLLATE "C" LIMIT $3 FOR UPDATE SKIP LOCKED),
       claimed AS (
         UPDATE account_requests u SET lease_until = $4, attempts = u.attempts + 1, modified = $2
         FROM due WHERE u.id = due.id
         RETURNING u.*, due.in_doubt)
       SELECT coalesce(json_agg(json_build_array(${activityColumns('c').join(', ')}, c.in_doubt)), '[]')::text AS j
       FROM claimed c`,
      [options.sourceId, options.now.toISOString(), free, options.leaseUntil.toISOString()],
    )
    const rows = JSON.parse(result[0]?.j ?? '[]') as [...ActivityTuple, boolean][]
    const n = activityColumns('c').length
    const claimed = rows
      .map((r) => ({ ...toActivity(r.slice(0, n) as ActivityTuple), inDoubt: r[n] === true }))
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

/**
 * Claims the requests that wait behind requests already in these pending manual tasks — a second
 * revocation on the same account, which would otherwise wait for the owner to close the first task —
 * so that they join those tasks: the owner does them together. Only a request every earlier open request
 * of whose account is in one of the tasks; `accept` picks which of them to claim (the same sign-off's).
 */
export async function claimFollowers(
  db: Db,
  options: {
    sourceId: string
    workItemIds: readonly string[]
    now: Date
    leaseUntil: Date
    accept: (a: AccountActivity) => boolean
  },
): Promise<ClaimedActivity[]> {
  if (options.workItemIds.length === 0) return []
  const candidates = await db.query<{ j: string }>(
    `SELECT coalesce(json_agg(json_build_array(${activityColumns('r').join(', ')}) ORDER BY r.id), '[]')::text AS j
     FROM account_requests r
     WHERE r.source_id = $1 AND r.status = 'PENDING' AND r.lease_until IS NULL
       AND (r.next_attempt_at IS NULL OR r.next_attempt_at <= $2)
       AND NOT EXISTS (SELECT 1 FROM work_item_activities l WHERE l.activity_id = r.id)
       AND EXISTS (SELECT 1 FROM account_requests o WHERE o.source_id = r.source_id
         AND o.native_identity = r.native_identity AND o.id < r.id AND o.status IN ('PENDING', 'RETRY'))
       AND NOT EXISTS (SELECT 1 FROM account_requests o WHERE o.source_id = r.source_id
         AND o.native_identity = r.native_identity AND o.id < r.id AND o.status IN ('PENDING', 'RETRY')
         AND NOT EXISTS (SELECT 1 FROM work_item_activities l JOIN work_items w ON w.id = l.work_item_id
           WHERE l.activity_id = o.id AND w.state = 'Pending' AND w.id = ANY($3::text[])))`,
    [options.sourceId, options.now.toISOString(), options.workItemIds],
  )
  const accepted = (JSON.parse(candidates[0]?.j ?? '[]') as ActivityTuple[])
    .map(toActivity)
    .filter(options.accept)
  if (accepted.length === 0) return []
  // Guarded as claimDue is: another worker's claim in between wins.
  const claimed = await db.query<{ id: string }>(
    `UPDATE account_requests SET lease_until = $2, attempts = attempts + 1, modified = $3
     WHERE id = ANY($1::text[]) AND status = 'PENDING' AND lease_until IS NULL RETURNING id`,
    [accepted.map((a) => a.id), options.leaseUntil.toISOString(), options.now.toISOString()],
  )
  const ids = new Set(claimed.map((r) => r.id))
  return accepted
    .filter((a) => ids.has(a.id))
    .map((a) => ({ ...a, attempts: a.attempts + 1, inDoubt: false }))
}
