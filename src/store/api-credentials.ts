import type { Db } from './db.js'
import { iso } from './iso-time.js'

export type CredentialKind = 'PERSONAL_ACCESS_TOKEN' | 'API_CLIENT'

/** A client id/secret pair as stored: the secret only as its hash. */
export interface ApiCredential {
  readonly clientId: string
  readonly kind: CredentialKind
  readonly name: string
  /** The identity a personal access token acts as; null for an API client. */
  readonly ownerIdentityId: string | null
  readonly scopes: readonly string[]
  readonly capabilities: readonly string[]
  readonly created: string
  readonly lastUsed: string | null
  readonly revoked: string | null
  /** When it stops being exchanged for tokens; null: never (API clients). */
  readonly expires: string | null
}

export interface ApiCredentialWrite {
  readonly clientId: string
  readonly secretHash: string
  readonly kind: CredentialKind
  readonly name: string
  readonly ownerIdentityId: string | null
  readonly scopes: readonly string[]
  readonly capabilities: readonly string[]
  readonly expires: Date | null
}

interface DbCredentialRow {
  client_id: string
  secret_hash: string
  kind: CredentialKind
  name: string
  owner_identity_id: string | null
  scopes: string[]
  capabilities: string[]
  created: string | Date
  last_used: string | Date | null
  revoked: string | Date | null
  expires: string | Date | null
}

const COLUMNS =
  'client_id, secret_hash, kind, name, owner_identity_id, scopes, capabilities, created, last_used, revoked, expires'

function toCredential(r: DbCredentialRow): ApiCredential {
  return {
    clientId: r.client_id,
    kind: r.kind,
    name: r.name,
    ownerIdentityId: r.owner_identity_id,
    scopes: r.scopes,
    capabilities: r.capabilities,
    created: iso(r.created),
    lastUsed: r.last_used === null ? null : iso(r.last_used),
    revoked: r.revoked === null ? null : iso(r.revoked),
    expires: r.expires === null ? null : iso(r.expires),
  }
}

/** Stores a new credential; false when its owner already has a token in use of that name. */
export async function insertCredential(db: Db, c: ApiCredentialWrite, now: Date): Promise<boolean> {
  const rows = await db.query(
    `INSERT INTO api_credentials (client_id, secret_hash, kind, name, owner_identity_id, scopes, capabilities, created, expires)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (owner_identity_id, name) WHERE kind = 'PERSONAL_ACCESS_TOKEN' AND revoked IS NULL DO NOTHING
     RETURNING client_id`,
    [c.clientId, c.secretHash, c.kind, c.name, c.ownerIdentityId, c.scopes, c.capabilities, now, c.expires],
  )
  return rows.length === 1
}

/** A credential with its secret's hash, for checking a secret against it. */
export async function findCredentialWithHash(
  db: Db,
  clientId: string,
): Promise<(ApiCredential & { readonly secretHash: string }) | undefined> {
  const rows = await db.query<DbCredentialRow>(
    `SELECT ${COLUMNS} FROM api_credentials WHERE client_id = $1`,
    [clientId],
  )
  const row = rows[0]
  return row ? { ...toCredential(row), secretHash: row.secret_hash } : undefined
}

export async function findCredential(db: Db, clientId: string): Promise<ApiCredential | undefined> {
  const found = await findCredentialWithHash(db, clientId)
  if (!found) return undefined
  const { secretHash: _hash, ...credential } = found
  return credential
}

/** Every credential (revoked ones too), oldest first; a personal access token's owner when given. */
export async function listCredentials(db: Db, filter: { owner?: string } = {}): Promise<ApiCredential[]> {
  const rows =
    filter.owner === undefined
      ? await db.query<DbCredentialRow>(`SELECT ${COLUMNS} FROM api_credentials ORDER BY created, client_id`)
      : await db.query<DbCredentialRow>(
          `SELECT ${COLUMNS} FROM api_credentials WHERE owner_identity_id = $1 ORDER BY created, client_id`,
          [filter.owner],
        )
  return rows.map(toCredential)
}

/** Revokes a credential in use; false when it is unknown or was revoked already. */
export async function revokeCredential(db: Db, clientId: string, now: Date): Promise<boolean> {
  const rows = await db.query(
    'UPDATE api_credentials SET revoked = $2 WHERE client_id = $1 AND revoked IS NULL RETURNING client_id',
    [clientId, now],
  )
  return rows.length === 1
}

export async function recordCredentialUse(db: Db, clientId: string, now: Date): Promise<void> {
  await db.query('UPDATE api_credentials SET last_used = $2 WHERE client_id = $1', [clientId, now])
}
