import type { StoredAccountRef } from '../domain/aggregation/diff-accounts.js'
import type { Account, Attributes } from '../domain/model.js'
import type { Db } from './db.js'
import { batches, selectTuples } from './db.js'
import { newId } from '../domain/new-id.js'
import { enqueueIdentities } from './queues.js'

export interface DbAccountRow {
  id: string
  source_id: string
  source_name: string
  native_identity: string
  display_name: string | null
  identity_id: string | null
  authoritative: boolean
  attributes: Attributes
  disabled: boolean
  locked: boolean
  manually_correlated: boolean
  created: string | Date
  modified: string | Date
}

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

const SELECT = `SELECT a.id, a.source_id, s.name AS source_name, a.native_identity, a.display_name, a.identity_id,
  a.authoritative, a.attributes, a.disabled, a.locked, a.manually_correlated, a.created, a.modified
  FROM accounts a JOIN sources s ON s.id = a.source_id`

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

/** Accounts of a source that belong to no identity, with their attributes (to correlate them). */
export async function loadUncorrelated(
  db: Db,
  sourceId: string,
): Promise<{ id: string; native_identity: string; attributes: Attributes }[]> {
  return db.query(
    'SELECT id, native_identity, attributes FROM accounts WHERE source_id = $1 AND identity_id IS NULL',
    [sourceId],
  )
}

export async function listAccounts(
  db: Db,
  filter: { sourceId?: string; identityIds?: readonly string[]; ids?: readonly string[] },
): Promise<Account[]> {
  const where: string[] = []
  const params: unknown[] = []
  if (filter.ids !== undefined) {
    params.push(filter.ids)
    where.push(`a.id = ANY($${params.length}::text[])`)
  }
  if (filter.sourceId !== undefined) {
    params.push(filter.sourceId)
    where.push(`a.source_id = $${params.length}`)
  }
  if (filter.identityIds !== undefined) {
    params.push(filter.identityIds)
    where.push(`a.identity_id = ANY($${params.length}::text[])`)
  }
  const rows = await db.query<DbAccountRow>(
    `${SELECT} ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY s.name, a.native_identity`,
    params,
  )
  return rows.map(toAccount)
}

/** What identity processing needs of an account to decide whether its identity changed. */
export interface AccountKey {
  readonly id: string
  readonly source_id: string
  readonly native_identity: string
  readonly identity_id: string | null
  readonly hash: string
}

/**
 * The keys and hashes of the accounts of some sources (all when null) that belong to an identity,
 * and of every account of the authoritative source: one scan for incremental processing.
 */
export async function loadAccountKeys(
  db: Db,
  sourceIds: ReadonlySet<string> | null,
  authoritativeSourceId: string,
  /** Only the accounts of these identities (an incremental refresh of the queued ones). */
  identityIds?: readonly string[],
): Promise<AccountKey[]> {
  const columns = ['id', 'source_id', 'native_identity', 'identity_id', 'hash']
  const sources = sourceIds ? 'AND source_id = ANY($2::text[])' : ''
  const params = sourceIds ? [authoritativeSourceId, [...sourceIds]] : [authoritativeSourceId]
  const tuples: [string, string, string, string | null, string][] = []
  if (identityIds === undefined) {
    tuples.push(
      ...(await selectTuples<[string, string, string, string | null, string]>(
        db,
        columns,
        `FROM accounts WHERE source_id = $1 OR (identity_id IS NOT NULL ${sources})`,
        params,
      )),
    )
  } else {
    const n = params.length + 1
    for (const batch of batches(identityIds)) {
      tuples.push(
        ...(await selectTuples<[string, string, string, string | null, string]>(
          db,
          columns,
          `FROM accounts WHERE identity_id = ANY($${n}::text[]) AND (source_id = $1 ${sourceIds ? 'OR source_id = ANY($2::text[])' : 'OR true'})`,
          [...params, batch],
        )),
      )
    }
  }
  return tuples.map(([id, source_id, native_identity, identity_id, hash]) => ({
    id,
    source_id,
    native_identity,
    identity_id,
    hash,
  }))
}

