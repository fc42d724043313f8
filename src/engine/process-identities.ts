import type { IdentityProfileConfig, SourceConfig } from '../domain/config/config-schemas.js'
import { accountSchemaOf, findSource } from '../domain/config/workspace-config.js'
import {
  compileIdentityProfile,
  LIFECYCLE_ATTRIBUTE,
  type BuiltIdentity,
  type CompiledIdentityProfile,
  type IdentityInputs,
} from '../domain/identity/compile-identity-profile.js'
import { emptyCounts, type Account, type RunCounts } from '../domain/model.js'
import { newId } from '../domain/new-id.js'
import { hashText, stableHash } from '../domain/stable-hash.js'
import type { TransformAccount, TransformDefinition } from '../domain/transforms/transform-types.js'
import {
  accountHashEntry,
  loadAccountKeys,
  loadAccountsOf,
  setAccountIdentities,
  type AccountKey,
} from '../store/accounts.js'
import { analyze, selectTuples, type Db } from '../store/db.js'
import {
  insertIdentities,
  loadIdentityAttributes,
  loadIdentityAttributesById,
  loadIdentityRefs,
  markAuthoritativeAccountRemoved,
  setManagers,
  updateIdentities,
  type IdentityRef,
  type IdentityWrite,
} from '../store/identities.js'
import { recordRun } from '../store/runs.js'
import { ensureSource } from '../store/sources.js'
import { correlateUncorrelated } from './correlate-accounts.js'
import type { EngineContext } from './engine-context.js'
import { phaseTimer } from './phase-timer.js'

export interface ProcessResult {
  readonly identities: RunCounts
  /** Identities whose authoritative account is gone (flagged, kept). */
  readonly authoritativeAccountRemoved: number
  readonly managersChanged: number
  readonly durationMs: number
  /** Milliseconds per phase (load, build, managers, write, …). */
  readonly phases: Readonly<Record<string, number>>
}

/**
 * Identity processing: creates and updates identities from their profile's authoritative accounts
 * through the attribute transforms, computes the lifecycle state, correlates managers, and flags
 * identities whose authoritative account has gone. Incremental by default: an identity whose
 * inputs (its accounts and the profile's mappings) did not change is not re-evaluated.
 */
export async function processIdentities(
  ctx: EngineContext,
  options: { full?: boolean } = {},
): Promise<ProcessResult> {
  const started = ctx.now()
  const t0 = performance.now()
  const total = emptyCounts()
  const timer = phaseTimer()
  let removed = 0
  let managersChanged = 0
  const named = new Map<string, TransformDefinition>()
  for (const t of ctx.config.transforms) named.set(t.value.name ?? t.value.id ?? '', t.value)
  const namedHash = stableHash([...named.entries()])

  // Correlating other sources' accounts to new identities changes those identities' inputs: go round
  // again (bounded) so their attributes reflect the new accounts in the same run.
  for (let round = 0; round < 3; round++) {
    for (const { value: profile } of ctx.config.identityProfiles) {
      const compiled = compileIdentityProfile(profile, (id) => named.get(id), namedHash)
      const r = await processProfile(ctx, profile, compiled, round === 0 && options.full === true, timer.lap)
      for (const k of Object.keys(total) as (keyof RunCounts)[]) {
        if (round === 0 || k !== 'unchanged') total[k] += r.counts[k]
      }
      removed += r.removed
      managersChanged += r.managersChanged
    }
    let linked = 0
    for (const { value: source } of ctx.config.sources) {
      if (source.authoritative) continue
      linked += await correlateUncorrelated(
        ctx.db,
        source,
        await ensureSource(ctx.db, source.name, source.id),
      )
    }
    if (linked === 0) break
  }
  const result = {
    identities: total,
    authoritativeAccountRemoved: removed,
    managersChanged,
    durationMs: performance.now() - t0,
    phases: timer.phases,
  }
  await recordRun(ctx.db, {
    kind: 'process',
    started,
    finished: ctx.now(),
    status: total.errors > 0 ? 'WARNING' : 'SUCCESS',
    stats: result,
    errors: [],
  })
  return result
}

/** One identity to (re)build: its authoritative account and the hash of its inputs. */
interface WorkItem {
  readonly identityId: string
  readonly isNew: boolean
  readonly accountId: string
  readonly nativeIdentity: string
  readonly inputsHash: string
  accounts: Account[]
  built?: BuiltIdentity
  managerId: string | null
}

