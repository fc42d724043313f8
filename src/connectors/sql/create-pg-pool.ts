import pg from 'pg'

// bytea, date, time, timestamp, timestamptz, timetz: PostgreSQL's text is exact and needs no time zone
// (node-postgres would make a local-midnight Date of a date, which shifts with the process's zone).
const TEXT_TYPES = new Set([17, 1082, 1083, 1114, 1184, 1266])

const getTypeParser = ((oid: number, format?: 'text' | 'binary') =>
  TEXT_TYPES.has(oid)
    ? (value: string) => value
    : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser

/** A connection pool for a SQL source. */
export function createPgPool(options: {
  readonly connectionString: string
  readonly poolSize: number
  readonly timeoutMs: number
}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize,
    connectionTimeoutMillis: options.timeoutMs,
    statement_timeout: options.timeoutMs,
    // The server cancels a slow statement itself (57014); the client's own limit is for a server or
    // network that no longer answers at all, so it is the longer of the two.
    query_timeout: 2 * options.timeoutMs,
    keepAlive: true,
    application_name: 'provisio',
    types: { getTypeParser },
  })
  // A connection the server or network dropped emits an error event besides failing its statement (the
  // failure is what the caller sees); unheard, the event would end the process. The pool discards an
  // idle connection that dropped, and the connector closes a checked-out one, so the next call reconnects.
  pool.on('error', () => undefined)
  pool.on('connect', (client) => client.on('error', () => undefined))
  return pool
}
