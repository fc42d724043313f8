import { Correlator } from '../domain/aggregation/correlator.js'
import type { IdentityProfileConfig, SourceConfig } from '../domain/config/config-schemas.js'
import { findSource } from '../domain/config/workspace-config.js'
import {
  compileIdentityProfile,
  LIFECYCLE_ATTRIBUTE,
  type CompiledIdentityProfile,
} from '../domain/identity/compile-identity-profile.js'
import { emptyCounts, type Account, type RunCounts } from '../domain/model.js'
import { newId } from '../domain/new-id.js'
import { stableHash } from '../domain/stable-hash.js'
import type { TransformAccount, TransformDefinition } from '../domain/transforms/transform-types.js'
import {
  accountHashEntry,
  listAccounts,
  loadAccountHashesByIdentity,
  setAccountIdentities,
} from '../store/accounts.js'
import { batches, type Db } from '../store/db.js'
import {
  insertIdentities,
  loadIdentityAttributes,
  loadIdentityAttributesById,
  loadIdentityRefs,
  markAuthoritativeAccountRemoved,
  setManagers,
  updateIdentities,
  type IdentityWrite,
} from '../store/identities.js'
import { recordRun } from '../store/runs.js'
import { ensureSource } from '../store/sources.js'
import { correlateUncorrelated } from './correlate-accounts.js'
import type { EngineContext } from './engine-context.js'