export function toAccount(r: DbAccountRow): Account {
  return {
    id: r.id,
    sourceId: r.source_id,
    sourceName: r.source_name,
    nativeIdentity: r.native_identity,
    displayName: r.display_name,
    identityId: r.identity_id,
    authoritative: r.authoritative,
    attributes: r.attributes,
    disabled: r.disabled,
    locked: r.locked,
    manuallyCorrelated: r.manually_correlated,
    created: iso(r.created),
    modified: iso(r.modified),
  }
}

export function iso(v: string | Date): string {
  return v instanceof Date ? v.toISOString() : new Date(v).toISOString()
}

/** One account's part of an identity's inputs hash. */
export function accountHashEntry(sourceId: string, nativeIdentity: string, hash: string): string {
  return `${sourceId}/${nativeIdentity}/${hash}`
}

/**
 * Accounts of some sources (all when `sourceIds` is null), optionally only those of some identities,
 * without ordering or joins, and with timestamps as ISO text: the bulk read of identity processing.
 */
export async function loadAccountsOf(
  db: Db,
  filter: { sourceIds: ReadonlySet<string> | null; identityIds?: readonly string[] },
): Promise<Account[]> {
  const names = new Map(
    (await db.query<{ id: string; name: string }>('SELECT id, name FROM sources')).map((s) => [s.id, s.name]),
  )
  const where: string[] = ['identity_id IS NOT NULL']
  const params: unknown[] = []
  if (filter.sourceIds) {
    params.push([...filter.sourceIds])
    where.push(`source_id = ANY($${params.length}::text[])`)
  }
  // Only what transforms read, as one JSON array per row: decoding one field per row instead of
  // seven makes reading 100,000 accounts about a third faster on the embedded database.
  const select = `SELECT json_build_array(id, source_id, native_identity, display_name, identity_id, attributes,
    to_char(created AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), disabled)::text AS row FROM accounts`
  const out: Account[] = []
  const run = async (extra: string, extraParams: unknown[]): Promise<void> => {
    const rows = await db.query<{ row: string }>(
      `${select} WHERE ${[...where, extra].filter(Boolean).join(' AND ')}`,
      [...params, ...extraParams],
    )
    for (const { row } of rows) {
      const [id, sourceId, nativeIdentity, displayName, identityId, attributes, created, disabled] =
        JSON.parse(row) as [string, string, string, string | null, string, Attributes, string, boolean]
      out.push({
        id,
        sourceId,
        sourceName: names.get(sourceId) ?? sourceId,
        nativeIdentity,
        displayName,
        identityId,
        authoritative: false,
        attributes,
        disabled,
        locked: false,
        manuallyCorrelated: false,
        created,
        modified: created,
      })
    }
  }
  if (filter.identityIds === undefined) await run('', [])
  else {
    for (const batch of batches(filter.identityIds)) {
      await run(`identity_id = ANY($${params.length + 1}::text[])`, [batch])
    }
  }
  return out
}

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

/**
 * The accounts of some identities as the planner reads them, aggregated into one JSON value per query
 * (the planner reads ~4 accounts for each of 2,000 identities per batch).
 */
export async function loadPlanAccounts(
  db: Db,
  identityIds: readonly string[],
): Promise<
  {
    identityId: string
    sourceId: string
    nativeIdentity: string
    disabled: boolean
    attributes: Attributes
  }[]
> {
  const out: {
    identityId: string
    sourceId: string
    nativeIdentity: string
    disabled: boolean
    attributes: Attributes
  }[] = []
  for (const batch of batches(identityIds)) {
    const rows = await selectTuples<[string, string, string, boolean, Attributes]>(
      db,
      ['identity_id', 'source_id', 'native_identity', 'disabled', 'attributes'],
      'FROM accounts WHERE identity_id = ANY($1::text[])',
      [batch],
    )
    for (const [identityId, sourceId, nativeIdentity, disabled, attributes] of rows) {
      out.push({ identityId, sourceId, nativeIdentity, disabled, attributes })
    }
  }
  return out
}
