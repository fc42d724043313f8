/** Manager correlation, and the re-evaluation of the mappings that read the manager. */
import type { SourceConfig } from '../domain/config/config-schemas.js'
import type { CompiledIdentityProfile, IdentityInputs } from '../domain/identity/compile-identity-profile.js'
import { selectTuples, type Db } from '../store/db.js'
import { loadIdentityAttributes, loadIdentityAttributesById, type IdentityRef } from '../store/identities.js'
import type { EngineContext } from './engine-context.js'
import { attachAccounts, transformAccountMapper, type WorkItem } from './identity-inputs.js'

/**
 * `managerCorrelationMapping`: the value of the authoritative account's attribute names the manager
 * by one of the manager's identity attributes (as just computed, or as stored). Only a unique match
 * counts. Sets each work item's manager and returns the changes of every identity of the profile.
 */
export async function correlateManagers(
  db: Db,
  source: SourceConfig,
  sourceId: string,
  work: WorkItem[],
  refs: ReadonlyMap<string, IdentityRef>,
): Promise<Map<string, string | null>> {
  const changes = new Map<string, string | null>()
  const mapping = source.managerCorrelationMapping
  if (!mapping) return changes
  const built = new Map(work.map((w) => [w.identityId, w]))
  // Identities not re-built this run: their stored values and manager keys are read from the store,
  // which a first run (everything new) skips entirely.
  const others = [...refs.keys()].some((id) => !built.has(id))
  const index = new Map<string, string | null>()
  const add = (value: string | null | undefined, id: string): void => {
    if (value === null || value === undefined || value === '') return
    index.set(value, index.has(value) && index.get(value) !== id ? null : id)
  }
  if (others) {
    for (const i of await loadIdentityAttributes(db, [mapping.identityAttributeName])) {
      if (!built.has(i.id)) add(i.attributes[mapping.identityAttributeName], i.id)
    }
  }
  for (const w of work) add(w.built?.attributes[mapping.identityAttributeName], w.identityId)

  const keys: { identityId: string; key: string | null }[] = work.map((w) => {
    const v = w.accounts.find((a) => a.id === w.accountId)?.attributes[mapping.accountAttributeName]
    return { identityId: w.identityId, key: typeof v === 'string' ? v : null }
  })
  if (others) {
    const rows = await selectTuples<[string, string | null]>(
      db,
      ['identity_id', 'attributes->>$1'],
      'FROM accounts WHERE source_id = $2 AND identity_id IS NOT NULL',
      [mapping.accountAttributeName, sourceId],
    )
    for (const [identityId, key] of rows) if (!built.has(identityId)) keys.push({ identityId, key })
  }
  for (const k of keys) {
    let managerId = k.key ? (index.get(k.key) ?? null) : null
    if (managerId === k.identityId) managerId = null
    const w = built.get(k.identityId)
    if (w) w.managerId = managerId
    if ((refs.get(k.identityId)?.managerId ?? null) !== managerId) changes.set(k.identityId, managerId)
  }
  return changes
}

/**
 * Mappings that read the manager (getReferenceIdentityAttribute) are evaluated again once managers
 * are known: for re-built identities, and for identities whose manager changed.
 */
export async function rebuildWithManagers(
  ctx: EngineContext,
  compiled: CompiledIdentityProfile,
  work: WorkItem[],
  managerChanges: ReadonlyMap<string, string | null>,
  findIdentity: IdentityInputs['findIdentity'],
): Promise<void> {
  const toTransformAccount = transformAccountMapper(ctx)
  const byId = new Map(work.map((w) => [w.identityId, w]))
  const extra = [...managerChanges.keys()].filter((id) => !byId.has(id))
  if (extra.length > 0) {
    // Identities whose only change is their manager: re-built too, so their manager-derived attributes follow.
    const rows = await ctx.db.query<{
      id: string
      native_identity: string
      inputs_hash: string | null
      account_id: string
    }>(
      `SELECT i.id, a.native_identity, i.inputs_hash, a.id AS account_id FROM identities i
       JOIN accounts a ON a.identity_id = i.id AND a.authoritative WHERE i.id = ANY($1::text[])`,
      [extra],
    )
    const added: WorkItem[] = rows.map((r) => ({
      identityId: r.id,
      isNew: false,
      accountId: r.account_id,
      nativeIdentity: r.native_identity,
      inputsHash: r.inputs_hash ?? '',
      accounts: [],
      managerId: managerChanges.get(r.id) ?? null,
    }))
    await attachAccounts(ctx.db, added, null, Infinity)
    for (const w of added) {
      work.push(w)
      byId.set(w.identityId, w)
    }
  }
  const stored = await loadIdentityAttributesById(ctx.db, [
    ...new Set(work.flatMap((w) => (w.managerId && !byId.has(w.managerId) ? [w.managerId] : []))),
  ])
  // Managers re-built in this run are read from pass one, so a manager and their report change together.
  for (const w of work) {
    const manager = w.managerId
      ? (byId.get(w.managerId)?.built?.attributes ?? stored.get(w.managerId) ?? null)
      : null
    const inputs = { accounts: w.accounts.map(toTransformAccount), manager, now: ctx.now, findIdentity }
    w.built = w.built ? compiled.rebuild(w.built, inputs) : compiled.build(inputs)
  }
}