export interface ProcessResult {
  readonly identities: RunCounts
  /** Identities whose authoritative account is gone (flagged, kept). */
  readonly authoritativeAccountRemoved: number
  readonly managersChanged: number
  readonly durationMs: number
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
      const r = await processProfile(ctx, profile, compiled, round === 0 && options.full === true)
      for (const k of Object.keys(total) as (keyof RunCounts)[]) total[k] += r.counts[k]
      if (round > 0) total.unchanged -= r.counts.unchanged
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

interface WorkItem {
  readonly identityId: string
  readonly isNew: boolean
  readonly accountId: string
  readonly nativeIdentity: string
  readonly inputsHash: string
}

async function processProfile(
  ctx: EngineContext,
  profile: IdentityProfileConfig,
  compiled: CompiledIdentityProfile,
  full: boolean,
): Promise<{ counts: RunCounts; removed: number; managersChanged: number }> {
  const { db } = ctx
  const counts = emptyCounts()
  const authSource = findSource(ctx.config, compiled.authoritativeSource) as SourceConfig
  const authId = await ensureSource(db, authSource.name, authSource.id)
  const refs = await loadIdentityRefs(db)
  const hashes = await loadAccountHashesByIdentity(db, await inputSourceIds(ctx, compiled, authId))
  const authRows = await db.query<{
    id: string
    native_identity: string
    identity_id: string | null
    hash: string
  }>('SELECT id, native_identity, identity_id, hash FROM accounts WHERE source_id = $1', [authId])

  const unlinked = authRows.filter((r) => r.identity_id === null)
  const correlator = await authCorrelator(db, authSource, unlinked.length)
  const unlinkedAttrs =
    correlator && unlinked.length > 0
      ? new Map((await listAccounts(db, { ids: unlinked.map((r) => r.id) })).map((a) => [a.id, a.attributes]))
      : new Map()

  const work: WorkItem[] = []
  const linked = new Set<string>()
  for (const row of authRows) {
    let identityId = row.identity_id
    let isNew = false
    if (identityId === null) {
      // A returning person (rehire) may match an identity that lost its authoritative account.
      const match = correlator?.correlate(unlinkedAttrs.get(row.id) ?? {}) ?? null
      if (match !== null && !linked.has(match) && refs.get(match)?.removed) identityId = match
      else {
        identityId = newId()
        isNew = true
      }
    }
    linked.add(identityId)
    const entries = isNew ? [] : [...(hashes.get(identityId) ?? [])]
    if (row.identity_id === null) entries.push(accountHashEntry(authId, row.native_identity, row.hash))
    const inputsHash = stableHash([compiled.configHash, entries.sort()])
    const ref = refs.get(identityId)
    if (isNew || full || ref === undefined || ref.inputsHash !== inputsHash || ref.removed) {
      work.push({
        identityId,
        isNew: isNew || ref === undefined,
        accountId: row.id,
        nativeIdentity: row.native_identity,
        inputsHash,
      })
    } else counts.unchanged++
  }

  // Link authoritative accounts to their (new or re-found) identities first, so the foreign keys hold.
  const toInsert: IdentityWrite[] = []
  const toUpdate: IdentityWrite[] = []
  let done = 0
  for (const batch of batches(work, 2000)) {
    const accounts = await accountsFor(db, batch)
    const previous = await loadIdentityAttributesById(
      db,
      batch.filter((w) => !w.isNew).map((w) => w.identityId),
    )
    for (const w of batch) {
      const own = accounts.get(w.identityId) ?? []
      const built = compiled.build({ accounts: own.map(toTransformAccount), now: ctx.now })
      const write = toWrite(ctx, profile, w, built.attributes, built.errors, own)
      if (w.isNew) {
        toInsert.push(write)
        counts.created++
      } else {
        toUpdate.push(write)
        if (stableHash(previous.get(w.identityId) ?? {}) === stableHash(write.attributes)) counts.unchanged++
        else counts.updated++
      }
      if (write.processingError !== null) counts.errors++
    }
    done += batch.length
    ctx.progress?.('process', done, work.length)
  }

  const now = ctx.now()
  let removed = 0
  await db.transaction(async (tx) => {
    await insertIdentities(tx, toInsert, now)
    await updateIdentities(tx, toUpdate, now)
    await setAccountIdentities(
      tx,
      work.map((w) => ({ accountId: w.accountId, identityId: w.identityId })),
    )
    const gone = [...refs.entries()]
      .filter(([id, r]) => r.profile === profile.name && !linked.has(id) && !r.removed)
      .map(([id]) => id)
    await markAuthoritativeAccountRemoved(tx, gone, now)
    removed = gone.length
  })
  const managersChanged = await correlateManagers(db, authSource, authId)
  if (compiled.usesManager && (work.length > 0 || managersChanged > 0)) {
    await reevaluateWithManagers(ctx, profile, compiled, work)
  }
  return { counts, removed, managersChanged }
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

/** The authoritative source's own correlation config, used to re-link a returning person. */
async function authCorrelator(db: Db, source: SourceConfig, unlinked: number): Promise<Correlator | null> {
  const rules = source.accountCorrelationConfig?.attributeAssignments ?? []
  if (rules.length === 0 || unlinked === 0) return null
  return new Correlator(rules, await loadIdentityAttributes(db, [...new Set(rules.map((r) => r.property))]))
}

/** Every account of each identity in the batch (a new identity has only its authoritative account). */
async function accountsFor(db: Db, batch: readonly WorkItem[]): Promise<Map<string, Account[]>> {
  const out = new Map<string, Account[]>()
  const push = (id: string, a: Account): void => {
    const list = out.get(id)
    if (list) list.push(a)
    else out.set(id, [a])
  }
  const existing = batch.filter((w) => !w.isNew).map((w) => w.identityId)
  if (existing.length > 0) {
    for (const a of await listAccounts(db, { identityIds: existing })) push(a.identityId as string, a)
  }
  const fresh = batch.filter((w) => w.isNew || !out.has(w.identityId))
  if (fresh.length > 0) {
    const byAccount = new Map(fresh.map((w) => [w.accountId, w.identityId]))
    for (const a of await listAccounts(db, { ids: fresh.map((w) => w.accountId) })) {
      const id = byAccount.get(a.id)
      if (id !== undefined && !(out.get(id) ?? []).some((x) => x.id === a.id)) push(id, a)
    }
  }
  return out
}

function toTransformAccount(a: Account): TransformAccount {
  return {
    sourceName: a.sourceName,
    sourceId: a.sourceId,
    nativeIdentity: a.nativeIdentity,
    displayName: a.displayName,
    created: a.created,
    attributes: a.attributes,
  }
}

function toWrite(
  ctx: EngineContext,
  profile: IdentityProfileConfig,
  w: WorkItem,
  attributes: Record<string, string | null>,
  errors: readonly string[],
  accounts: readonly Account[],
): IdentityWrite {
  const authAccount = accounts.find((a) => a.id === w.accountId)
  const name =
    attributes[ctx.config.settings.identityNameAttribute] ?? authAccount?.displayName ?? w.nativeIdentity
  return {
    id: w.identityId,
    name,
    identityProfile: profile.name,
    attributes,
    lifecycleState: attributes[LIFECYCLE_ATTRIBUTE] ?? null,
    processingError: errors.length > 0 ? errors.join('; ') : null,
    inputsHash: w.inputsHash,
  }
}

/**
 * `managerCorrelationMapping`: the value of the authoritative account's attribute names the manager
 * by one of the manager's identity attributes. Only a unique match counts. Returns how many changed.
 */
async function correlateManagers(db: Db, source: SourceConfig, sourceId: string): Promise<number> {
  const mapping = source.managerCorrelationMapping
  if (!mapping) return 0
  const keys = await db.query<{ identity_id: string; key: string | null }>(
    'SELECT identity_id, attributes->>$1 AS key FROM accounts WHERE source_id = $2 AND identity_id IS NOT NULL',
    [mapping.accountAttributeName, sourceId],
  )
  const index = new Map<string, string | null>()
  for (const i of await loadIdentityAttributes(db, [mapping.identityAttributeName])) {
    const v = i.attributes[mapping.identityAttributeName]
    if (v === null || v === undefined || v === '') continue
    index.set(v, index.has(v) ? null : i.id)
  }
  const refs = await loadIdentityRefs(db)
  const changes: { identityId: string; managerId: string | null }[] = []
  for (const k of keys) {
    let managerId = k.key ? (index.get(k.key) ?? null) : null
    if (managerId === k.identity_id) managerId = null
    if ((refs.get(k.identity_id)?.managerId ?? null) !== managerId) {
      changes.push({ identityId: k.identity_id, managerId })
    }
  }
  await setManagers(db, changes)
  return changes.length
}

/** Mappings that read the manager (getReferenceIdentityAttribute) run again once managers are known. */
async function reevaluateWithManagers(
  ctx: EngineContext,
  profile: IdentityProfileConfig,
  compiled: CompiledIdentityProfile,
  work: readonly WorkItem[],
): Promise<void> {
  const { db } = ctx
  for (const batch of batches(work, 2000)) {
    const ids = batch.map((w) => w.identityId)
    const managers = await db.query<{ id: string; manager_id: string | null }>(
      'SELECT id, manager_id FROM identities WHERE id = ANY($1::text[])',
      [ids],
    )
    const managerOf = new Map(managers.map((m) => [m.id, m.manager_id]))
    const managerAttrs = await loadIdentityAttributesById(
      db,
      managers.flatMap((m) => (m.manager_id ? [m.manager_id] : [])),
    )
    const accounts = await accountsFor(
      db,
      batch.map((w) => ({ ...w, isNew: false })),
    )
    const writes = batch.map((w) => {
      const own = accounts.get(w.identityId) ?? []
      const managerId = managerOf.get(w.identityId)
      const built = compiled.build({
        accounts: own.map(toTransformAccount),
        manager: managerId ? (managerAttrs.get(managerId) ?? null) : null,
        now: ctx.now,
      })
      return toWrite(ctx, profile, w, built.attributes, built.errors, own)
    })
    await updateIdentities(db, writes, ctx.now())
  }
}
