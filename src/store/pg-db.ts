import pg from 'pg'
import type { Db } from './db.js'
import { batches } from './db.js'

type Client = Pick<pg.PoolClient, 'query'>

/** A PostgreSQL server reached through `DATABASE_URL`. */
export function openPgDb(connectionString: string): { db: Db; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString, max: 8 })
  // An idle client's error (e.g. the server restarting) must not crash the process.
  pool.on('error', () => undefined)
  return { db: wrap(pool, pool), pool }
}

function wrap(client: Client, pool: pg.Pool): Db {
  const db: Db = {
    kind: 'postgres',
    async query<R>(sql: string, params: readonly unknown[] = []) {
      const res = await client.query(sql, params as unknown[])
      return res.rows as R[]
    },
    async exec(sql) {
      await client.query(sql)
    },
    async transaction(fn) {
      if (client !== pool) return fn(db)
      const conn = await pool.connect()
      try {
        await conn.query('BEGIN')
        const result = await fn(wrap(conn, pool))
        await conn.query('COMMIT')
        return result
      } catch (err) {
        await conn.query('ROLLBACK').catch(() => undefined)
        throw err
      } finally {
        conn.release()
      }
    },
    async insertRows(table, columns, rows) {
      // Casting text[] to each column's own type lets one statement shape serve every table.
      const types = await columnTypes(client, table, columns)
      const select = columns.map((_, i) => `$${i + 1}::text[]`).join(', ')
      const casts = columns.map((_, i) => `u.c${i}::${types[i]}`).join(', ')
      const names = columns.map((_, i) => `c${i}`).join(', ')
      for (const batch of batches(rows)) {
        const params = columns.map((_, i) => batch.map((r) => r[i] ?? null))
        await client.query(
          `INSERT INTO ${table} (${columns.join(', ')}) SELECT ${casts} FROM unnest(${select}) AS u(${names})`,
          params,
        )
      }
    },
    async close() {
      if (client === pool) await pool.end()
    },
  }
  return db
}

const typeCache = new Map<string, string[]>()

async function columnTypes(client: Client, table: string, columns: readonly string[]): Promise<string[]> {
  const key = `${table}:${columns.join(',')}`
  const cached = typeCache.get(key)
  if (cached) return cached
  const res = await client.query(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type
       FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped`,
    [table],
  )
  const byName = new Map(res.rows.map((r: { name: string; type: string }) => [r.name, r.type]))
  const types = columns.map((c) => {
    const t = byName.get(c)
    if (t === undefined) throw new Error(`table ${table} has no column ${c}`)
    return t
  })
  typeCache.set(key, types)
  return types
}
