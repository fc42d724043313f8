import type { CheckedFilter } from '../domain/query/check-filters.js'
import type { Db } from './db.js'
import { filterSql } from './filter-sql.js'
import { iso } from './iso-time.js'
import { countRows, limitClause, orderClause, type Page } from './paging.js'

export type NotificationState = 'OUTBOX' | 'PENDING' | 'SENT' | 'FAILED'
export const NOTIFICATION_STATES: readonly NotificationState[] = ['OUTBOX', 'PENDING', 'SENT', 'FAILED']

/** One message to one recipient (migration 0014). */
export interface Notification {
  readonly id: string
  readonly kind: string
  readonly recipientIdentityId: string | null
  readonly recipientEmail: string | null
  readonly subject: string
  readonly body: string
  readonly html: string | null
  readonly state: NotificationState
  readonly attempts: number
  readonly lastError: string | null
  readonly nextAttemptAt: string | null
  readonly regarding: Readonly<Record<string, string>>
  readonly created: string
  readonly sent: string | null
}

export type NotificationWrite = Omit<Notification, 'attempts' | 'sent' | 'created'>

/** Writes messages, all in one statement (a caller's transaction holds them with the change they tell of). */
export async function insertNotifications(
  db: Db,
  rows: readonly NotificationWrite[],
  created: Date,
): Promise<void> {
  if (rows.length === 0) return
  const column = <T>(f: (r: NotificationWrite) => T): T[] => rows.map(f)
  await db.query(
    `INSERT INTO notifications (id, kind, recipient_identity_id, recipient_email, subject, body, html, state,
       last_error, next_attempt_at, regarding, created)
     SELECT u.id, u.kind, u.identity_id, u.email, u.subject, u.body, u.html, u.state, u.last_error,
       u.next_attempt_at::timestamptz, u.regarding::jsonb, $12
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
       $9::text[], $10::text[], $11::text[])
       AS u(id, kind, identity_id, email, subject, body, html, state, last_error, next_attempt_at, regarding)`,
    [
      column((r) => r.id),
      column((r) => r.kind),
      column((r) => r.recipientIdentityId),
      column((r) => r.recipientEmail),
      column((r) => r.subject),
      column((r) => r.body),
      column((r) => r.html),
      column((r) => r.state),
      column((r) => r.lastError),
      column((r) => r.nextAttemptAt),
      column((r) => JSON.stringify(r.regarding)),
      created.toISOString(),
    ],
  )
}

/** A message claimed for sending: what goes out, and how many attempts it has had (this one included). */
export interface ClaimedNotification {
  readonly id: string
  readonly kind: string
  readonly recipientEmail: string
  readonly subject: string
  readonly body: string
  readonly html: string | null
  readonly attempts: number
}

/**
 * Claims up to `limit` messages due for sending until `leaseUntil`, counting the attempt. `FOR UPDATE SKIP
 * LOCKED` hands each row to one sender even when several claim at once (on a server, from several
 * processes), and the lease keeps it theirs after the claim commits; a sender that dies frees its rows
 * when the lease ends, and they are sent then (at least once, never twice by two live senders).
 */
export async function claimDueNotifications(
  db: Db,
  options: { now: Date; leaseUntil: Date; limit: number },
): Promise<ClaimedNotification[]> {
  const rows = await db.query<{
    id: string
    kind: string
    recipient_email: string
    subject: string
    body: string
    html: string | null
    attempts: number
  }>(
    `WITH due AS (
       SELECT id FROM notifications
       WHERE state = 'PENDING' AND next_attempt_at <= $1 AND (lease_until IS NULL OR lease_until <= $1)
       ORDER BY next_attempt_at, id LIMIT $3 FOR UPDATE SKIP LOCKED)
     UPDATE notifications n SET lease_until = $2, attempts = n.attempts + 1
     FROM due WHERE n.id = due.id
     RETURNING n.id, n.kind, n.recipient_email, n.subject, n.body, n.html, n.attempts`,
    [options.now.toISOString(), options.leaseUntil.toISOString(), options.limit],
  )
  return rows
    .map((r) => ({
      id: r.id,
      kind: r.kind,
      recipientEmail: r.recipient_email,
      subject: r.subject,
      body: r.body,
      html: r.html,
      attempts: Number(r.attempts),
    }))
    .sort((a, b) => (a.id < b.id ? -1 : 1))
}

/** How one attempt went: sent, to be tried again at a time, or failed for good. */
export type NotificationOutcome =
  | { readonly id: string; readonly state: 'SENT'; readonly at: Date }
  | { readonly id: string; readonly state: 'PENDING'; readonly error: string; readonly nextAttemptAt: Date }
  | { readonly id: string; readonly state: 'FAILED'; readonly error: string }

/** Records an attempt's outcome and releases the claim. */
export async function recordNotificationOutcome(db: Db, outcome: NotificationOutcome): Promise<void> {
  if (outcome.state === 'SENT') {
    await db.query(
      `UPDATE notifications SET state = 'SENT', sent = $2, lease_until = NULL, next_attempt_at = NULL
       WHERE id = $1 AND state = 'PENDING'`,
      [outcome.id, outcome.at.toISOString()],
    )
  } else if (outcome.state === 'PENDING') {
    await db.query(
      `UPDATE notifications SET last_error = $2, next_attempt_at = $3, lease_until = NULL
       WHERE id = $1 AND state = 'PENDING'`,
      [outcome.id, outcome.error, outcome.nextAttemptAt.toISOString()],
    )
  } else {
    await db.query(
      `UPDATE notifications SET state = 'FAILED', last_error = $2, next_attempt_at = NULL, lease_until = NULL
       WHERE id = $1 AND state = 'PENDING'`,
      [outcome.id, outcome.error],
    )
  }
}

