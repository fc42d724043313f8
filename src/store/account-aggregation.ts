import type { StoredAccountRef } from '../domain/aggregation/diff-accounts.js'
import type { Attributes } from '../domain/model.js'
import { batches, type Db } from './db.js'
import { enqueueIdentities } from './queues.js'

export interface NewAccountRow {
  readonly id: string
  readonly sourceId: string
  readonly nativeIdentity: string
  readonly displayName: string | null
  readonly identityId: string | null
  readonly authoritative: boolean
  /** The attributes as JSON (serialised once, when the account was hashed). */
  readonly attributesJson: string
  readonly hash: string
  readonly disabled: boolean
  readonly locked: boolean
}

/** Every stored account of a source by native identity: what a new aggregation is compared with. */
export async function loadAccountRefs(db: Db, sourceId: string): Promise<Map<string, StoredAccountRef>> {
  const rows = await db.query<{
    id: string
    native_identity: string
    hash: string
    identity_id: string | null
  }>('SELECT id, native_identity, hash, identity_id FROM accounts WHERE source_id = $1', [sourceId])
  return new Map(rows.map((r) => [r.native_identity, { id: r.id, hash: r.hash, identityId: r.identity_id }]))
}

/**
 * Inserts new accounts. `created`/`modified` take the database's transaction time: parsing two
 * timestamps per row cost a fifth of a 100,000-account aggregation on the embedded database.
 */
export async function insertAccounts(db: Db, rows: readonly NewAccountRow[]): Promise<void> {
  await db.insertRows(
    'accounts',
    [
      'id',
      'source_id',
      'native_identity',
      'display_name',
      'identity_id',
      'authoritative',
      'attributes',
      'hash',
      'disabled',
      'locked',
    ],
    rows.map((r) => [
      r.id,
      r.sourceId,
      r.nativeIdentity,
      r.displayName,
      r.identityId,
      String(r.authoritative),
      r.attributesJson,
      r.hash,
      String(r.disabled),
      String(r.locked),
    ]),
  )
}

/** Rewrites changed accounts (attributes, display name, state, hash) in batches. */
export async function updateAccounts(
  db: Db,
  rows: readonly {
    id: string
    displayName: string | null
    attributesJson: string
    hash: string
    disabled: boolean
    locked: boolean
  }[],
  now: Date,
): Promise<void> {
  for (const batch of batches(rows)) {
    await db.query(
      `UPDATE accounts a SET display_name = u.display_name, attributes = u.attributes::json, hash = u.hash,
         disabled = u.disabled, locked = u.locked, modified = $7
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::boolean[])
         AS u(id, display_name, attributes, hash, disabled, locked)
       WHERE a.id = u.id`,
      [
        batch.map((r) => r.id),
        batch.map((r) => r.displayName),
        batch.map((r) => r.attributesJson),
        batch.map((r) => r.hash),
        batch.map((r) => r.disabled),
        batch.map((r) => r.locked),
        now.toISOString(),
      ],
    )
  }
}

export async function deleteAccounts(db: Db, ids: readonly string[]): Promise<void> {
  for (const batch of batches(ids)) await db.query('DELETE FROM accounts WHERE id = ANY($1::text[])', [batch])
}

/** Links accounts to identities (correlation); the identities' inputs changed, so they are queued for refresh. */
export async function setAccountIdentities(
  db: Db,
  links: readonly { accountId: string; identityId: string | null }[],
): Promise<void> {
  await enqueueIdentities(
    db,
    links.map((l) => l.identityId),
  )
  for (const batch of batches(links)) {
    await db.query(
      `UPDATE accounts a SET identity_id = u.identity_id FROM unnest($1::text[], $2::text[]) AS u(id, identity_id)
       WHERE a.id = u.id`,
      [batch.map((l) => l.accountId), batch.map((l) => l.identityId)],
    )
  }
}

/**
 * Accounts of a source that belong to no identity, with their attributes (to correlate them). An account
 * a person uncorrelated (manually correlated to no one) stays so: correlation rules do not overrule them.
 */
export async function loadUncorrelated(
  db: Db,
  sourceId: string,
): Promise<{ id: string; native_identity: string; attributes: Attributes }[]> {
  return db.query(
    `SELECT id, native_identity, attributes FROM accounts
     WHERE source_id = $1 AND identity_id IS NULL AND NOT manually_correlated`,
    [sourceId],
  )
}

/** How many accounts of a source belong to no identity. */
export async function countUncorrelated(db: Db, sourceId: string): Promise<number> {
  const rows = await db.query<{ n: string }>(
    'SELECT count(*) AS n FROM accounts WHERE source_id = $1 AND identity_id IS NULL',
    [sourceId],
  )
  return Number(rows[0]?.n ?? 0)
}
