import { newId } from '../domain/new-id.js'
import type { Db } from './db.js'

/** The record of one aggregation or processing run: when, what it counted, which rows failed. */
export interface RunRecord {
  readonly kind: 'aggregate' | 'process'
  readonly sourceId?: string
  readonly started: Date
  readonly finished: Date
  readonly status: 'SUCCESS' | 'WARNING' | 'ERROR'
  readonly stats: object
  readonly errors: readonly unknown[]
}

export async function recordRun(db: Db, run: RunRecord): Promise<string> {
  const id = newId()
  await db.query(
    `INSERT INTO runs (id, kind, source_id, started, finished, status, stats, errors)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb)`,
    [
      id,
      run.kind,
      run.sourceId ?? null,
      run.started.toISOString(),
      run.finished.toISOString(),
      run.status,
      JSON.stringify(run.stats),
      JSON.stringify(run.errors.slice(0, 1000)),
    ],
  )
  return id
}
