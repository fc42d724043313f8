import type { Entitlement } from '../domain/model.js'
import { newId } from '../domain/new-id.js'
import type { Db } from './db.js'
import { batches } from './db.js'
import { iso } from './accounts.js'

/** Records entitlements discovered in accounts' entitlement attributes; known ones are left as they are. Returns how many were new. */
export async function addEntitlements(
  db: Db,
  sourceId: string,
  values: readonly { attribute: string; value: string }[],
): Promise<number> {
  const existing = await db.query<{ attribute: string; value: string }>(
    'SELECT attribute, value FROM entitlements WHERE source_id = $1',
    [sourceId],
  )
  const known = new Set(existing.map((e) => `${e.attribute}\u0000${e.value}`))
  const fresh = values.filter((v) => !known.has(`${v.attribute}\u0000${v.value}`))
  for (const batch of batches(fresh)) {
    await db.query(
      `INSERT INTO entitlements (id, source_id, attribute, value, display_name)
       SELECT u.id, $1, u.attribute, u.value, u.value FROM unnest($2::text[], $3::text[], $4::text[]) AS u(id, attribute, value)
       ON CONFLICT (source_id, attribute, value) DO NOTHING`,
      [sourceId, batch.map(() => newId()), batch.map((v) => v.attribute), batch.map((v) => v.value)],
    )
  }
  return fresh.length
}

export async function listEntitlements(db: Db, sourceId: string): Promise<Entitlement[]> {
  const rows = await db.query<{
    id: string
    source_id: string
    source_name: string
    attribute: string
    value: string
    display_name: string | null
    requestable: boolean
    created: string | Date
  }>(
    `SELECT e.id, e.source_id, s.name AS source_name, e.attribute, e.value, e.display_name, e.requestable, e.created
     FROM entitlements e JOIN sources s ON s.id = e.source_id WHERE e.source_id = $1 ORDER BY e.attribute, e.value`,
    [sourceId],
  )
  return rows.map((r) => ({
    id: r.id,
    sourceId: r.source_id,
    sourceName: r.source_name,
    attribute: r.attribute,
    value: r.value,
    displayName: r.display_name,
    requestable: r.requestable,
    created: iso(r.created),
  }))
}

/** Stored entitlements by id (configuration may refer to one by id alone). */
export async function loadEntitlementsById(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, { sourceId: string; attribute: string; value: string }>> {
  if (ids.length === 0) return new Map()
  const rows = await db.query<{ id: string; source_id: string; attribute: string; value: string }>(
    'SELECT id, source_id, attribute, value FROM entitlements WHERE id = ANY($1::text[])',
    [ids],
  )
  return new Map(rows.map((r) => [r.id, { sourceId: r.source_id, attribute: r.attribute, value: r.value }]))
}
