import { newId } from '../domain/new-id.js'
import type { CheckedFilter } from '../domain/query/check-filters.js'
import type { Db } from './db.js'
import { iso, isoOrNull } from './iso-time.js'
import { countRows, limitClause, orderClause, type Page } from './paging.js'
import { insertWorkItemEvents } from './approvals.js'
import { WhereClauses } from './where-clauses.js'

/**
 * A reviewer's certification: a work item of type `Certification` (DESIGN §10), its owner the reviewer,
 * `completed` its sign-off; with its items' counts.
 */
export interface Certification {
  readonly id: string
  readonly campaignId: string
  readonly name: string
  readonly reviewerId: string
  /** Who it was generated for, when it was reassigned since. */
  readonly originalReviewerId: string | null
  /** The reason given with the last reassignment. */
  readonly reassignComment: string | null
  readonly signed: string | null
  readonly reminders: number
  readonly lastReminded: string | null
  readonly escalated: string | null
  readonly created: string
  readonly modified: string
  readonly itemsTotal: number
  readonly itemsDecided: number
  readonly identitiesTotal: number
  readonly identitiesCompleted: number
}

interface Row {
  id: string
  campaign_id: string
  description: string
  owner: string
  original_owner: string | null
  comment: string | null
  completed: string | Date | null
  reminders: number
  last_reminded: string | Date | null
  escalated: string | Date | null
  created: string | Date
  modified: string | Date | null
  items_total: number
  items_decided: number
  identities_total: number
  identities_completed: number
}

function toCertification(r: Row): Certification {
  return {
    id: r.id,
    campaignId: r.campaign_id,
    name: r.description,
    reviewerId: r.owner,
    originalReviewerId: r.original_owner !== r.owner ? r.original_owner : null,
    reassignComment: r.comment,
    signed: isoOrNull(r.completed),
    reminders: Number(r.reminders),
    lastReminded: isoOrNull(r.last_reminded),
    escalated: isoOrNull(r.escalated),
    created: iso(r.created),
    modified: iso(r.modified ?? r.created),
    itemsTotal: Number(r.items_total),
    itemsDecided: Number(r.items_decided),
    identitiesTotal: Number(r.identities_total),
    identitiesCompleted: Number(r.identities_completed),
  }
}

/** New certifications (one per reviewer), each with its CREATED event; their ids, in order. */
export async function insertCertifications(
  db: Db,
  campaignId: string,
  certs: readonly { reviewerId: string; name: string }[],
  now: Date,
): Promise<string[]> {
  if (certs.length === 0) return []
  const ids = certs.map(() => newId())
  const at = now.toISOString()
  await db.query(
    `INSERT INTO work_items (id, type, state, owner, original_owner, campaign_id, description, created, modified)
     SELECT u.id, 'Certification', 'Pending', u.owner, u.owner, $4, u.name, $5, $5
     FROM unnest($1::text[], $2::text[], $3::text[]) AS u(id, owner, name)`,
    [ids, certs.map((c) => c.reviewerId), certs.map((c) => c.name), campaignId, at],
  )
  await insertWorkItemEvents(
    db,
    certs.map((c, i) => ({
      workItemId: ids[i] as string,
      at,
      actor: null,
      action: 'CREATED' as const,
      fromOwner: null,
      toOwner: c.reviewerId,
      comment: null,
    })),
  )
  return ids
}

export interface CertificationFilter {
  readonly ids?: readonly string[]
  readonly campaignIds?: readonly string[]
  readonly reviewerIds?: readonly string[]
  /** Signed off (true) or not yet (false). */
  readonly signed?: boolean
  /** Only those of campaigns in these statuses. */
  readonly campaignStatuses?: readonly string[]
  /** The API's `filters`, checked against CERTIFICATION_FILTER_COLUMNS' fields. */
  readonly expression?: CheckedFilter<CertificationFilterField>
}
export type CertificationFilterField = 'id' | 'campaign.id' | 'phase' | 'completed'
// The reference's phase: STAGED until the campaign is activated, SIGNED once signed off, ACTIVE between.
const CERTIFICATION_FILTER_COLUMNS: Record<CertificationFilterField, string> = {
  id: 'w.id',
  'campaign.id': 'w.campaign_id',
  phase: `(CASE WHEN c.status IN ('PENDING', 'STAGED') THEN 'STAGED' WHEN w.completed IS NOT NULL THEN 'SIGNED' ELSE 'ACTIVE' END)`,
  completed: '(w.completed IS NOT NULL)',
}
export type CertificationSortField = 'name' | 'created' | 'due' | 'signed'
// Columns of the page's rows (the subquery `w`, which carries its campaign's deadline as `due`): the page
// is chosen and then returned in this order. The outer query once sorted `due` by creation instead.
const SORT: Record<CertificationSortField, string> = {
  name: 'w.description',
  created: 'w.created',
  due: 'w.due',
  signed: 'w.completed',
}

function where(f: CertificationFilter): WhereClauses {
  const w = new WhereClauses()
  w.add(`w.type = 'Certification'`)
  if (f.ids) w.add('w.id = ANY(?::text[])', f.ids)
  if (f.campaignIds) w.add('w.campaign_id = ANY(?::text[])', f.campaignIds)
  if (f.reviewerIds) w.add('w.owner = ANY(?::text[])', f.reviewerIds)
  if (f.signed === true) w.add('w.completed IS NOT NULL')
  if (f.signed === false) w.add('w.completed IS NULL')
  if (f.campaignStatuses) w.add('c.status = ANY(?::text[])', f.campaignStatuses)
  w.filter(f.expression, CERTIFICATION_FILTER_COLUMNS)
  return w
}

const FROM = 'FROM work_items w JOIN campaigns c ON c.id = w.campaign_id'

