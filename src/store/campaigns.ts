import type { Campaign, CampaignSpec, CampaignStatus, Decision } from '../domain/certifications/campaign.js'
import { newId } from '../domain/new-id.js'
import type { CheckedFilter } from '../domain/query/check-filters.js'
import type { Db } from './db.js'
import { iso, isoOrNull } from './iso-time.js'
import { countRows, limitClause, orderClause, type Page } from './paging.js'
import { WhereClauses } from './where-clauses.js'

interface Row {
  id: string
  name: string
  description: string | null
  type: Campaign['type']
  status: CampaignStatus
  deadline: string | Date | null
  owner_id: string | null
  spec: CampaignSpec | string
  template_id: string | null
  items_total: number
  auto_completed_with: Decision | null
  error: string | null
  created: string | Date
  modified: string | Date
  activated: string | Date | null
  signed_off: string | Date | null
  completed: string | Date | null
}

function toCampaign(r: Row): Campaign {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    type: r.type,
    status: r.status,
    deadline: isoOrNull(r.deadline),
    ownerId: r.owner_id,
    spec: typeof r.spec === 'string' ? (JSON.parse(r.spec) as CampaignSpec) : r.spec,
    templateId: r.template_id,
    itemsTotal: Number(r.items_total),
    autoCompletedWith: r.auto_completed_with,
    error: r.error,
    created: iso(r.created),
    modified: iso(r.modified),
    activated: isoOrNull(r.activated),
    signedOff: isoOrNull(r.signed_off),
    completed: isoOrNull(r.completed),
  }
}

/** A new campaign, PENDING until its certifications and items are generated. */
export async function insertCampaign(
  db: Db,
  c: { spec: CampaignSpec; ownerId: string | null; templateId?: string | null },
  now: Date,
): Promise<Campaign> {
  const rows = await db.query<Row>(
    `INSERT INTO campaigns (id, name, description, type, status, deadline, owner_id, spec, template_id, created, modified)
     VALUES ($1, $2, $3, $4, 'PENDING', $5, $6, $7, $8, $9, $9) RETURNING *`,
    [
      newId(),
      c.spec.name,
      c.spec.description ?? null,
      c.spec.type,
      c.spec.deadline ?? null,
      c.ownerId,
      JSON.stringify(c.spec),
      c.templateId ?? null,
      now.toISOString(),
    ],
  )
  return toCampaign(rows[0] as Row)
}

export async function findCampaign(db: Db, id: string): Promise<Campaign | undefined> {
  const rows = await db.query<Row>('SELECT * FROM campaigns WHERE id = $1', [id])
  return rows[0] ? toCampaign(rows[0]) : undefined
}

export interface CampaignFilter {
  readonly ids?: readonly string[]
  readonly statuses?: readonly CampaignStatus[]
  readonly names?: readonly string[]
  /** The API's `filters`, checked against CAMPAIGN_FILTER_COLUMNS' fields. */
  readonly expression?: CheckedFilter<CampaignFilterField>
}
export type CampaignFilterField = 'id' | 'name' | 'status'
const CAMPAIGN_FILTER_COLUMNS: Record<CampaignFilterField, string> = {
  id: 'id',
  name: 'name',
  status: 'status',
}
export type CampaignSortField = 'name' | 'created' | 'deadline'
const SORT: Record<CampaignSortField, string> = { name: 'name', created: 'created', deadline: 'deadline' }

function where(f: CampaignFilter): WhereClauses {
  const w = new WhereClauses()
  if (f.ids) w.add('id = ANY(?::text[])', f.ids)
  if (f.statuses) w.add('status = ANY(?::text[])', f.statuses)
  if (f.names) w.add('name = ANY(?::text[])', f.names)
  w.filter(f.expression, CAMPAIGN_FILTER_COLUMNS)
  return w
}

export async function listCampaigns(
  db: Db,
  filter: CampaignFilter = {},
  page?: Page<CampaignSortField>,
): Promise<Campaign[]> {
  const w = where(filter)
  const order = orderClause(page?.sort, SORT, 'created DESC, id', 'id')
  const rows = await db.query<Row>(
    `SELECT * FROM campaigns ${w.sql()} ${order}${limitClause(page, w.params)}`,
    w.params,
  )
  return rows.map(toCampaign)
}

