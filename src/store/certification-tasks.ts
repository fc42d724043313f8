import type { CheckedFilter } from '../domain/query/check-filters.js'
import type { Db } from './db.js'
import { iso } from './iso-time.js'
import { countRows, limitClause, type Page } from './paging.js'
import { WhereClauses } from './where-clauses.js'

/** One move of a certification from one reviewer to another. */
export interface TaskReassignment {
  readonly previousOwner: string
  readonly newOwner: string
  readonly reassignmentType: 'REASSIGN' | 'ADMIN_REASSIGN'
}

/** A reassignment asked for, and how it went. */
export interface CertificationTask {
  readonly id: string
  readonly type: 'REASSIGN' | 'ADMIN_REASSIGN'
  readonly targetType: 'CERTIFICATION' | 'CAMPAIGN'
  readonly targetId: string
  readonly launcher: string
  readonly status: 'QUEUED' | 'IN_PROGRESS' | 'SUCCESS' | 'ERROR'
  readonly errors: readonly string[]
  readonly reassignments: readonly TaskReassignment[]
  readonly created: string
}

export async function insertCertificationTask(db: Db, t: CertificationTask): Promise<void> {
  await db.query(
    `INSERT INTO certification_tasks
       (id, type, target_type, target_id, launcher, status, errors, reassignments, created)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [
      t.id,
      t.type,
      t.targetType,
      t.targetId,
      t.launcher,
      t.status,
      JSON.stringify(t.errors),
      JSON.stringify(t.reassignments),
      t.created,
    ],
  )
}

export type CertificationTaskField = 'id' | 'targetId' | 'type'
const FILTER_COLUMNS: Record<CertificationTaskField, string> = {
  id: 'id',
  targetId: 'target_id',
  type: 'type',
}

export interface CertificationTaskFilter {
  /** Only these statuses. */
  readonly statuses?: readonly CertificationTask['status'][]
  /** Only those asked by this launcher. */
  readonly launcher?: string
  readonly expression?: CheckedFilter<CertificationTaskField>
}

interface Row {
  id: string
  type: CertificationTask['type']
  target_type: CertificationTask['targetType']
  target_id: string
  launcher: string
  status: CertificationTask['status']
  errors: string[] | string
  reassignments: TaskReassignment[] | string
  created: Date | string
}

const parsed = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v)

/** Tasks, newest first, a page at a time. */
export async function listCertificationTasks(
  db: Db,
  filter: CertificationTaskFilter,
  page?: Page,
): Promise<{ rows: CertificationTask[]; total: number }> {
  const w = new WhereClauses()
  if (filter.statuses) w.add('status = ANY(?::text[])', filter.statuses)
  if (filter.launcher !== undefined) w.add('launcher = ?', filter.launcher)
  w.filter(filter.expression, FILTER_COLUMNS)
  const from = `FROM certification_tasks ${w.sql()}`
  const params = [...w.params]
  const rows = await db.query<Row>(
    `SELECT * ${from} ORDER BY created DESC, id${limitClause(page, params)}`,
    params,
  )
  return {
    rows: rows.map((r) => ({
      id: r.id,
      type: r.type,
      targetType: r.target_type,
      targetId: r.target_id,
      launcher: r.launcher,
      status: r.status,
      errors: parsed(r.errors),
      reassignments: parsed(r.reassignments),
      created: iso(r.created),
    })),
    total: await countRows(db, from, w.params),
  }
}
