/** A PostgreSQL database, embedded (PGlite) or a server: the one port every store module talks to. */
export interface Db {
  readonly kind: 'pglite' | 'postgres'
  /** Runs one parameterised statement and returns its rows. */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>
  /** Runs `fn` in a transaction; the Db it receives is bound to that transaction. */
  transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T>
  /**
   * Bulk-inserts rows. Values are text (or null) in the column order given; the database casts
   * them to the column types. Embedded: COPY; server: INSERT … SELECT FROM unnest.
   */
  insertRows(
    table: string,
    columns: readonly string[],
    rows: readonly (readonly (string | null)[])[],
  ): Promise<void>
  close(): Promise<void>
}

/** Rows per statement for bulk writes: large enough to amortise a round trip, small enough for memory. */
export const BATCH_SIZE = 5000

/** Splits a list into batches. */
export function* batches<T>(items: readonly T[], size = BATCH_SIZE): Generator<readonly T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size)
}

/**
 * Refreshes the planner's statistics of a table after a bulk change. The embedded database has no
 * autovacuum, and without statistics a 100,000-row table gets sequential scans where an index would do.
 */
export async function analyze(db: Db, table: AnalyzedTable): Promise<void> {
  const { name, columns } = ANALYZED[table]
  await db.exec(`ANALYZE ${name} (${columns})`)
}

/**
 * Rows written to each table by this process since it was last analyzed here, per database, and the
 * table's size as last read (it changes only when the table is analyzed or vacuumed).
 */
const growth = new WeakMap<Db, Map<AnalyzedTable, { since: number; size: number }>>()

/**
 * Analyzes a table once the rows written to it since the last analysis (`added` now, and what earlier
 * calls on the same database added) are a tenth of it or more (or the share ANALYZED gives the table):
 * sampling a 250,000-row table costs more than an incremental refresh of a thousand identities, but many
 * small writes (approvals applied 250 at a time) must not leave the statistics of an empty table behind
 * them, where a claim becomes a full scan.
 */
export async function analyzeIfGrown(db: Db, table: AnalyzedTable, added: number): Promise<void> {
  let tables = growth.get(db)
  if (tables === undefined) growth.set(db, (tables = new Map()))
  const seen = tables.get(table) ?? { since: 0, size: -1 }
  const since = seen.since + added
  tables.set(table, { since, size: seen.size })
  // Not grown enough against the size read last time: no need to read it again (calls adding a few hundred
  // rows each would otherwise read it every time once past a thousand).
  if (since < 1000 || since < share(table) * seen.size) return
  const size = await plannedRows(db, table)
  tables.set(table, { since, size })
  if (isLarge(table, since, size)) {
    await analyze(db, table)
    tables.set(table, { since: 0, size: await plannedRows(db, table) })
  }
}

/**
 * Vacuums and analyzes a table after `changed` rows changed, when that is a tenth of it or more. Executed
 * requests leave dead entries in the index executors search, and the embedded database has no autovacuum.
 */
export async function vacuumIfChurned(db: Db, table: AnalyzedTable, changed: number): Promise<void> {
  if (await isLargeChange(db, table, changed)) await db.exec(`VACUUM (ANALYZE) ${ANALYZED[table].name}`)
}

type AnalyzedTable = keyof typeof ANALYZED

/** At least a thousand rows, and a tenth of the table (or the table's own share of it, see ANALYZED). */
async function isLargeChange(db: Db, table: AnalyzedTable, rows: number): Promise<boolean> {
  return rows >= 1000 && isLarge(table, rows, await plannedRows(db, table))
}

function isLarge(table: AnalyzedTable, rows: number, size: number): boolean {
  return rows >= 1000 && rows >= share(table) * size
}

function share(table: AnalyzedTable): number {
  return (ANALYZED[table] as { share?: number }).share ?? 0.1
}

/** The table's rows by the planner's estimate (-1: never analyzed). */
async function plannedRows(db: Db, table: AnalyzedTable): Promise<number> {
  const found = await db.query<{ n: number }>(
    'SELECT reltuples::float8 AS n FROM pg_class WHERE relname = $1',
    [ANALYZED[table].name],
  )
  return Number(found[0]?.n ?? -1)
}

// Only the columns queries filter on: statistics of the JSON attributes would cost more than the rest.
// The activities' table keeps its first name, account_requests (renaming it would gain nothing but a migration).
const ANALYZED = {
  accounts: { name: 'accounts', columns: 'source_id, identity_id, native_identity' },
  identities: { name: 'identities', columns: 'id, identity_profile, manager_id' },
  activities: {
    name: 'account_requests',
    columns: 'identity_id, source_id, native_identity, status, lease_until, next_attempt_at',
  },
  // Access requests, their approvals and assignments grow a few hundred rows a call: without statistics a
  // status page's approvals, read by their items' ids, are a scan of every approval. Analyzed once they
  // grew by half: their queries look rows up by key, which estimates half off still plan the same way,
  // and bulk approvals would otherwise analyze the tables every few calls.
  accessRequests: {
    name: 'access_requests',
    columns: 'identity_id, request_id, requester_id, phase, created, assignment_id',
    share: 0.5,
  },
  workItems: {
    name: 'work_items',
    columns: 'type, state, owner, owner_group, request_item_id, created',
    share: 0.5,
  },
  workItemEvents: { name: 'work_item_events', columns: 'work_item_id, at', share: 0.5 },
  assignments: { name: 'assignments', columns: 'identity_id, item_type, item_id, origin', share: 0.5 },
  // A campaign writes its items at once (a million at 100,000 identities): without statistics, remediation's
  // read of the queued certifications' items combines whole index ranges instead of looking them up.
  certificationItems: {
    name: 'certification_items',
    columns: 'certification_id, identity_id, item_type, decision',
  },
} as const

/**
 * Reads many rows as tuples, aggregated by the database into one JSON text. Decoding one value
 * instead of 100,000 rows makes bulk reads about twice as fast on the embedded database.
 * `columns` are SQL expressions; `rest` is the FROM/WHERE clause.
 */
export async function selectTuples<T extends readonly unknown[]>(
  db: Db,
  columns: readonly string[],
  rest: string,
  params: readonly unknown[] = [],
  /** An ORDER BY for the tuples (the aggregate keeps no order of its own). */
  orderBy = '',
): Promise<T[]> {
  const rows = await db.query<{ j: string }>(
    `SELECT coalesce(json_agg(json_build_array(${columns.join(', ')})${orderBy ? ` ${orderBy}` : ''}), '[]')::text AS j ${rest}`,
    params,
  )
  return JSON.parse(rows[0]?.j ?? '[]') as T[]
}

/**
 * Reads the rows of `select` as objects, aggregated by the database into one JSON text. On the embedded
 * database each field of each row returned is copied and decoded on its own, so a page of wide rows (a
 * request item has 27 columns) reads in about half the time as one value. Each row is keyed by its
 * output column names; timestamps come back as ISO strings and json columns as values. `orderBy` orders
 * the aggregate and names output columns (the aggregate keeps no order of its own); `select` keeps its
 * own ORDER BY where it pages.
 */
export async function selectJsonRows<T>(
  db: Db,
  select: string,
  params: readonly unknown[] = [],
  orderBy = '',
): Promise<T[]> {
  const rows = await db.query<{ j: string }>(
    `SELECT coalesce(json_agg(q${orderBy ? ` ${orderBy}` : ''}), '[]')::text AS j FROM (${select}) q`,
    params,
  )
  return JSON.parse(rows[0]?.j ?? '[]') as T[]
}
