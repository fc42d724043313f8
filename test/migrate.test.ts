import { describe, expect, it } from 'vitest'
import type { Db } from '../src/store/db.js'
import { migrate } from '../src/store/migrate.js'
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
})
