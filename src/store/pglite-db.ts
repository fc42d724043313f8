import { PGlite, type Transaction } from '@electric-sql/pglite'
import type { Db } from './db.js'
import { batches } from './db.js'
import { dbBuffers } from './db-buffers.js'

type Queryable = Pick<Transaction, 'query' | 'exec'>

/**
 * The embedded database: PostgreSQL compiled to WASM, stored in a folder (or in memory). Its shared buffers
 * (PROVISIO_DB_BUFFERS, see db-buffers.ts) are zeroed at every open; PGlite writes them into the folder's
 * postgresql.conf, so the next open without this setting inherits them.
 */
export async function openPgliteDb(dataDir: string | undefined): Promise<{ db: Db; pglite: PGlite }> {
  const pglite = await PGlite.create(dataDir === undefined ? 'memory://' : dataDir, {
    postgresqlconf: `shared_buffers = ${dbBuffers(process.env['PROVISIO_DB_BUFFERS'])}`,
  })
  return { db: wrap(pglite, pglite), pglite }
}

function wrap(q: Queryable, root: PGlite): Db {
  const db: Db = {
    kind: 'pglite',
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const res = await q.query<R>(sql, params as unknown[])
      return res.rows
    },
    async exec(sql) {
      await q.exec(sql)
    },
    async transaction(fn) {
      // PGlite has one connection: a nested transaction reuses the outer one.
      if (q !== root) return fn(db)
      return root.transaction((tx) => fn(wrap(tx, root)))
    },
    async insertRows(table, columns, rows) {
      for (const batch of batches(rows, 20_000)) {
        const text = batch.map((r) => r.map(copyField).join('\t')).join('\n') + '\n'
        await q.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob'`, [], {
          blob: new Blob([text]),
        })
      }
    },
    async close() {
      if (q === root) await root.close()
    },
  }
  return db
}

/** COPY text format: backslash escapes, `\N` for null. */
const COPY_SPECIAL = /[\\\t\n\r]/

function copyField(v: string | null): string {
  if (v === null) return '\\N'
  if (!COPY_SPECIAL.test(v)) return v
  return v.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  )
}