async function processProfile(
  ctx: EngineContext,
  profile: IdentityProfileConfig,
  compiled: CompiledIdentityProfile,
  full: boolean,
  lap: (phase: string) => void,
): Promise<{ counts: RunCounts; removed: number; managersChanged: number }> {
  const { db } = ctx
  const counts = emptyCounts()
  const authSource = findSource(ctx.config, compiled.authoritativeSource) as SourceConfig
  const authId = await ensureSource(db, authSource.name, authSource.id)
  const inputSources = await inputSourceIds(ctx, compiled, authId)
  const refs = await loadIdentityRefs(db)
  const authRows: AccountKey[] = []
  const hashes = new Map<string, string[]>()
  for (const k of await loadAccountKeys(db, inputSources, authId)) {
    if (k.source_id === authId) authRows.push(k)
    if (k.identity_id === null || (inputSources !== null && !inputSources.has(k.source_id))) continue
    const entry = accountHashEntry(k.source_id, k.native_identity, k.hash)
    const list = hashes.get(k.identity_id)
    if (list) list.push(entry)
    else hashes.set(k.identity_id, [entry])
  }

  // Authoritative accounts normally get their identity id at aggregation; older rows may lack one.
  const unlinked = authRows
    .filter((r) => r.identity_id === null)
    .map((r) => ({ accountId: r.id, identityId: newId() }))
  await setAccountIdentities(db, unlinked)
  const assigned = new Map(unlinked.map((u) => [u.accountId, u.identityId]))

  const work: WorkItem[] = []
  const linked = new Set<string>()
  for (const row of authRows) {
    const identityId = row.identity_id ?? (assigned.get(row.id) as string)
    linked.add(identityId)
    const ref = refs.get(identityId)
    const entries = [...(hashes.get(identityId) ?? [])]
    if (entries.length === 0) entries.push(accountHashEntry(authId, row.native_identity, row.hash))
    const inputsHash = stableHash([compiled.configHash, entries.sort()])
    if (ref === undefined || full || ref.inputsHash !== inputsHash || ref.removed) {
      work.push({
        identityId,
        isNew: ref === undefined,
        accountId: row.id,
        nativeIdentity: row.native_identity,
        inputsHash,
        accounts: [],
        managerId: ref?.managerId ?? null,
      })
    }
  }

  lap('load')
  await attachAccounts(db, work, inputSources, authRows.length)
  lap('load accounts')
  const findIdentity = await referencedIdentities(db, compiled.referencedUids)
  const toTransformAccount = transformAccountMapper(ctx)
  let done = 0
  for (const w of work) {
    w.built = compiled.build({ accounts: w.accounts.map(toTransformAccount), now: ctx.now, findIdentity })
    if (++done % 2000 === 0) ctx.progress?.('process', done, work.length)
  }
  ctx.progress?.('process', work.length, work.length)
  lap('build')

  const managerChanges =
    work.length > 0
      ? await correlateManagers(db, authSource, authId, work, refs)
      : new Map<string, string | null>()
  lap('managers')
  if (compiled.usesManager) await rebuildWithManagers(ctx, compiled, work, managerChanges, findIdentity)
  lap('build')

  const toInsert: IdentityWrite[] = []
  const toUpdate: IdentityWrite[] = []
  for (const w of work) {
    const write = toWrite(ctx, profile, w)
    const ref = refs.get(w.identityId)
    if (w.isNew || !ref) {
      toInsert.push(write)
      counts.created++
    } else {
      const stale = ref.stateHash !== write.stateHash || ref.inputsHash !== write.inputsHash || ref.removed
      if (stale) toUpdate.push(write)
      if (ref.stateHash !== write.stateHash) counts.updated++
      else counts.unchanged++
    }
    if (write.processingError !== null) counts.errors++
  }
  counts.unchanged += authRows.length - work.length
  lap('compare')

  const now = ctx.now()
  let removed = 0
  await db.transaction(async (tx) => {
    await insertIdentities(tx, toInsert)
    await updateIdentities(tx, toUpdate, now)
    const inWork = new Set(work.map((w) => w.identityId))
    await setManagers(
      tx,
      [...managerChanges]
        .filter(([id]) => !inWork.has(id))
        .map(([identityId, managerId]) => ({ identityId, managerId })),
    )
    const gone = [...refs.entries()]
      .filter(([id, r]) => r.profile === profile.name && !linked.has(id) && !r.removed)
      .map(([id]) => id)
    await markAuthoritativeAccountRemoved(tx, gone, now)
    removed = gone.length
  })
  if (toInsert.length > 1000) await analyze(db, 'identities')
  lap('write')
  return { counts, removed, managersChanged: managerChanges.size }
}