export async function countCampaigns(db: Db, filter: CampaignFilter = {}): Promise<number> {
  const w = where(filter)
  return countRows(db, `FROM campaigns ${w.sql()}`, w.params)
}

/**
 * Moves a campaign from one status to the next, with the columns the move sets; false when it was no
 * longer in `from` (someone else moved it first): the caller reads it again.
 */
export async function moveCampaign(
  db: Db,
  id: string,
  from: CampaignStatus,
  to: CampaignStatus,
  now: Date,
  set: {
    itemsTotal?: number
    error?: string | null
    activated?: boolean
    signedOff?: boolean
    completed?: boolean
    autoCompletedWith?: Decision
  } = {},
): Promise<boolean> {
  const rows = await db.query<{ id: string }>(
    `UPDATE campaigns SET status = $3, modified = $4,
       items_total = coalesce($5, items_total), error = CASE WHEN $6 THEN $7 ELSE error END,
       activated = CASE WHEN $8 THEN $4::timestamptz ELSE activated END,
       signed_off = CASE WHEN $9 THEN $4::timestamptz ELSE signed_off END,
       completed = CASE WHEN $10 THEN $4::timestamptz ELSE completed END,
       auto_completed_with = coalesce($11, auto_completed_with)
     WHERE id = $1 AND status = $2 RETURNING id`,
    [
      id,
      from,
      to,
      now.toISOString(),
      set.itemsTotal ?? null,
      set.error !== undefined,
      set.error ?? null,
      set.activated === true,
      set.signedOff === true,
      set.completed === true,
      set.autoCompletedWith ?? null,
    ],
  )
  return rows.length === 1
}

/** Changes a staged campaign's name, description or deadline (PATCH /campaigns/{id}). */
export async function updateCampaignFields(
  db: Db,
  id: string,
  fields: { name?: string; description?: string | null; deadline?: string | null },
  now: Date,
): Promise<void> {
  await db.query(
    `UPDATE campaigns SET name = coalesce($2, name),
       description = CASE WHEN $3 THEN $4 ELSE description END,
       deadline = CASE WHEN $5 THEN $6::timestamptz ELSE deadline END, modified = $7
     WHERE id = $1`,
    [
      id,
      fields.name ?? null,
      fields.description !== undefined,
      fields.description ?? null,
      fields.deadline !== undefined,
      fields.deadline ?? null,
      now.toISOString(),
    ],
  )
}

/**
 * Holds a campaign in `status` so until the transaction ends (a shared lock: completing or deleting it
 * waits), or false when it is not in that status any more (or gone).
 */
export async function holdCampaign(db: Db, id: string, status: CampaignStatus): Promise<boolean> {
  const rows = await db.query(`SELECT id FROM campaigns WHERE id = $1 AND status = $2 FOR SHARE`, [
    id,
    status,
  ])
  return rows.length === 1
}

/** These campaigns, their rows locked until the transaction ends: a status read here stays so until then. */
export async function lockCampaigns(db: Db, ids: readonly string[]): Promise<Campaign[]> {
  const rows = await db.query<Row>(
    'SELECT * FROM campaigns WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE',
    [ids],
  )
  return rows.map(toCampaign)
}

/** Deletes campaigns with their certifications, items and report runs (only those not active: the engine checks). */
export async function deleteCampaigns(db: Db, ids: readonly string[]): Promise<void> {
  // Through the certifications: certification_items has no index by campaign.
  await db.query(
    `DELETE FROM certification_outcomes WHERE certification_item_id IN (SELECT id FROM certification_items WHERE certification_id IN
       (SELECT id FROM work_items WHERE type = 'Certification' AND campaign_id = ANY($1::text[])))`,
    [ids],
  )
  await db.query(
    `DELETE FROM certification_items WHERE certification_id IN
       (SELECT id FROM work_items WHERE type = 'Certification' AND campaign_id = ANY($1::text[]))`,
    [ids],
  )
  await db.query(
    `DELETE FROM work_item_events WHERE work_item_id IN
       (SELECT id FROM work_items WHERE campaign_id = ANY($1::text[]))`,
    [ids],
  )
  await db.query('DELETE FROM work_items WHERE campaign_id = ANY($1::text[])', [ids])
  await db.query('DELETE FROM campaign_reports WHERE campaign_id = ANY($1::text[])', [ids])
  await db.query('DELETE FROM campaigns WHERE id = ANY($1::text[])', [ids])
}
