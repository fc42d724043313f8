import type { Db } from './db.js'
import { migrations } from './migrations/index.js'

/** Applies the migrations the database has not seen yet, each in its own transaction. Returns the versions applied. */
export async function migrate(db: Db): Promise<number[]> {
  // Every command opens the store: when the database is up to date, one read says so (no DDL, no lock).
  if (await isUpToDate(db)) return []
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`)
  const rows = await db.query<{ version: number }>('SELECT version FROM schema_migrations')
  const done = new Set(rows.map((r) => Number(r.version)))
  const applied: number[] = []
  for (const m of migrations) {
    if (done.has(m.version)) continue
    await db.transaction(async (tx) => {
      // A concurrent process may be migrating the same server: the advisory lock serialises them.
      if (tx.kind === 'postgres') await tx.query('SELECT pg_advisory_xact_lock(7100)')
      const again = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [m.version])
      if (again.length > 0) return
      await tx.exec(m.sql)
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name])
      applied.push(m.version)
    })
  }
  return applied
}

async function isUpToDate(db: Db): Promise<boolean> {
  const [table] = await db.query<{ present: boolean }>(
    "SELECT to_regclass('schema_migrations') IS NOT NULL AS present",
  )
  if (!table?.present) return false
  const rows = await db.query<{ version: number }>('SELECT version FROM schema_migrations')
  const done = new Set(rows.map((r) => Number(r.version)))
  return migrations.every((m) => done.has(m.version))
}
