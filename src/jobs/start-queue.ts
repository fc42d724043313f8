import { PgBoss, fromPglite } from 'pg-boss'
import type { Store } from '../store/open-store.js'

/**
 * The durable queue (pg-boss) on the same database as the store: in-process on the embedded
 * database, or on the PostgreSQL server shared with other workers. `sendOnly`: a short-lived process
 * that only queues jobs (`aggregate --async`) runs neither the supervision nor the cron clock.
 */
export async function startQueue(
  store: Store,
  log: (line: string) => void,
  options: { sendOnly?: boolean } = {},
): Promise<PgBoss> {
  const quiet = options.sendOnly === true ? { supervise: false, schedule: false } : {}
  const boss = store.pglite
    ? new PgBoss({ db: fromPglite(store.pglite), backend: 'pglite', ...quiet })
    : new PgBoss({ connectionString: store.databaseUrl as string, schema: 'pgboss', ...quiet })
  boss.on('error', (err: Error) => log(`queue error: ${err.message}`))
  await boss.start()
  return boss
}
