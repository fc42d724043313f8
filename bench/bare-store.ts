import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Db } from '../src/store/db.js'
import { openPgDb } from '../src/store/pg-db.js'
import { openPgliteDb } from '../src/store/pglite-db.js'
import { againstBaseline } from './bench-types.js'
import { benchDatabase } from './bench-database.js'

/**
 * The physical baselines the benchmarks divide their figure by: the same rows, in the same kind of store,
 * in the same run, handled by plain SQL and nothing of the engine (no migrations, no COPY, no JSON
 * aggregation). Only the driver adapters of src/store are used, so that the embedded database is opened
 * with the settings the engine's store has. What a benchmark gets beyond its baseline is the engine's own
 * cost; the ratio of the two carries from one machine to another where absolute figures do not.
 */

/** One row: its key, and its attributes as the JSON text the engine stored. */
export type BareRow = readonly [id: string, attributes: string]

/** Where the baseline runs: a fresh embedded database on disk, or a fresh database on `databaseUrl`. */
export interface BareStoreOptions {
  readonly databaseUrl?: string | undefined
}

export interface BareInsertAndRead {
  readonly rows: number
  readonly insertMs: number
  readonly readMs: number
  /** Rows inserted and read back per second, both phases counted. */
  readonly rowsPerSecond: number
}

/** Rows per INSERT: 2 parameters each, far below PostgreSQL's 65,535 per statement. */
const INSERT_ROWS = 1000

/**
 * The baseline of `aggregate`, `process` and `plan`: `rows` inserted into a fresh table with
 * parameterised multi-row INSERTs in one transaction, then read back with one SELECT.
 */
export async function bareInsertAndRead(
  rows: readonly BareRow[],
  options: BareStoreOptions = {},
): Promise<BareInsertAndRead> {
  if (rows.length === 0) throw new Error('a baseline needs at least one row')
  return withBareDb(options, async (db) => {
    await db.exec('CREATE TABLE bare_rows (id text PRIMARY KEY, attributes json NOT NULL)')
    const t0 = performance.now()
    await db.transaction(async (tx) => {
      for (let i = 0; i < rows.length; i += INSERT_ROWS) await insertBatch(tx, rows.slice(i, i + INSERT_ROWS))
    })
    const t1 = performance.now()
    const read = await db.query<{ id: string; attributes: unknown }>('SELECT id, attributes FROM bare_rows')
    const t2 = performance.now()
    if (read.length !== rows.length) throw new Error(`read ${read.length} rows back, wrote ${rows.length}`)
    return {
      rows: rows.length,
      insertMs: t1 - t0,
      readMs: t2 - t1,
      rowsPerSecond: rows.length / ((t2 - t0) / 1000),
    }
  })
}

/** What a benchmark adds to its result for a bare insert and read: the fields of its JSON, rows for its table. */
export interface BaselineFields {
  readonly baseline: number
  readonly ratio: number
  readonly baselineMetric: string
  readonly details: Readonly<Record<string, string>>
}

/** `bareInsertAndRead` of `rows`, set against `measured` (a rate per second of the same rows). */
export async function insertAndReadBaseline(
  measured: number,
  rows: readonly BareRow[],
  options: BareStoreOptions = {},
): Promise<BaselineFields> {
  const bare = await bareInsertAndRead(rows, options)
  return {
    ...againstBaseline(measured, bare.rowsPerSecond),
    baselineMetric: `rows/s, bare multi-row INSERT + SELECT of the same ${bare.rows.toLocaleString('en-US')} rows (${kindOf(options)})`,
    details: {
      'baseline insert (s)': (bare.insertMs / 1000).toFixed(2),
      'baseline read (s)': (bare.readMs / 1000).toFixed(2),
    },
  }
}

/** The kind of store a baseline ran on, for its description. */
export function kindOf(options: BareStoreOptions): string {
  return options.databaseUrl ? 'PostgreSQL server' : 'embedded PGlite on disk'
}

export interface BareClaimAndRecord {
  readonly rows: number
  readonly batches: number
  readonly ms: number
  readonly rowsPerSecond: number
}

