import { newId } from '../domain/new-id.js'
import type { Db } from './db.js'

export interface DbSourceRow {
  id: string
  name: string
  last_aggregated_at: string | null
}

/** The stored id of a configured source, created on first use (or taken from the configuration's `id`). */
export async function ensureSource(db: Db, name: string, configuredId?: string): Promise<string> {
  const rows = await db.query<{ id: string }>('SELECT id FROM sources WHERE name = $1', [name])
  if (rows[0]) return rows[0].id
  const id = configuredId ?? newId()
  await db.query('INSERT INTO sources (id, name) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [id, name])
  const again = await db.query<{ id: string }>('SELECT id FROM sources WHERE name = $1', [name])
  return (again[0] as { id: string }).id
}

export async function markAggregated(db: Db, sourceId: string, at: Date): Promise<void> {
  await db.query('UPDATE sources SET last_aggregated_at = $2 WHERE id = $1', [sourceId, at.toISOString()])
}

export async function listSourceRows(db: Db): Promise<DbSourceRow[]> {
  return db.query<DbSourceRow>('SELECT id, name, last_aggregated_at FROM sources ORDER BY name')
}
