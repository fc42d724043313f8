import type {
  CampaignTemplate,
  CampaignTemplateSpec,
  Schedule,
} from '../domain/certifications/campaign-template.js'
import { newId } from '../domain/new-id.js'
import type { Db } from './db.js'
import { iso, isoOrNull } from './iso-time.js'
import { countRows, limitClause, orderClause, type Page } from './paging.js'

interface Row {
  id: string
  name: string
  description: string | null
  owner_id: string | null
  deadline_duration: string | null
  campaign: CampaignTemplate['campaign'] | string
  schedule: Schedule | string | null
  next_run: string | Date | null
  last_generated: string | Date | null
  last_error: string | null
  created: string | Date
  modified: string | Date
}

function json<T>(v: T | string): T {
  return typeof v === 'string' ? (JSON.parse(v) as T) : v
}

function toTemplate(r: Row): CampaignTemplate {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    ownerId: r.owner_id,
    deadlineDuration: r.deadline_duration,
    campaign: json(r.campaign),
    schedule: r.schedule === null ? null : json(r.schedule),
    nextRun: isoOrNull(r.next_run),
    lastGenerated: isoOrNull(r.last_generated),
    lastError: r.last_error,
    created: iso(r.created),
    modified: iso(r.modified),
  }
}

/** A new template (unscheduled). */
export async function insertCampaignTemplate(
  db: Db,
  t: Pick<CampaignTemplateSpec, 'name' | 'description' | 'deadlineDuration' | 'campaign'> & {
    ownerId: string | null
  },
  now: Date,
): Promise<CampaignTemplate> {
  const rows = await db.query<Row>(
    `INSERT INTO campaign_templates (id, name, description, owner_id, deadline_duration, campaign, created, modified)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING *`,
    [
      newId(),
      t.name,
      t.description ?? null,
      t.ownerId,
      t.deadlineDuration ?? null,
      JSON.stringify(t.campaign),
      now.toISOString(),
    ],
  )
  return toTemplate(rows[0] as Row)
}

/** Replaces a template's fields (a PATCH, validated whole by the engine). */
export async function updateCampaignTemplate(
  db: Db,
  id: string,
  t: Pick<CampaignTemplateSpec, 'name' | 'description' | 'deadlineDuration' | 'campaign'>,
  now: Date,
): Promise<void> {
  await db.query(
    `UPDATE campaign_templates SET name = $2, description = $3, deadline_duration = $4, campaign = $5, modified = $6
     WHERE id = $1`,
    [
      id,
      t.name,
      t.description ?? null,
      t.deadlineDuration ?? null,
      JSON.stringify(t.campaign),
      now.toISOString(),
    ],
  )
}

export async function findCampaignTemplate(db: Db, id: string): Promise<CampaignTemplate | undefined> {
  const rows = await db.query<Row>('SELECT * FROM campaign_templates WHERE id = $1', [id])
  return rows[0] ? toTemplate(rows[0]) : undefined
}

export type CampaignTemplateSortField = 'name' | 'created' | 'modified'
const SORT: Record<CampaignTemplateSortField, string> = {
  name: 'name',
  created: 'created',
  modified: 'modified',
}

export async function listCampaignTemplates(
  db: Db,
  filter: { names?: readonly string[]; ids?: readonly string[] } = {},
  page?: Page<CampaignTemplateSortField>,
): Promise<CampaignTemplate[]> {
  const params: unknown[] = [filter.ids ?? null, filter.names ?? null]
  const order = orderClause(page?.sort, SORT, 'created, id', 'id')
  const rows = await db.query<Row>(
    `SELECT * FROM campaign_templates WHERE ($1::text[] IS NULL OR id = ANY($1)) AND ($2::text[] IS NULL OR name = ANY($2))
     ${order}${limitClause(page, params)}`,
    params,
  )
  return rows.map(toTemplate)
}

export async function countCampaignTemplates(
  db: Db,
  filter: { names?: readonly string[]; ids?: readonly string[] } = {},
): Promise<number> {
  return countRows(
    db,
    'FROM campaign_templates WHERE ($1::text[] IS NULL OR id = ANY($1)) AND ($2::text[] IS NULL OR name = ANY($2))',
    [filter.ids ?? null, filter.names ?? null],
  )
}

export async function deleteCampaignTemplate(db: Db, id: string): Promise<boolean> {
  const rows = await db.query<{ id: string }>('DELETE FROM campaign_templates WHERE id = $1 RETURNING id', [
    id,
  ])
  return rows.length === 1
}

/** Sets (or, with null, removes) a template's schedule and when it next runs. */
export async function setCampaignTemplateSchedule(
  db: Db,
  id: string,
  schedule: Schedule | null,
  nextRun: Date | null,
  now: Date,
): Promise<void> {
  await db.query(
    `UPDATE campaign_templates SET schedule = $2, next_run = $3, last_error = NULL, modified = $4 WHERE id = $1`,
    [
      id,
      schedule === null ? null : JSON.stringify(schedule),
      nextRun?.toISOString() ?? null,
      now.toISOString(),
    ],
  )
}

/** Templates whose schedule is due. */
export async function dueCampaignTemplates(db: Db, now: Date): Promise<CampaignTemplate[]> {
  const rows = await db.query<Row>(
    'SELECT * FROM campaign_templates WHERE next_run IS NOT NULL AND next_run <= $1 ORDER BY next_run, id',
    [now.toISOString()],
  )
  return rows.map(toTemplate)
}

/**
 * Claims a due run: moves the template's next run on from the one read (null: the schedule expired) and
 * records the generation; false when another process claimed it first. The claim is the durable job: a
 * run claimed is generated once, one missed while no process ran is generated at the next tick.
 */
export async function claimCampaignTemplateRun(
  db: Db,
  id: string,
  dueAt: string,
  nextRun: Date | null,
  now: Date,
): Promise<boolean> {
  const rows = await db.query<{ id: string }>(
    `UPDATE campaign_templates SET next_run = $3, last_generated = $4 WHERE id = $1 AND next_run = $2 RETURNING id`,
    [id, dueAt, nextRun?.toISOString() ?? null, now.toISOString()],
  )
  return rows.length === 1
}

/** Records why a scheduled generation failed (null: it did not). */
export async function recordCampaignTemplateError(db: Db, id: string, error: string | null): Promise<void> {
  await db.query('UPDATE campaign_templates SET last_error = $2 WHERE id = $1', [id, error])
}