/**
 * The baseline of `execute`: `items.length` pending rows (inserted untimed), then a loop that claims up
 * to `batchSize` of them (`UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING`) and records
 * a result for each of the batch in one statement, until none is left — a queue's floor on this store.
 * `result` makes the recorded result of a claimed row from its items.
 */
export async function bareClaimAndRecord(
  items: readonly string[],
  batchSize: number,
  result: (items: string) => string,
  options: BareStoreOptions = {},
): Promise<BareClaimAndRecord> {
  if (items.length === 0) throw new Error('a baseline needs at least one row')
  if (!(batchSize > 0)) throw new Error('the batch size must be positive')
  return withBareDb(options, async (db) => {
    await db.exec(`CREATE TABLE bare_requests (
      id text PRIMARY KEY, status text NOT NULL DEFAULT 'PENDING', items json NOT NULL, result json);
      CREATE INDEX bare_requests_pending ON bare_requests (id) WHERE status = 'PENDING'`)
    // Zero-padded keys claim in insertion order, as the engine's time-ordered ids do.
    const width = String(items.length).length
    const rows = items.map((it, i): BareRow => [String(i).padStart(width, '0'), it])
    await db.transaction(async (tx) => {
      for (let i = 0; i < rows.length; i += INSERT_ROWS) {
        await insertBatch(tx, rows.slice(i, i + INSERT_ROWS), 'bare_requests (id, items)')
      }
    })
    await db.exec('ANALYZE bare_requests')
    const t0 = performance.now()
    let batches = 0
    for (;;) {
      const claimed = await db.query<{ id: string; items: unknown }>(
        `UPDATE bare_requests SET status = 'RUNNING'
         WHERE id IN (SELECT id FROM bare_requests WHERE status = 'PENDING' ORDER BY id LIMIT $1
                      FOR UPDATE SKIP LOCKED)
         RETURNING id, items::text AS items`,
        [batchSize],
      )
      if (claimed.length === 0) break
      batches++
      await db.query(
        `UPDATE bare_requests r SET status = 'FINISHED', result = u.result::json
         FROM unnest($1::text[], $2::text[]) AS u(id, result) WHERE r.id = u.id`,
        [claimed.map((c) => c.id), claimed.map((c) => result(String(c.items)))],
      )
    }
    const ms = performance.now() - t0
    const done = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM bare_requests WHERE status = 'FINISHED'`,
    )
    if (Number(done[0]?.n) !== items.length) throw new Error(`finished ${done[0]?.n} of ${items.length} rows`)
    return { rows: items.length, batches, ms, rowsPerSecond: items.length / (ms / 1000) }
  })
}

async function insertBatch(
  db: Db,
  batch: readonly BareRow[],
  into = 'bare_rows (id, attributes)',
): Promise<void> {
  const values = batch.map((_, k) => `($${2 * k + 1}, $${2 * k + 2})`).join(', ')
  await db.query(`INSERT INTO ${into} VALUES ${values}`, batch.flat())
}

/** Runs `fn` on a fresh, empty database of the kind asked for, and removes it afterwards. */
async function withBareDb<T>(options: BareStoreOptions, fn: (db: Db) => Promise<T>): Promise<T> {
  if (options.databaseUrl) {
    const database = await benchDatabase(options.databaseUrl)
    const { db } = openPgDb(database.url)
    try {
      return await fn(db)
    } finally {
      await db.close()
      await database.drop()
    }
  }
  const dir = mkdtempSync(join(tmpdir(), 'provisio-bare-'))
  const { db } = await openPgliteDb(dir)
  try {
    return await fn(db)
  } finally {
    await db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/**
 * The `id` and attributes (as JSON text) of the rows of an engine table — a source's accounts when
 * `sourceId` is given — so that a baseline handles the rows the benchmark handled.
 */
export async function storedRows(
  db: Db,
  table: 'accounts' | 'identities',
  sourceId?: string,
): Promise<BareRow[]> {
  const rows = await db.query<{ id: string; a: string }>(
    `SELECT id, attributes::text AS a FROM ${table}${sourceId === undefined ? '' : ' WHERE source_id = $1'}`,
    sourceId === undefined ? [] : [sourceId],
  )
  return rows.map((r) => [r.id, r.a])
}
