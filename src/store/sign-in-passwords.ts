import type { Db } from './db.js'

/** Who set a password: an administrator, or the person through an invitation link. */
export type PasswordSetBy = 'ADMIN' | 'INVITATION'

/** Sets (or replaces) an identity's password hash. */
export async function upsertPassword(
  db: Db,
  identityId: string,
  passwordHash: string,
  by: PasswordSetBy,
  now: Date,
): Promise<void> {
  await db.query(
    `INSERT INTO sign_in_passwords (identity_id, password_hash, changed, changed_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (identity_id) DO UPDATE SET password_hash = $2, changed = $3, changed_by = $4`,
    [identityId, passwordHash, now, by],
  )
}

/** The identity of this name and its password hash (null without a password); undefined: no such name. */
export async function findSignInIdentity(
  db: Db,
  name: string,
): Promise<{ id: string; name: string; passwordHash: string | null } | undefined> {
  const rows = await db.query<{ id: string; name: string; password_hash: string | null }>(
    `SELECT i.id, i.name, p.password_hash FROM identities i
     LEFT JOIN sign_in_passwords p ON p.identity_id = i.id WHERE i.name = $1 ORDER BY i.id LIMIT 1`,
    [name],
  )
  const row = rows[0]
  return row ? { id: row.id, name: row.name, passwordHash: row.password_hash } : undefined
}