/** Certifications with their counts (items decided, identities whose every item is decided). */
export async function listCertifications(
  db: Db,
  filter: CertificationFilter,
  page?: Page<CertificationSortField>,
): Promise<Certification[]> {
  const w = where(filter)
  const order = orderClause(page?.sort, SORT, 'w.created, w.id', 'w.id')
  // The inner query's FROM names the table `w` too: its order reads the deadline from the campaign.
  const innerOrder = order.replaceAll('w.due', 'c.deadline')
  const rows = await db.query<Row>(
    `SELECT w.id, w.campaign_id, w.description, w.owner, w.original_owner, w.comment, w.completed, w.reminders,
       w.last_reminded, w.escalated, w.created, w.modified,
       coalesce(n.items_total, 0) AS items_total, coalesce(n.items_decided, 0) AS items_decided,
       coalesce(n.identities_total, 0) AS identities_total, coalesce(n.identities_completed, 0) AS identities_completed
     FROM (SELECT w.*, c.deadline AS due ${FROM} ${w.sql()} ${innerOrder}${limitClause(page, w.params)}) AS w
     LEFT JOIN LATERAL (
       SELECT sum(t)::int AS items_total, sum(d)::int AS items_decided, count(*)::int AS identities_total,
         count(*) FILTER (WHERE t = d)::int AS identities_completed
       FROM (SELECT identity_id, count(*) AS t, count(decision) AS d FROM certification_items
             WHERE certification_id = w.id GROUP BY identity_id) AS per_identity
     ) AS n ON true
     ${order}`,
    w.params,
  )
  return rows.map(toCertification)
}

export async function countCertifications(db: Db, filter: CertificationFilter): Promise<number> {
  const w = where(filter)
  return countRows(db, `${FROM} ${w.sql()}`, w.params)
}

/**
 * Signs a certification off, with its SIGNED_OFF event, and so queues it for remediation (one statement);
 * null when it already was, or when an item of it has no decision. `othersOpen`: whether another
 * certification of its campaign is not signed off yet (one signed at the same moment is not seen).
 */
export async function signCertification(
  db: Db,
  id: string,
  by: string,
  now: Date,
): Promise<{ othersOpen: boolean } | null> {
  const rows = await db.query<{ id: string; others_open: boolean }>(
    `WITH signed AS (
       UPDATE work_items SET state = 'Finished', completed = $2, modified = $2, decided_by = $3
       WHERE id = $1 AND type = 'Certification' AND completed IS NULL
         AND NOT EXISTS (SELECT 1 FROM certification_items WHERE certification_id = $1 AND decision IS NULL)
       RETURNING id, campaign_id),
     event AS (
       INSERT INTO work_item_events (id, work_item_id, at, actor, action, from_owner, to_owner, comment)
       SELECT $4, id, $2, $3, 'SIGNED_OFF', NULL, NULL, NULL FROM signed)
     SELECT s.id, EXISTS (
         SELECT 1 FROM work_items o WHERE o.campaign_id = s.campaign_id AND o.type = 'Certification'
           AND o.completed IS NULL AND o.id <> s.id) AS others_open
     FROM signed s`,
    [id, now.toISOString(), by, newId()],
  )
  return rows[0] ? { othersOpen: rows[0].others_open === true } : null
}

/**
 * Locks a certification's row until the transaction ends, if it is still open (not signed off): a sign-off
 * waits for the transaction, or came first and this answers false.
 */
export async function lockOpenCertification(db: Db, id: string): Promise<boolean> {
  const rows = await db.query(
    `SELECT id FROM work_items WHERE id = $1 AND type = 'Certification' AND completed IS NULL FOR UPDATE`,
    [id],
  )
  return rows.length === 1
}

/** Gives a certification (or, when `itemIds` is given, part of it, as a new one) to another reviewer. */
export async function reassignCertification(
  db: Db,
  id: string,
  to: string,
  comment: string,
  actor: string | null,
  now: Date,
  action: 'REASSIGNED' | 'ESCALATED' = 'REASSIGNED',
): Promise<boolean> {
  const rows = await db.query<{ old: string }>(
    `UPDATE work_items w SET owner = $2, comment = $3, modified = $4,
       escalated = CASE WHEN $5 = 'ESCALATED' THEN $4::timestamptz ELSE w.escalated END
     FROM (SELECT owner AS old FROM work_items WHERE id = $1) AS before
     WHERE w.id = $1 AND w.type = 'Certification' AND w.completed IS NULL RETURNING before.old`,
    [id, to, comment, now.toISOString(), action],
  )
  if (rows.length === 0) return false
  await insertWorkItemEvents(db, [
    {
      workItemId: id,
      at: now.toISOString(),
      actor,
      action,
      fromOwner: rows[0]?.old ?? null,
      toOwner: to,
      comment,
    },
  ])
  return true
}

/**
 * Records that a certification's reviewer was reminded for the `count`th time; false when it was already
 * (another process reminded them first), so each reminder is sent once.
 */
export async function markCertificationReminded(
  db: Db,
  id: string,
  count: number,
  now: Date,
): Promise<boolean> {
  const rows = await db.query<{ id: string }>(
    `UPDATE work_items SET reminders = $2, last_reminded = $3 WHERE id = $1 AND reminders < $2 RETURNING id`,
    [id, count, now.toISOString()],
  )
  return rows.length === 1
}

/** Whether a campaign has a certification not signed off yet (stops at the first: no count of them all). */
export async function hasOpenCertifications(db: Db, campaignId: string): Promise<boolean> {
  const rows = await db.query<{ one: number }>(
    `SELECT 1 AS one FROM work_items WHERE campaign_id = $1 AND type = 'Certification' AND completed IS NULL LIMIT 1`,
    [campaignId],
  )
  return rows.length > 0
}