/** The ids of the sources whose accounts are inputs of the profile (null: all of them). */
async function inputSourceIds(
  ctx: EngineContext,
  compiled: CompiledIdentityProfile,
  authId: string,
): Promise<ReadonlySet<string> | null> {
  if (compiled.sourcesRead === 'all') return null
  const ids = new Set([authId])
  for (const name of compiled.sourcesRead) {
    const source = findSource(ctx.config, name)
    if (source) ids.add(await ensureSource(ctx.db, source.name, source.id))
  }
  return ids
}

/**
 * Loads the input accounts of every work item. When most identities are re-built, one scan of the
 * input sources is far cheaper than many lookups by identity.
 */
async function attachAccounts(
  db: Db,
  work: readonly WorkItem[],
  inputSources: ReadonlySet<string> | null,
  population: number,
): Promise<void> {
  if (work.length === 0) return
  const byIdentity = new Map(work.map((w) => [w.identityId, w]))
  const accounts =
    work.length > population / 4
      ? await loadAccountsOf(db, { sourceIds: inputSources })
      : await loadAccountsOf(db, { sourceIds: inputSources, identityIds: [...byIdentity.keys()] })
  for (const a of accounts) {
    if (a.identityId !== null) byIdentity.get(a.identityId)?.accounts.push(a)
  }
}

/**
 * How transforms see an account: its source's entitlement attributes give its `entitlements`
 * (read by `accountFilter`).
 */
function transformAccountMapper(ctx: EngineContext): (a: Account) => TransformAccount {
  const entitlementAttributes = new Map(
    ctx.config.sources.map(({ value: s }) => [
      s.name,
      accountSchemaOf(s).attributes.filter((a) => a.isEntitlement),
    ]),
  )
  return (a) => {
    const entitlements: string[] = []
    for (const attr of entitlementAttributes.get(a.sourceName) ?? []) {
      const v = a.attributes[attr.name]
      if (Array.isArray(v)) entitlements.push(...(v as string[]))
      else if (typeof v === 'string') entitlements.push(v)
    }
    return {
      sourceName: a.sourceName,
      sourceId: a.sourceId,
      nativeIdentity: a.nativeIdentity,
      displayName: a.displayName,
      created: a.created,
      entitlements,
      attributes: a.attributes,
    }
  }
}

/** The stored attributes of the identities `getReferenceIdentityAttribute` names by uid (identity name). */
async function referencedIdentities(
  db: Db,
  uids: readonly string[],
): Promise<((uid: string) => Record<string, string | null> | undefined) | undefined> {
  if (uids.length === 0) return undefined
  const rows = await db.query<{ name: string; attributes: Record<string, string | null> }>(
    'SELECT name, attributes FROM identities WHERE name = ANY($1::text[])',
    [uids],
  )
  const byName = new Map(rows.map((r) => [r.name, r.attributes]))
  return (uid) => byName.get(uid)
}

function toWrite(ctx: EngineContext, profile: IdentityProfileConfig, w: WorkItem): IdentityWrite {
  const { attributes, errors } = w.built as BuiltIdentity
  const authAccount = w.accounts.find((a) => a.id === w.accountId)
  const name =
    attributes[ctx.config.settings.identityNameAttribute] ?? authAccount?.displayName ?? w.nativeIdentity
  const lifecycleState = attributes[LIFECYCLE_ATTRIBUTE] ?? null
  const processingError = errors.length > 0 ? errors.join('; ') : null
  const attributesJson = JSON.stringify(attributes)
  return {
    id: w.identityId,
    name,
    identityProfile: profile.name,
    attributes,
    attributesJson,
    lifecycleState,
    managerId: w.managerId,
    processingError,
    inputsHash: w.inputsHash,
    // Attributes come in mapping order, fixed by the profile: plain JSON is a stable form here.
    stateHash: hashText(
      JSON.stringify([name, profile.name, lifecycleState, w.managerId, processingError]) + attributesJson,
    ),
  }
}

/**
 * `managerCorrelationMapping`: the value of the authoritative account's attribute names the manager
 * by one of the manager's identity attributes (as just computed, or as stored). Only a unique match
 * counts. Sets each work item's manager and returns the changes of every identity of the profile.
 */
async function correlateManagers(
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
async function rebuildWithManagers(
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
