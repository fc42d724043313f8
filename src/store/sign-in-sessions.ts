import type { Db } from './db.js'
import { iso } from './iso-time.js'

export type SignInMethod = 'PASSWORD' | 'OIDC'

/** A browser session as stored: its secret (the cookie's value) and CSRF token only as hashes. */
export interface StoredSession {
  readonly id: string
  readonly csrfHash: string
  readonly identityId: string
  readonly method: SignInMethod
  readonly sourceAddress: string | null
  readonly created: string
  readonly lastSeen: string
  readonly idleExpires: string
  readonly expires: string
  readonly revoked: string | null
}

interface DbSessionRow {
  id: string
  csrf_hash: string
  identity_id: string
  method: SignInMethod
  source_address: string | null
  created: Date | string
  last_seen: Date | string
  idle_expires: Date | string
  expires: Date | string
  revoked: Date | string | null
}

const COLUMNS =
  'id, csrf_hash, identity_id, method, source_address, created, last_seen, idle_expires, expires, revoked'

function toSession(r: DbSessionRow): StoredSession {
  return {
    id: r.id,
    csrfHash: r.csrf_hash,
    identityId: r.identity_id,
    method: r.method,
    sourceAddress: r.source_address,
    created: iso(r.created),
    lastSeen: iso(r.last_seen),
    idleExpires: iso(r.idle_expires),
    expires: iso(r.expires),
    revoked: r.revoked === null ? null : iso(r.revoked),
  }
}

export async function insertSession(
  db: Db,
  s: {
    id: string
    secretHash: string
    csrfHash: string
    identityId: string
    method: SignInMethod
    sourceAddress: string | null
    idleExpires: Date
    expires: Date
  },
  now: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO sign_in_sessions (id, secret_hash, csrf_hash, identity_id, method, source_address, created,
       last_seen, idle_expires, expires)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9)`,
    [s.id, s.secretHash, s.csrfHash, s.identityId, s.method, s.sourceAddress, now, s.idleExpires, s.expires],
  )
}

export async function findSessionBySecret(db: Db, secretHash: string): Promise<StoredSession | undefined> {
  const rows = await db.query<DbSessionRow>(
    `SELECT ${COLUMNS} FROM sign_in_sessions WHERE secret_hash = $1`,
    [secretHash],
  )
  return rows[0] ? toSession(rows[0]) : undefined
}

export async function findSession(db: Db, id: string): Promise<StoredSession | undefined> {
  const rows = await db.query<DbSessionRow>(`SELECT ${COLUMNS} FROM sign_in_sessions WHERE id = $1`, [id])
  return rows[0] ? toSession(rows[0]) : undefined
}

/** Records a use of a session: it stays alive until `idleExpires` (never past its absolute end). */
export async function touchSession(db: Db, id: string, now: Date, idleExpires: Date): Promise<void> {
  await db.query(
    'UPDATE sign_in_sessions SET last_seen = $2, idle_expires = least($3, expires) WHERE id = $1 AND revoked IS NULL',
    [id, now, idleExpires],
  )
}

/** Ends a session; false when it is unknown or ended already. */
export async function revokeSession(db: Db, id: string, now: Date): Promise<boolean> {
  const rows = await db.query(
    'UPDATE sign_in_sessions SET revoked = $2 WHERE id = $1 AND revoked IS NULL RETURNING id',
    [id, now],
  )
  return rows.length === 1
}

/** Ends every session of an identity still open; how many. */
export async function revokeIdentitySessions(db: Db, identityId: string, now: Date): Promise<number> {
  const rows = await db.query(
    'UPDATE sign_in_sessions SET revoked = $2 WHERE identity_id = $1 AND revoked IS NULL AND expires > $2 RETURNING id',
    [identityId, now],
  )
  return rows.length
}

/** An identity's sessions still open at `now`, newest first. */
export async function listOpenSessions(db: Db, identityId: string, now: Date): Promise<StoredSession[]> {
  const rows = await db.query<DbSessionRow>(
    `SELECT ${COLUMNS} FROM sign_in_sessions
     WHERE identity_id = $1 AND revoked IS NULL AND expires > $2 AND idle_expires > $2 ORDER BY created DESC`,
    [identityId, now],
  )
  return rows.map(toSession)
}

export async function insertRefreshToken(
  db: Db,
  tokenHash: string,
  sessionId: string,
  now: Date,
): Promise<void> {
  await db.query('INSERT INTO sign_in_refresh_tokens (token_hash, session_id, created) VALUES ($1, $2, $3)', [
    tokenHash,
    sessionId,
    now,
  ])
}

/**
 * Uses a refresh token, once: its session, and whether it had been used before (a replay: the token
 * was copied, and the caller ends the session). Undefined for an unknown token.
 */
export async function useRefreshToken(
  db: Db,
  tokenHash: string,
  now: Date,
): Promise<{ sessionId: string; created: string; replayed: boolean } | undefined> {
  const used = await db.query<{ session_id: string; created: Date | string }>(
    'UPDATE sign_in_refresh_tokens SET used = $2 WHERE token_hash = $1 AND used IS NULL RETURNING session_id, created',
    [tokenHash, now],
  )
  if (used[0]) return { sessionId: used[0].session_id, created: iso(used[0].created), replayed: false }
  const known = await db.query<{ session_id: string; created: Date | string }>(
    'SELECT session_id, created FROM sign_in_refresh_tokens WHERE token_hash = $1',
    [tokenHash],
  )
  return known[0]
    ? { sessionId: known[0].session_id, created: iso(known[0].created), replayed: true }
    : undefined
}
