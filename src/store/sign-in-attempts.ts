import type { Db } from './db.js'
import { iso } from './iso-time.js'

export type AttemptOutcome = 'PENDING' | 'FAILED' | 'SUCCEEDED' | 'LOCKED'

/** Records a sign-in attempt as PENDING (counted as a failure until it is decided); its id. */
export async function insertAttempt(
  db: Db,
  a: { username: string; sourceAddress: string },
  now: Date,
): Promise<string> {
  const rows = await db.query<{ id: string | number }>(
    `INSERT INTO sign_in_attempts (at, username, source_address, outcome) VALUES ($1, $2, $3, 'PENDING')
     RETURNING id`,
    [now, a.username, a.sourceAddress],
  )
  return String(rows[0]?.id)
}

export async function setAttemptOutcome(db: Db, id: string, outcome: AttemptOutcome): Promise<void> {
  await db.query('UPDATE sign_in_attempts SET outcome = $2 WHERE id = $1', [id, outcome])
}

/** Failures counted against a limit: how many, and when the oldest of them was (it leaves the window first). */
export interface FailureCount {
  readonly count: number
  readonly oldest: string | null
}

/**
 * Failed (and pending) attempts on a user name since `since`, and since its last successful sign-in: a
 * person who gets in starts afresh.
 */
export async function countAccountFailures(db: Db, username: string, since: Date): Promise<FailureCount> {
  const rows = await db.query<{ n: string | number; oldest: Date | string | null }>(
    `SELECT count(*) AS n, min(at) AS oldest FROM sign_in_attempts
     WHERE username = $1 AND outcome IN ('PENDING', 'FAILED') AND at > $2
       AND at > coalesce((SELECT max(at) FROM sign_in_attempts
                          WHERE username = $1 AND outcome = 'SUCCEEDED' AND at > $2), $2)`,
    [username, since],
  )
  return toCount(rows[0])
}

/** Failed (and pending) attempts from an address since `since`, whatever the user names. */
export async function countAddressFailures(
  db: Db,
  sourceAddress: string,
  since: Date,
): Promise<FailureCount> {
  const rows = await db.query<{ n: string | number; oldest: Date | string | null }>(
    `SELECT count(*) AS n, min(at) AS oldest FROM sign_in_attempts
     WHERE source_address = $1 AND outcome IN ('PENDING', 'FAILED') AND at > $2`,
    [sourceAddress, since],
  )
  return toCount(rows[0])
}

function toCount(r: { n: string | number; oldest: Date | string | null } | undefined): FailureCount {
  return { count: Number(r?.n ?? 0), oldest: r?.oldest ? iso(r.oldest) : null }
}

/** Forgets attempts older than any window looks at. */
export async function deleteAttemptsBefore(db: Db, before: Date): Promise<void> {
  await db.query('DELETE FROM sign_in_attempts WHERE at < $1', [before])
}