/** The fields a `filters` expression on notifications can name. */
export type NotificationFilterField =
  | 'id'
  | 'kind'
  | 'state'
  | 'recipientIdentityId'
  | 'recipientEmail'
  | 'subject'
  | 'attempts'
  | 'created'
  | 'sent'
  | 'regarding.accessRequestId'
  | 'regarding.approvalId'
  | 'regarding.campaignId'
const FILTER_COLUMNS: Record<NotificationFilterField, string> = {
  id: 'id',
  kind: 'kind',
  state: 'state',
  recipientIdentityId: 'recipient_identity_id',
  recipientEmail: 'recipient_email',
  subject: 'subject',
  attempts: 'attempts',
  created: 'created',
  sent: 'sent',
  'regarding.accessRequestId': "(regarding->>'accessRequestId')",
  'regarding.approvalId': "(regarding->>'approvalId')",
  'regarding.campaignId': "(regarding->>'campaignId')",
}

export type NotificationSortField = 'created' | 'sent' | 'kind' | 'state' | 'id'
const SORT_COLUMNS: Record<NotificationSortField, string> = {
  created: 'created',
  sent: 'sent',
  kind: 'kind',
  state: 'state',
  id: 'id',
}

export interface NotificationFilter {
  /** One recipient's messages only. */
  readonly identityId?: string
  readonly state?: NotificationState
  readonly expression?: CheckedFilter<NotificationFilterField>
}

function where(filter: NotificationFilter, params: unknown[]): string {
  const parts: string[] = []
  if (filter.identityId !== undefined) {
    params.push(filter.identityId)
    parts.push(`recipient_identity_id = $${params.length}`)
  }
  if (filter.state !== undefined) {
    params.push(filter.state)
    parts.push(`state = $${params.length}`)
  }
  if (filter.expression !== undefined) {
    const expression = filterSql(filter.expression, FILTER_COLUMNS, params.length + 1)
    params.push(...expression.params)
    parts.push(expression.sql)
  }
  return parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : ''
}

interface DbNotificationRow {
  id: string
  kind: string
  recipient_identity_id: string | null
  recipient_email: string | null
  subject: string
  body: string
  html: string | null
  state: NotificationState
  attempts: number
  last_error: string | null
  next_attempt_at: string | Date | null
  regarding: Record<string, string> | string
  created: string | Date
  sent: string | Date | null
}

function toNotification(r: DbNotificationRow): Notification {
  return {
    id: r.id,
    kind: r.kind,
    recipientIdentityId: r.recipient_identity_id,
    recipientEmail: r.recipient_email,
    subject: r.subject,
    body: r.body,
    html: r.html,
    state: r.state,
    attempts: Number(r.attempts),
    lastError: r.last_error,
    nextAttemptAt: r.next_attempt_at === null ? null : iso(r.next_attempt_at),
    regarding:
      typeof r.regarding === 'string' ? (JSON.parse(r.regarding) as Record<string, string>) : r.regarding,
    created: iso(r.created),
    sent: r.sent === null ? null : iso(r.sent),
  }
}

/** Messages, newest first unless sorted otherwise. */
export async function listNotifications(
  db: Db,
  filter: NotificationFilter = {},
  page?: Page<NotificationSortField>,
): Promise<Notification[]> {
  const params: unknown[] = []
  const w = where(filter, params)
  const order = orderClause(page?.sort, SORT_COLUMNS, 'created DESC, id DESC', 'id')
  const rows = await db.query<DbNotificationRow>(
    `SELECT id, kind, recipient_identity_id, recipient_email, subject, body, html, state, attempts, last_error,
       next_attempt_at, regarding, created, sent
     FROM notifications ${w} ${order}${limitClause(page, params)}`,
    params,
  )
  return rows.map(toNotification)
}

export async function countNotifications(db: Db, filter: NotificationFilter = {}): Promise<number> {
  const params: unknown[] = []
  return countRows(db, `FROM notifications ${where(filter, params)}`, params)
}

/**
 * Puts messages back in the sending queue: PENDING, due now, their attempts counted from zero again (the
 * last error is kept until the next attempt). Only FAILED and OUTBOX messages with an address move; the
 * ids of those moved.
 */
export async function requeueNotifications(
  db: Db,
  which: { readonly ids?: readonly string[]; readonly states: readonly ('FAILED' | 'OUTBOX')[] },
  now: Date,
): Promise<string[]> {
  const rows = await db.query<{ id: string }>(
    `UPDATE notifications SET state = 'PENDING', attempts = 0, next_attempt_at = $1, lease_until = NULL
     WHERE state = ANY($2::text[]) AND recipient_email IS NOT NULL AND ($3::text[] IS NULL OR id = ANY($3::text[]))
     RETURNING id`,
    [now.toISOString(), which.states, which.ids ?? null],
  )
  return rows.map((r) => r.id)
}
