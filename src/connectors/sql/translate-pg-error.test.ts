import pg from 'pg'
import { describe, expect, it } from 'vitest'
import { classifyError } from '../../domain/execution/classify-error.js'
import { isServerAnswer, translatePgError } from './translate-pg-error.js'

function databaseError(code: string, message: string, severity = 'ERROR'): pg.DatabaseError {
  const err = new pg.DatabaseError(message, message.length, 'error')
  err.code = code
  err.severity = severity
  return err
}

describe('translatePgError', () => {
  it.each([
    ['23505', 'duplicate key value violates unique constraint "accounts_pkey"', 'ALREADY_EXISTS'],
    ['08006', 'connection failure', 'RETRYABLE'],
    ['08001', 'could not connect', 'RETRYABLE'],
    ['57P01', 'terminating connection due to administrator command', 'RETRYABLE'],
    ['57014', 'canceling statement due to statement timeout', 'RETRYABLE'],
    ['53300', 'sorry, too many clients already', 'RETRYABLE'],
    ['40001', 'could not serialize access', 'RETRYABLE'],
    ['42P01', 'relation "app.acounts" does not exist', 'TERMINAL'],
    ['42501', 'permission denied for table accounts', 'TERMINAL'],
    ['22001', 'value too long for type character varying(8)', 'TERMINAL'],
    ['23502', 'null value in column "mail" violates not-null constraint', 'TERMINAL'],
  ])('SQLSTATE %s (%s) is %s', (code, message, kind) => {
    const classified = classifyError(translatePgError(databaseError(code, message)))
    expect(classified).toEqual({ kind, message, code: `SQL_${code}` })
  })

  it('a connection node-postgres lost without a code is retryable', () => {
    const classified = classifyError(translatePgError(new Error('Connection terminated unexpectedly')))
    expect(classified.kind).toBe('RETRYABLE')
    expect(classified.code).toBe('CONNECTION_LOST')
  })

  it('network errors pass through for the engine to classify', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })
    expect(translatePgError(refused)).toBe(refused)
    expect(classifyError(refused).kind).toBe('RETRYABLE')
  })

  it('tells a statement error (the connection is fine) from a session the server ended', () => {
    expect(isServerAnswer(databaseError('42P01', 'no such table'))).toBe(true)
    expect(isServerAnswer(databaseError('57P01', 'terminating connection', 'FATAL'))).toBe(false)
    expect(isServerAnswer(databaseError('08006', 'connection failure'))).toBe(false)
    expect(isServerAnswer(new Error('Connection terminated unexpectedly'))).toBe(false)
  })
})
