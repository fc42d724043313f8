import type { SealedSecrets } from '../domain/secrets/sealed-secrets.js'
import type { Db } from './db.js'
import { iso } from './iso-time.js'

/** A key that signs access tokens; `privateJwk` is absent once it retired. */
export interface SigningKey {
  readonly kid: string
  readonly algorithm: string
  readonly publicJwk: Readonly<Record<string, unknown>>
  readonly privateJwkSealed: SealedSecrets | null
  readonly created: string
  readonly retiredAt: string | null
}

interface DbSigningKeyRow {
  kid: string
  algorithm: string
  public_jwk: Record<string, unknown>
  private_jwk_sealed: SealedSecrets | null
  created: string | Date
  retired_at: string | Date | null
}

const SELECT =
  'SELECT kid, algorithm, public_jwk, private_jwk_sealed, created, retired_at FROM auth_signing_keys'

function toKey(r: DbSigningKeyRow): SigningKey {
  return {
    kid: r.kid,
    algorithm: r.algorithm,
    publicJwk: r.public_jwk,
    privateJwkSealed: r.private_jwk_sealed,
    created: iso(r.created),
    retiredAt: r.retired_at === null ? null : iso(r.retired_at),
  }
}

export interface SigningKeyWrite {
  readonly kid: string
  readonly algorithm: string
  readonly publicJwk: Readonly<Record<string, unknown>>
  readonly privateJwkSealed: SealedSecrets
}

/** The key that signs now, if there is one. */
export async function currentSigningKey(db: Db): Promise<SigningKey | undefined> {
  const rows = await db.query<DbSigningKeyRow>(`${SELECT} WHERE retired_at IS NULL`)
  return rows[0] ? toKey(rows[0]) : undefined
}

/** A key by its id, retired or not (what verifies a token that names it). */
export async function findSigningKey(db: Db, kid: string): Promise<SigningKey | undefined> {
  const rows = await db.query<DbSigningKeyRow>(`${SELECT} WHERE kid = $1`, [kid])
  return rows[0] ? toKey(rows[0]) : undefined
}

/** Every key, newest first. */
export async function listSigningKeys(db: Db): Promise<SigningKey[]> {
  const rows = await db.query<DbSigningKeyRow>(`${SELECT} ORDER BY created DESC, kid`)
  return rows.map(toKey)
}

/**
 * Makes `key` the signing key when there is none yet; false when another process made one first (the
 * unique index on the current key decides).
 */
export async function insertFirstSigningKey(db: Db, key: SigningKeyWrite, now: Date): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO auth_signing_keys (kid, algorithm, public_jwk, private_jwk_sealed, created)
     VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT ((true)) WHERE retired_at IS NULL DO NOTHING
     RETURNING kid`,
    [key.kid, key.algorithm, JSON.stringify(key.publicJwk), JSON.stringify(key.privateJwkSealed), now],
  )
  return rows.length === 1
}

/**
 * Rotation, in one transaction: the current key retires (its private half erased), `key` signs from now
 * on, and keys retired before `deleteRetiredBefore` (every token they signed has expired) are deleted.
 * Returns the ids retired and deleted.
 */
export async function replaceSigningKey(
  db: Db,
  key: SigningKeyWrite,
  now: Date,
  deleteRetiredBefore: Date,
): Promise<{ retired: string[]; deleted: string[] }> {
  return db.transaction(async (tx) => {
    const retired = await tx.query<{ kid: string }>(
      `UPDATE auth_signing_keys SET retired_at = $1, private_jwk_sealed = NULL
       WHERE retired_at IS NULL RETURNING kid`,
      [now],
    )
    await tx.query(
      `INSERT INTO auth_signing_keys (kid, algorithm, public_jwk, private_jwk_sealed, created)
       VALUES ($1, $2, $3, $4, $5)`,
      [key.kid, key.algorithm, JSON.stringify(key.publicJwk), JSON.stringify(key.privateJwkSealed), now],
    )
    const deleted = await tx.query<{ kid: string }>(
      'DELETE FROM auth_signing_keys WHERE retired_at < $1 RETURNING kid',
      [deleteRetiredBefore],
    )
    return { retired: retired.map((r) => r.kid), deleted: deleted.map((r) => r.kid) }
  })
}

/** The ids of the secrets keys that sealed signing keys (those keys must stay in the key file). */
export async function signingKeySealers(db: Db): Promise<string[]> {
  const rows = await db.query<{ kid: string }>(
    `SELECT DISTINCT private_jwk_sealed->>'kid' AS kid FROM auth_signing_keys WHERE private_jwk_sealed IS NOT NULL`,
  )
  return rows.map((r) => r.kid)
}
