import type { Attributes } from '../domain/model.js'
import { newId } from '../domain/new-id.js'
import { batches, selectTuples, type Db } from './db.js'

/** An account as an executed request left it: created or changed on the system, as aggregation reads it. */
export interface ProvisionedAccount {
  readonly sourceId: string
  readonly nativeIdentity: string
  readonly identityId: string
  readonly displayName: string | null
  /** The attributes as JSON, and the hash of the account, as an aggregation computes them. */
  readonly attributesJson: string
  readonly hash: string
  readonly disabled: boolean
  readonly locked: boolean
}

/**
 * Records what execution did to accounts, so the next plan sees it before the next aggregation does.
 * The copy is the system's account as aggregation would read it, with its hash: the next aggregation
 * finds it unchanged when the system still shows it so, and replaces it when not.
 */
export async function saveProvisionedAccounts(db: Db, rows: readonly ProvisionedAccount[]): Promise<void> {
  for (const batch of batches(rows)) {
    await db.query(
      `INSERT INTO accounts (id, source_id, native_identity, display_name, identity_id, attributes, hash, disabled, locked)
       SELECT u.id, u.source_id, u.native_identity, u.display_name, u.identity_id, u.attributes::json, u.hash,
         u.disabled, u.locked
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
         $8::boolean[], $9::boolean[])
         AS u(id, source_id, native_identity, display_name, identity_id, attributes, hash, disabled, locked)
       ON CONFLICT (source_id, native_identity) DO UPDATE SET attributes = excluded.attributes,
         display_name = excluded.display_name, hash = excluded.hash, disabled = excluded.disabled,
         locked = excluded.locked, identity_id = coalesce(accounts.identity_id, excluded.identity_id),
         modified = now()`,
      [
        batch.map(() => newId()),
        batch.map((r) => r.sourceId),
        batch.map((r) => r.nativeIdentity),
        batch.map((r) => r.displayName),
        batch.map((r) => r.identityId),
        batch.map((r) => r.attributesJson),
        batch.map((r) => r.hash),
        batch.map((r) => r.disabled),
        batch.map((r) => r.locked),
      ],
    )
  }
}

/** Removes accounts the system no longer has (deleted by a request, or found missing). */
export async function removeAccounts(
  db: Db,
  rows: readonly { sourceId: string; nativeIdentity: string }[],
): Promise<void> {
  for (const batch of batches(rows)) {
    await db.query(
      `DELETE FROM accounts a USING unnest($1::text[], $2::text[]) AS u(source_id, native_identity)
       WHERE a.source_id = u.source_id AND a.native_identity = u.native_identity`,
      [batch.map((r) => r.sourceId), batch.map((r) => r.nativeIdentity)],
    )
  }
}

/** A source's stored accounts by native identity, and those of some identities: what verification compares. */
export async function loadAccountsToVerify(
  db: Db,
  sourceId: string,
  nativeIdentities: readonly string[],
  identityIds: readonly string[],
): Promise<
  { nativeIdentity: string; identityId: string | null; attributes: Attributes; disabled: boolean }[]
> {
  const rows = await selectTuples<[string, string | null, Attributes, boolean]>(
    db,
    ['native_identity', 'identity_id', 'attributes', 'disabled'],
    `FROM accounts WHERE source_id = $1 AND (native_identity = ANY($2::text[]) OR identity_id = ANY($3::text[]))`,
    [sourceId, nativeIdentities, identityIds],
  )
  return rows.map(([nativeIdentity, identityId, attributes, disabled]) => ({
    nativeIdentity,
    identityId,
    attributes,
    disabled,
  }))
}
