import type { Db } from './db.js'
import { iso } from './iso-time.js'

/** An invitation link as stored: its token only as a hash. */
export interface Invitation {
  readonly identityId: string
  readonly created: string
  readonly createdBy: string
  readonly expires: string
  readonly used: string | null
  readonly voided: string | null
}

interface DbInvitationRow {
  identity_id: string
  created: Date | string
  created_by: string
  expires: Date | string
  used: Date | string | null
  voided: Date | string | null
}

/** Stores a new invitation; the identity's earlier unused invitations are voided (one link at a time). */
export async function insertInvitation(
  db: Db,
  i: { tokenHash: string; identityId: string; createdBy: string; expires: Date },
  now: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query(
      'UPDATE sign_in_invitations SET voided = $2 WHERE identity_id = $1 AND used IS NULL AND voided IS NULL',
      [i.identityId, now],
    )
    await tx.query(
      `INSERT INTO sign_in_invitations (token_hash, identity_id, created, created_by, expires)
       VALUES ($1, $2, $3, $4, $5)`,
      [i.tokenHash, i.identityId, now, i.createdBy, i.expires],
    )
  })
}

export async function findInvitation(db: Db, tokenHash: string): Promise<Invitation | undefined> {
  const rows = await db.query<DbInvitationRow>(
    `SELECT identity_id, created, created_by, expires, used, voided FROM sign_in_invitations
     WHERE token_hash = $1`,
    [tokenHash],
  )
  const r = rows[0]
  if (!r) return undefined
  return {
    identityId: r.identity_id,
    created: iso(r.created),
    createdBy: r.created_by,
    expires: iso(r.expires),
    used: r.used === null ? null : iso(r.used),
    voided: r.voided === null ? null : iso(r.voided),
  }
}

/**
 * Marks an invitation used, once: the identity it was for, or undefined when it is unknown, used,
 * voided or expired. One statement, so two uses at once cannot both succeed.
 */
export async function useInvitation(db: Db, tokenHash: string, now: Date): Promise<string | undefined> {
  const rows = await db.query<{ identity_id: string }>(
    `UPDATE sign_in_invitations SET used = $2
     WHERE token_hash = $1 AND used IS NULL AND voided IS NULL AND expires > $2 RETURNING identity_id`,
    [tokenHash, now],
  )
  return rows[0]?.identity_id
}
