import pg from 'pg'
import { ConnectorError } from '../../domain/errors.js'

// SQLSTATEs that say "not now" rather than "not this": the connection or the server went away, the
// server is starting or shutting down, it has no connection slot free, a statement hit statement_timeout,
// or a lock or serialization conflict with another transaction.
const RETRYABLE_STATES = new Set(['57P01', '57P02', '57P03', '53300', '57014', '40001', '40P01', '55P03'])

// node-postgres reports a connection that died, or never answered, in messages without a code.
const LOST_CONNECTION = [
  'Connection terminated',
  'not queryable',
  'Query read timeout',
  'timeout exceeded when trying to connect',
]

/** Whether a failure left the connection usable: PostgreSQL answered, and did not end the session. */
export function isServerAnswer(err: unknown): boolean {
  if (!(err instanceof pg.DatabaseError)) return false
  const state = err.code ?? ''
  return (
    err.severity !== 'FATAL' &&
    err.severity !== 'PANIC' &&
    !state.startsWith('08') &&
    !state.startsWith('57P')
  )
}

/**
 * A failure as a ConnectorError the engine understands: 23505 (unique violation) is ALREADY_EXISTS,
 * connection exceptions (class 08), shutdowns, timeouts and conflicts are RETRYABLE, any other SQLSTATE is
 * TERMINAL with PostgreSQL's message (never a statement's parameter values). Network errors with a code
 * (ECONNREFUSED…) pass through: the engine classifies them.
 */
export function translatePgError(err: unknown): unknown {
  if (err instanceof ConnectorError) return err
  if (err instanceof pg.DatabaseError) {
    const state = err.code ?? 'XX000'
    const options = { code: `SQL_${state}`, cause: err }
    if (state === '23505') return new ConnectorError('ALREADY_EXISTS', err.message, options)
    if (state.startsWith('08') || RETRYABLE_STATES.has(state)) {
      return new ConnectorError('RETRYABLE', err.message, options)
    }
    return new ConnectorError('TERMINAL', err.message, options)
  }
  if (err instanceof Error && LOST_CONNECTION.some((m) => err.message.includes(m))) {
    return new ConnectorError('RETRYABLE', `database connection lost: ${err.message}`, {
      code: 'CONNECTION_LOST',
      cause: err,
    })
  }
  return err
}
