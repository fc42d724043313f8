import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { PGlite } from '@electric-sql/pglite'
import type { Db } from './db.js'
import { releaseDeadLeases } from './activity-claims.js'
import { migrate } from './migrate.js'
import { openPgliteDb } from './pglite-db.js'
import { lockWorkspace } from './workspace-lock.js'

export interface StoreOptions {
  /** A PostgreSQL server; when absent the embedded database is used. */
  readonly databaseUrl?: string | undefined
  /** The workspace folder: the embedded database lives in its `.provisio/db`. `memory` keeps it in memory. */
  readonly workspaceDir?: string | 'memory'
}

/** An open, migrated store. `pglite` is set for the embedded database (pg-boss runs on the same instance). */
export interface Store {
  readonly db: Db
  readonly pglite?: PGlite
  readonly databaseUrl?: string
  close(): Promise<void>
}

export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.databaseUrl) {
    // The PostgreSQL driver is loaded only when a server is used.
    const { openPgDb } = await import('./pg-db.js')
    const { db } = openPgDb(options.databaseUrl)
    await migrate(db)
    return { db, databaseUrl: options.databaseUrl, close: () => db.close() }
  }
  let dataDir: string | undefined
  if (options.workspaceDir !== undefined && options.workspaceDir !== 'memory') {
    dataDir = join(options.workspaceDir, '.provisio', 'db')
    mkdirSync(dataDir, { recursive: true })
  }
  const release = dataDir === undefined ? () => undefined : lockWorkspace(join(dataDir, '..', 'db.lock'))
  try {
    const { db, pglite } = await openPgliteDb(dataDir)
    await migrate(db)
    // The lock above means no other process has this database open: a lease still held here belongs to
    // a process that died. It is ended now (the activity stays in doubt and is read back when executed).
    await releaseDeadLeases(db)
    return {
      db,
      pglite,
      close: async () => {
        await db.close()
        release()
      },
    }
  } catch (err) {
    release()
    throw err
  }
}
