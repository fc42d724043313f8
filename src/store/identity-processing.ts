import { batches, selectTuples, type Db } from './db.js'

/** An identity as processing writes it. */
export interface IdentityWrite {
  readonly id: string
  readonly name: string
  readonly identityProfile: string
  readonly attributes: Readonly<Record<string, string | null>>
  /** The attributes as JSON, serialised once. */
  readonly attributesJson: string
  readonly lifecycleState: string | null
  readonly managerId: string | null
  readonly processingError: string | null
  readonly inputsHash: string
  readonly stateHash: string
  /** Manager correlation: the key the authoritative account names the manager by, and the identity's own. */
  readonly managerKey: string | null
  readonly matchKey: string | null
}

/** What incremental processing needs to know of every identity. */
export interface IdentityRef {
  readonly inputsHash: string | null
  readonly stateHash: string | null
  readonly managerId: string | null
  readonly removed: boolean
  readonly profile: string
  readonly managerKey: string | null
  readonly matchKey: string | null
}

/** Inserts new identities; like accounts, their `created`/`modified` are the database's transaction time. */
export async function insertIdentities(db: Db, rows: readonly IdentityWrite[]): Promise<void> {
  await db.insertRows(
    'identities',
    [
      'id',
      'name',
      'identity_profile',
      'attributes',
      'lifecycle_state',
      'manager_id',
      'processing_state',
      'processing_error',
      'inputs_hash',
      'state_hash',
      'manager_key',
      'match_key',
    ],
    rows.map((r) => [
      r.id,
      r.name,
      r.identityProfile,
      r.attributesJson,
      r.lifecycleState,
      r.managerId,
      r.processingError === null ? 'OK' : 'ERROR',
      r.processingError,
      r.inputsHash,
      r.stateHash,
      r.managerKey,
      r.matchKey,
    ]),
  )
}

/** Rewrites processed identities; their authoritative account is present again, so the removal flag clears. */
export async function updateIdentities(db: Db, rows: readonly IdentityWrite[], now: Date): Promise<void> {
  for (const batch of batches(rows)) {
    await db.query(
      `UPDATE identities i SET name = u.name, identity_profile = u.profile, attributes = u.attributes::json,
         lifecycle_state = u.lifecycle_state, processing_state = CASE WHEN u.error IS NULL THEN 'OK' ELSE 'ERROR' END,
         processing_error = u.error, inputs_hash = u.inputs_hash, manager_id = u.manager_id, state_hash = u.state_hash,
         manager_key = u.manager_key, match_key = u.match_key, authoritative_account_removed = NULL, modified = $10
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
         $9::text[], $11::text[], $12::text[])
         AS u(id, name, profile, attributes, lifecycle_state, error, inputs_hash, manager_id, state_hash, manager_key, match_key)
       WHERE i.id = u.id`,
      [
        batch.map((r) => r.id),
        batch.map((r) => r.name),
        batch.map((r) => r.identityProfile),
        batch.map((r) => r.attributesJson),
        batch.map((r) => r.lifecycleState),
        batch.map((r) => r.processingError),
        batch.map((r) => r.inputsHash),
        batch.map((r) => r.managerId),
        batch.map((r) => r.stateHash),
        now.toISOString(),
        batch.map((r) => r.managerKey),
        batch.map((r) => r.matchKey),
      ],
    )
  }
}

/** Flags identities whose authoritative account left the source; they are kept, not deleted. */
export async function markAuthoritativeAccountRemoved(
  db: Db,
  ids: readonly string[],
  now: Date,
): Promise<void> {
  for (const batch of batches(ids)) {
    await db.query(
      `UPDATE identities SET authoritative_account_removed = $2, modified = $2
       WHERE id = ANY($1::text[]) AND authoritative_account_removed IS NULL`,
      [batch, now.toISOString()],
    )
  }
}

/** Records identities' manager-correlation keys (see IdentityWrite). */
export async function setManagerKeys(
  db: Db,
  keys: readonly { identityId: string; managerKey: string | null; matchKey: string | null }[],
): Promise<void> {
  for (const batch of batches(keys)) {
    await db.query(
      `UPDATE identities i SET manager_key = u.manager_key, match_key = u.match_key
       FROM unnest($1::text[], $2::text[], $3::text[]) AS u(id, manager_key, match_key) WHERE i.id = u.id`,
      [batch.map((k) => k.identityId), batch.map((k) => k.managerKey), batch.map((k) => k.matchKey)],
    )
  }
}

export async function setManagers(
  db: Db,
  links: readonly { identityId: string; managerId: string | null }[],
): Promise<void> {
  for (const batch of batches(links)) {
    await db.query(
      `UPDATE identities i SET manager_id = u.manager_id FROM unnest($1::text[], $2::text[]) AS u(id, manager_id)
       WHERE i.id = u.id`,
      [batch.map((l) => l.identityId), batch.map((l) => l.managerId)],
    )
  }
}

