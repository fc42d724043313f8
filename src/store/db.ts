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
