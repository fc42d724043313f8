import { batches, type Db } from './db.js'

/**
 * The identities an incremental refresh must look at. Aggregation queues the owners of changed
 * accounts for both; processing queues for planning the identities whose attributes or state changed.
 */
export type IdentityQueue = 'process' | 'plan'

const TABLES: Record<IdentityQueue, string> = { process: 'process_queue', plan: 'plan_queue' }

/**
 * Queues identities. Nothing is queued before a refresh has recorded a baseline for the queue
 * (`engine_state` keys `process:<profile>` and `plan`): until then every refresh covers everyone, and
 * a first aggregation of 100,000 accounts need not write 200,000 queue rows.
 */
export async function enqueueIdentities(
  db: Db,
  ids: readonly (string | null)[],
  queues: readonly IdentityQueue[] = ['process', 'plan'],
): Promise<void> {
  if (ids.length === 0) return
  const unique = [...new Set(ids.filter((id): id is string => id !== null))]
  for (const queue of queues) {
    const baseline = await db.query('SELECT 1 FROM engine_state WHERE key LIKE $1 LIMIT 1', [`${queue}%`])
    if (baseline.length === 0) continue
    for (const batch of batches(unique)) {
      await db.query(
        `INSERT INTO ${TABLES[queue]} (identity_id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`,
        [batch],
      )
    }
  }
}

export async function queuedIdentities(db: Db, queue: IdentityQueue): Promise<string[]> {
  const rows = await db.query<{ identity_id: string }>(
    `SELECT identity_id FROM ${TABLES[queue]} ORDER BY identity_id`,
  )
  return rows.map((r) => r.identity_id)
}

/** Whether any identity waits in a queue. */
export async function hasQueuedIdentities(db: Db, queue: IdentityQueue): Promise<boolean> {
  return (await db.query(`SELECT 1 FROM ${TABLES[queue]} LIMIT 1`)).length > 0
}

export async function dequeueIdentities(db: Db, queue: IdentityQueue, ids: readonly string[]): Promise<void> {
  for (const batch of batches(ids)) {
    await db.query(`DELETE FROM ${TABLES[queue]} WHERE identity_id = ANY($1::text[])`, [batch])
  }
}

/** What the engine remembers between runs, e.g. the configuration a queue was last drained against. */
export async function readEngineState(db: Db, key: string): Promise<string | undefined> {
  const rows = await db.query<{ value: string }>('SELECT value FROM engine_state WHERE key = $1', [key])
  return rows[0]?.value
}

export async function writeEngineState(db: Db, key: string, value: string): Promise<void> {
  await db.query(
    `INSERT INTO engine_state (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    [key, value],
  )
}