/** What incremental processing needs of every identity (or of some, by id). */
export async function loadIdentityRefs(db: Db, ids?: readonly string[]): Promise<Map<string, IdentityRef>> {
  type Row = {
    id: string
    identity_profile: string
    inputs_hash: string | null
    state_hash: string | null
    manager_id: string | null
    authoritative_account_removed: unknown
    manager_key: string | null
    match_key: string | null
  }
  const select = `SELECT id, identity_profile, inputs_hash, state_hash, manager_id, authoritative_account_removed,
    manager_key, match_key FROM identities`
  // Pushing 100,000 rows as spread arguments would overflow the stack: the full read is kept whole.
  const rows: Row[] = ids === undefined ? await db.query<Row>(select) : []
  if (ids !== undefined) {
    for (const batch of batches(ids)) {
      rows.push(...(await db.query<Row>(`${select} WHERE id = ANY($1::text[])`, [batch])))
    }
  }
  return new Map(
    rows.map((r) => [
      r.id,
      {
        inputsHash: r.inputs_hash,
        stateHash: r.state_hash,
        managerId: r.manager_id,
        removed: r.authoritative_account_removed !== null,
        profile: r.identity_profile,
        managerKey: r.manager_key,
        matchKey: r.match_key,
      },
    ]),
  )
}

/** One identity attribute of every identity (manager correlation, correlation of other sources). */
export async function loadIdentityAttributes(
  db: Db,
  names: readonly string[],
  /** Only identities whose authoritative account is gone (a returning person may match one). */
  onlyRemoved = false,
): Promise<{ id: string; attributes: Record<string, string | null> }[]> {
  const where = onlyRemoved ? ' WHERE authoritative_account_removed IS NOT NULL' : ''
  if (names.length === 0) {
    return (await db.query<{ id: string }>('SELECT id FROM identities')).map((r) => ({
      id: r.id,
      attributes: {},
    }))
  }
  const tuples = await selectTuples<[string, ...(string | null)[]]>(
    db,
    ['id', ...names.map((_, i) => `attributes->>$${i + 1}`)],
    `FROM identities${where}`,
    names,
  )
  return tuples.map(([id, ...values]) => {
    const attributes: Record<string, string | null> = {}
    names.forEach((n, i) => (attributes[n] = values[i] ?? null))
    return { id, attributes }
  })
}

/** Some identities' authoritative accounts and inputs hashes: what re-building an identity starts from. */
export async function loadAuthoritativeAccounts(
  db: Db,
  identityIds: readonly string[],
): Promise<{ identityId: string; accountId: string; nativeIdentity: string; inputsHash: string | null }[]> {
  const rows = await db.query<{
    id: string
    native_identity: string
    inputs_hash: string | null
    account_id: string
  }>(
    `SELECT i.id, a.native_identity, i.inputs_hash, a.id AS account_id FROM identities i
     JOIN accounts a ON a.identity_id = i.id AND a.authoritative WHERE i.id = ANY($1::text[])`,
    [identityIds],
  )
  return rows.map((r) => ({
    identityId: r.id,
    accountId: r.account_id,
    nativeIdentity: r.native_identity,
    inputsHash: r.inputs_hash,
  }))
}

/** The identities whose authoritative account names one of these manager keys: [id, managerKey, managerId]. */
export async function loadIdentitiesByManagerKey(
  db: Db,
  keys: readonly string[],
): Promise<[string, string | null, string | null][]> {
  return selectTuples<[string, string | null, string | null]>(
    db,
    ['id', 'manager_key', 'manager_id'],
    'FROM identities WHERE manager_key = ANY($1::text[])',
    [keys],
  )
}

/** The identities a manager key can name: [id, matchKey]. */
export async function loadIdentitiesByMatchKey(
  db: Db,
  keys: readonly string[],
): Promise<[string, string | null][]> {
  return selectTuples<[string, string | null]>(
    db,
    ['id', 'match_key'],
    'FROM identities WHERE match_key = ANY($1::text[])',
    [keys],
  )
}

/**
 * Forgets what processing last read for these identities (all of a profile's with `profile`): the next
 * processing run evaluates them again even though their accounts did not change. Returns their ids.
 */
export async function forgetIdentityInputs(
  db: Db,
  which: { readonly ids: readonly string[] } | { readonly profile: string },
): Promise<string[]> {
  const rows =
    'ids' in which
      ? await db.query<{ id: string }>(
          'UPDATE identities SET inputs_hash = NULL WHERE id = ANY($1::text[]) RETURNING id',
          [which.ids],
        )
      : await db.query<{ id: string }>(
          'UPDATE identities SET inputs_hash = NULL WHERE identity_profile = $1 RETURNING id',
          [which.profile],
        )
  return rows.map((r) => r.id)
}

/**
 * Sets an identity's lifecycle state by hand, with its attributes (their `cloudLifecycleState` the same).
 * The state hash is left as processing wrote it, so the state holds until processing computes a different
 * result from changed inputs. False when there is no such identity.
 */
export async function setIdentityLifecycleState(
  db: Db,
  id: string,
  state: { readonly technicalName: string; readonly attributes: Readonly<Record<string, string | null>> },
  now: Date,
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE identities SET lifecycle_state = $2, attributes = $3::json, modified = $4 WHERE id = $1 RETURNING id`,
    [id, state.technicalName, JSON.stringify(state.attributes), now.toISOString()],
  )
  return rows.length === 1
}
