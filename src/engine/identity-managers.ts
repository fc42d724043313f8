/** Manager correlation, and the re-evaluation of the mappings that read the manager. */
import type { SourceConfig } from '../domain/config/config-schemas.js'
import type { CompiledIdentityProfile, IdentityInputs } from '../domain/identity/compile-identity-profile.js'
import type { Db } from '../store/db.js'
import { loadCorrelatedAccountValues } from '../store/account-processing.js'
import { loadIdentityAttributesById } from '../store/identities.js'
import {
  loadAuthoritativeAccounts,
  loadIdentitiesByManagerKey,
  loadIdentitiesByMatchKey,
  loadIdentityAttributes,
  type IdentityRef,
} from '../store/identity-processing.js'
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
  /** Only queued identities are being processed: read just the others that can matter to them. */
  scoped = false,
): Promise<{ changes: Map<string, string | null>; keys: ManagerKeys[] }> {
  const mapping = source.managerCorrelationMapping
  if (!mapping) return { changes: new Map(), keys: [] }
  if (scoped) return { changes: await correlateManagersOf(db, mapping, work, refs), keys: [] }
  const built = new Map(work.map((w) => [w.identityId, w]))
  // Identities not re-built this run: their stored values and manager keys are read from the store,
  // which a first run (everything new) skips entirely.
  const others = [...refs.keys()].some((id) => !built.has(id))
  const index = managerIndex()
  // The keys of identities not re-built are checked too: stored ones that differ (or predate them) are fixed.
  const matchKeys = new Map<string, string | null>()
  if (others) {
    for (const i of await loadIdentityAttributes(db, [mapping.identityAttributeName])) {
      if (built.has(i.id)) continue
      const value = i.attributes[mapping.identityAttributeName]
      index.add(value, i.id)
      matchKeys.set(i.id, typeof value === 'string' && value !== '' ? value : null)
    }
  }
  for (const w of work) index.add(w.built?.attributes[mapping.identityAttributeName], w.identityId)

  const keys = managerKeys(work, mapping.accountAttributeName)
  if (others) {
    const values = await loadCorrelatedAccountValues(db, sourceId, mapping.accountAttributeName)
    for (const [identityId, key] of values) if (!built.has(identityId)) keys.push({ identityId, key })
  }
  const fixes: ManagerKeys[] = []
  for (const k of keys) {
    const ref = refs.get(k.identityId)
    if (!ref || built.has(k.identityId)) continue
    const managerKey = k.key === '' ? null : k.key
    const matchKey = matchKeys.get(k.identityId) ?? null
    if (ref.managerKey !== managerKey || ref.matchKey !== matchKey) {
      fixes.push({ identityId: k.identityId, managerKey, matchKey })
    }
  }
  return {
    changes: resolveManagers(keys, index, built, (id) => refs.get(id)?.managerId ?? null),
    keys: fixes,
  }
}

/** An identity's manager-correlation keys, as stored on the identity (see IdentityWrite). */
interface ManagerKeys {
  readonly identityId: string
  readonly managerKey: string | null
  readonly matchKey: string | null
}

type ManagerMapping = NonNullable<SourceConfig['managerCorrelationMapping']>

/** Identity attribute value → the one identity holding it (null when several do: no guess). */
function managerIndex(): { add(value: unknown, id: string): void; get(key: string): string | null } {
  const index = new Map<string, string | null>()
  return {
    add(value, id) {
      if (typeof value !== 'string' || value === '') return
      index.set(value, index.has(value) && index.get(value) !== id ? null : id)
    },
    get: (key) => index.get(key) ?? null,
  }
}

/** Each work item's manager key: its authoritative account's `accountAttributeName`. */
function managerKeys(
  work: readonly WorkItem[],
  attribute: string,
): { identityId: string; key: string | null }[] {
  return work.map((w) => {
    const v = w.accounts.find((a) => a.id === w.accountId)?.attributes[attribute]
    return { identityId: w.identityId, key: typeof v === 'string' ? v : null }
  })
}

function resolveManagers(
  keys: readonly { identityId: string; key: string | null }[],
  index: ReturnType<typeof managerIndex>,
  built: ReadonlyMap<string, WorkItem>,
  storedManager: (identityId: string) => string | null,
): Map<string, string | null> {
  const changes = new Map<string, string | null>()
  for (const k of keys) {
    let managerId = k.key ? index.get(k.key) : null
    if (managerId === k.identityId) managerId = null
    const w = built.get(k.identityId)
    if (w) w.managerId = managerId
    if (storedManager(k.identityId) !== managerId) changes.set(k.identityId, managerId)
  }
  return changes
}

/**
 * Manager correlation for a few queued identities: their managers are looked up by the keys they
 * name, and the identities naming one of them (by its old or new value) are checked again. The
 * same answers as the full pass, from what concerns the queued identities only.
 */
async function correlateManagersOf(
  db: Db,
  mapping: ManagerMapping,
  work: WorkItem[],
  refs: ReadonlyMap<string, IdentityRef>,
): Promise<Map<string, string | null>> {
  const built = new Map(work.map((w) => [w.identityId, w]))
  const attribute = mapping.identityAttributeName
  const keys = managerKeys(work, mapping.accountAttributeName)
  const values = new Set<string>()
  for (const w of work) {
    for (const v of [w.built?.attributes[attribute], refs.get(w.identityId)?.matchKey]) {
      if (typeof v === 'string' && v !== '') values.add(v)
    }
  }
  // Their reports: whoever names one of their values, before or after this change (stored keys, indexed).
  const reports = await loadIdentitiesByManagerKey(db, [...values])
  const reportManagers = new Map<string, string | null>()
  for (const [identityId, key, managerId] of reports) {
    if (built.has(identityId)) continue
    keys.push({ identityId, key })
    reportManagers.set(identityId, managerId)
  }
  // The identities the keys name, as stored (those re-built now count with their new values).
  const wanted = [...new Set(keys.flatMap((k) => (k.key ? [k.key] : [])))]
  const index = managerIndex()
  const holders = await loadIdentitiesByMatchKey(db, wanted)
  for (const [id, value] of holders) if (!built.has(id)) index.add(value, id)
  for (const w of work) index.add(w.built?.attributes[attribute], w.identityId)
  return resolveManagers(keys, index, built, (id) =>
    built.has(id) ? (refs.get(id)?.managerId ?? null) : (reportManagers.get(id) ?? null),
  )
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
    const rows = await loadAuthoritativeAccounts(ctx.db, extra)
    const added: WorkItem[] = rows.map((r) => ({
      identityId: r.identityId,
      isNew: false,
      accountId: r.accountId,
      nativeIdentity: r.nativeIdentity,
      inputsHash: r.inputsHash ?? '',
      accounts: [],
      managerId: managerChanges.get(r.identityId) ?? null,
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
