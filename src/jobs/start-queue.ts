import { PgBoss, fromPglite } from 'pg-boss'
import type { Store } from '../store/open-store.js'

/**
 * The durable queue (pg-boss) on the same database as the store: in-process on the embedded
 * database, or on the PostgreSQL server shared with other workers.
 */
export async function startQueue(store: Store, log: (line: string) => void): Promise<PgBoss> {
  const boss = store.pglite
    ? new PgBoss({ db: fromPglite(store.pglite), backend: 'pglite' })
    : new PgBoss({ connectionString: store.databaseUrl as string, schema: 'pgboss' })
  boss.on('error', (err: Error) => log(`queue error: ${err.message}`))
  await boss.start()
  return boss
}
