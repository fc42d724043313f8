import { describe, expect, it } from 'vitest'
import type { Db } from '../src/store/db.js'
import { migrate } from '../src/store/migrate.js'
import { listCertificationItems } from '../src/store/certification-items.js'
import { migrations } from '../src/store/migrations/index.js'
import { openPgliteDb } from '../src/store/pglite-db.js'

/** The statements a store is sent, in order. */
function recording(db: Db, sent: string[]): Db {
  const wrapped: Db = {
    ...db,
    query: (sql, params) => (sent.push(sql), db.query(sql, params)),
    exec: (sql) => (sent.push(sql), db.exec(sql)),
    transaction: (fn) => db.transaction(() => fn(wrapped)),
  }
  return wrapped
}

/** `db` as a store was before `version`: the migrations before it applied and recorded. */
async function migratedBefore(db: Db, version: number): Promise<void> {
  await db.exec(`CREATE TABLE schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`)
  for (const m of migrations.filter((m) => m.version < version)) {
    await db.exec(m.sql)
    await db.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name])
  }
}

describe('migrate', () => {
  it('applies every migration to a new database, and on an up-to-date one only reads', async () => {
    const { db } = await openPgliteDb(undefined)
    try {
      expect(await migrate(db)).toEqual(migrations.map((m) => m.version))
      const sent: string[] = []
      expect(await migrate(recording(db, sent))).toEqual([])
      // Every command opens the store: no DDL, no write, no lock when there is nothing to do.
      expect(sent.length).toBeGreaterThan(0)
      for (const sql of sent) expect(sql.trim()).toMatch(/^SELECT /i)
    } finally {
      await db.close()
    }
  })

  it("moves remediation outcomes out of certification items, keeping each item's (migration 25)", async () => {
    const { db } = await openPgliteDb(undefined)
    try {
      await migratedBefore(db, 25)
      const item = (id: string, outcome: string): string =>
        `('${id}', 'camp', 'cert', 'ident', 'ENTITLEMENT', 'e', 'Group', '[]', true, ${outcome})`
      await db.exec(`INSERT INTO certification_items (id, campaign_id, certification_id, identity_id, item_type,
          item_id, item_name, reasons, revocable, remediation, remediation_detail, activity_ids)
        VALUES ${item('a', `'PENDING', 'removal written', '["act-1"]'`)}, ${item('b', `NULL, NULL, '[]'`)},
          ${item('c', `'KEPT', 'granted by role R', '[]'`)}`)
      expect(await migrate(db)).toEqual(migrations.filter((m) => m.version >= 25).map((m) => m.version))
      const items = await listCertificationItems(db, { certificationIds: ['cert'] })
      expect(items.map((i) => [i.id, i.remediation, i.remediationDetail, i.activityIds])).toEqual([
        ['a', 'PENDING', 'removal written', ['act-1']],
        ['b', null, null, []],
        ['c', 'KEPT', 'granted by role R', []],
      ])
      const outcomes = await db.query('SELECT certification_item_id FROM certification_outcomes ORDER BY 1')
      expect(outcomes).toEqual([{ certification_item_id: 'a' }, { certification_item_id: 'c' }])
    } finally {
      await db.close()
    }
  })

  it('keys certification items by their certification, with one index instead of two (migration 26)', async () => {
    const { db } = await openPgliteDb(undefined)
    try {
      await migratedBefore(db, 26)
      const item = (cert: string, id: string): string =>
        `('${id}', 'camp', '${cert}', 'ident', 'ENTITLEMENT', 'e', 'Group', '[]', true)`
      const insert = (...rows: string[]) =>
        db.exec(`INSERT INTO certification_items (id, campaign_id, certification_id, identity_id, item_type,
          item_id, item_name, reasons, revocable) VALUES ${rows.join(', ')}`)
      await insert(item('cert-1', 'a'), item('cert-1', 'b'), item('cert-2', 'c'))
      expect(await migrate(db)).toEqual(migrations.filter((m) => m.version >= 26).map((m) => m.version))
      const indexes = await db.query<{ indexdef: string }>(
        `SELECT indexdef FROM pg_indexes WHERE tablename = 'certification_items'`,
      )
      expect(indexes.map((i) => i.indexdef)).toEqual([expect.stringContaining('(certification_id, id)')])
      expect((await listCertificationItems(db, { certificationIds: ['cert-1'] })).map((i) => i.id)).toEqual([
        'a',
        'b',
      ])
      await expect(insert(item('cert-1', 'a'))).rejects.toThrow(/duplicate key/)
    } finally {
      await db.close()
    }
  })
})
