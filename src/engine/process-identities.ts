import type { IdentityProfileConfig, SourceConfig } from '../domain/config/config-schemas.js'
import { findSource } from '../domain/config/workspace-config.js'
import {
  compileIdentityProfile,
  LIFECYCLE_ATTRIBUTE,
  type BuiltIdentity,
  type CompiledIdentityProfile,
} from '../domain/identity/compile-identity-profile.js'
import { emptyCounts, type RunCounts } from '../domain/model.js'
import { newId } from '../domain/new-id.js'
import { hashText, stableHash } from '../domain/stable-hash.js'
import type { TransformDefinition } from '../domain/transforms/transform-types.js'
import { setAccountIdentities } from '../store/account-aggregation.js'
import { accountHashEntry, loadAccountKeys, type AccountKey } from '../store/account-processing.js'
import { analyze } from '../store/db.js'
import {
  insertIdentities,
  loadIdentityRefs,
  markAuthoritativeAccountRemoved,
  setManagerKeys,
  setManagers,
  updateIdentities,
  type IdentityWrite,
} from '../store/identity-processing.js'
import {
  dequeueIdentities,
  enqueueIdentities,
  queuedIdentities,
  readEngineState,
  writeEngineState,
} from '../store/queues.js'
import { recordRun } from '../store/runs.js'
import { ensureSource } from '../store/sources.js'
import { applyIfAutomatic, type AppliedChanges } from './apply-plan.js'
import { correlateUncorrelated } from './correlate-accounts.js'
import type { EngineContext } from './engine-context.js'
import {
  attachAccounts,
  inputSourceIds,
  referencedIdentities,
  transformAccountMapper,
  type WorkItem,
} from './identity-inputs.js'
import { correlateManagers, rebuildWithManagers } from './identity-managers.js'
import { phaseTimer } from './phase-timer.js'

export interface ProcessResult {
  readonly identities: RunCounts
  /** Identities whose authoritative account is gone (flagged, kept). */
  readonly authoritativeAccountRemoved: number
  readonly managersChanged: number
  /** Only the queued identities were looked at (no profile changed, no full refresh asked for). */
  readonly incremental: boolean
  /**
   * What was applied afterwards (`settings.provisioning: automatic`); null when provisioning is left to
   * `apply`, or when the caller applies as its own step (`apply: false`, as refreshSource does).
   */
  readonly plan: AppliedChanges | null
  readonly durationMs: number
  /** Milliseconds per phase (load, build, managers, write, …). */
  readonly phases: Readonly<Record<string, number>>
  /** The id of the run's record. */
  readonly runId: string
}

/**
 * Identity processing: creates and updates identities from their profile's authoritative accounts
 * through the attribute transforms, computes the lifecycle state, correlates managers, and flags
 * identities whose authoritative account has gone. Incremental by default: an identity whose
 * inputs (its accounts and the profile's mappings) did not change is not re-evaluated. Then, unless
 * `apply` is false, the plan of what changed is applied when provisioning is automatic (applyIfAutomatic).
 */
export async function processIdentities(
  ctx: EngineContext,
  options: { full?: boolean; apply?: boolean } = {},
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
  const changed: string[] = []
  let scanned = false
  for (let round = 0; round < 3; round++) {
    // The identities queued since the last run (aggregation and correlation queue the owners of changed accounts).
    const queue = await queuedIdentities(ctx.db, 'process')
    const changedNow: string[] = []
    let scannedNow = false
    for (const { value: profile } of ctx.config.identityProfiles) {
      const compiled = compileIdentityProfile(profile, (id) => named.get(id), namedHash)
      const full = round === 0 && options.full === true
      // Only the queued identities, unless asked for everyone or the profile changed since the last run.
      const baseline = `process:${profile.name}`
      const scope = !full && (await readEngineState(ctx.db, baseline)) === compiled.configHash ? queue : null
      scannedNow ||= scope === null
      const r = await processProfile(ctx, profile, compiled, full, timer.lap, scope)
      for (const k of Object.keys(total) as (keyof RunCounts)[]) {
        if (round === 0 || k !== 'unchanged') total[k] += r.counts[k]
      }
      removed += r.removed
      managersChanged += r.managersChanged
      for (const id of r.changed) changedNow.push(id)
      await writeEngineState(ctx.db, baseline, compiled.configHash)
    }
    await dequeueIdentities(ctx.db, 'process', queue)
    for (const id of changedNow) changed.push(id)
    scanned ||= scannedNow
    let linked = 0
    for (const { value: source } of ctx.config.sources) {
      if (source.authoritative) continue
      // After a pass over everyone, any identity may match; after a queued pass, only the changed ones.
      linked += await correlateUncorrelated(
        ctx.db,
        source,
        await ensureSource(ctx.db, source.name, source.id),
        scannedNow ? undefined : changedNow,
        ctx.now(),
      )
    }
    if (linked === 0) break
  }
  // What changed is planned again: now (automatic provisioning) or at the next apply.
  await enqueueIdentities(ctx.db, changed, ['plan'])
  timer.lap('write')
  const plan = options.apply === false ? null : await applyIfAutomatic(ctx, { full: options.full === true })
  timer.lap('plan')
  const result = {
    identities: total,
    authoritativeAccountRemoved: removed,
    managersChanged,
    incremental: !scanned,
    plan,
    durationMs: performance.now() - t0,
    phases: timer.phases,
  }
  const runId = await recordRun(ctx.db, {
    kind: 'process',
    started,
    finished: ctx.now(),
    status: total.errors > 0 ? 'WARNING' : 'SUCCESS',
    stats: result,
    errors: [],
  })
  return { ...result, runId }
}

async function processProfile(
  ctx: EngineContext,
  profile: IdentityProfileConfig,
  compiled: CompiledIdentityProfile,
  full: boolean,
  lap: (phase: string) => void,
  /** Only these identities (queued); null: every identity of the profile. */
  scope: readonly string[] | null,
): Promise<{ counts: RunCounts; removed: number; managersChanged: number; changed: string[] }> {
  const { db } = ctx
  const counts = emptyCounts()
  const authSource = findSource(ctx.config, compiled.authoritativeSource) as SourceConfig
  const authId = await ensureSource(db, authSource.name, authSource.id)
  const inputSources = await inputSourceIds(ctx, compiled, authId)
  if (scope !== null && scope.length === 0) return { counts, removed: 0, managersChanged: 0, changed: [] }
  const refs = await loadIdentityRefs(db, scope ?? undefined)
  const authRows: AccountKey[] = []
  const hashes = new Map<string, string[]>()
  for (const k of await loadAccountKeys(db, inputSources, authId, scope ?? undefined)) {
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
  // A queued few are read by identity; most of a population, by one scan of the sources.
  await attachAccounts(db, work, inputSources, scope ? Infinity : authRows.length)
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

  const { changes: managerChanges, keys: managerKeys } =
    work.length > 0
      ? await correlateManagers(db, authSource, authId, work, refs, scope !== null)
      : { changes: new Map<string, string | null>(), keys: [] }
  lap('managers')
  if (compiled.usesManager) await rebuildWithManagers(ctx, compiled, work, managerChanges, findIdentity)
  lap('build')

  const toInsert: IdentityWrite[] = []
  const toUpdate: IdentityWrite[] = []
  const changed: string[] = []
  for (const w of work) {
    const write = toWrite(ctx, profile, w, authSource.managerCorrelationMapping)
    const ref = refs.get(w.identityId)
    if (w.isNew || !ref) {
      toInsert.push(write)
      changed.push(write.id)
      counts.created++
    } else {
      const stale = ref.stateHash !== write.stateHash || ref.inputsHash !== write.inputsHash || ref.removed
      if (stale) toUpdate.push(write)
      if (ref.stateHash !== write.stateHash) {
        counts.updated++
        changed.push(write.id)
      } else counts.unchanged++
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
    await setManagerKeys(tx, managerKeys)
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
    for (const id of [...gone, ...managerChanges.keys()]) changed.push(id)
  })
  if (toInsert.length > 1000) await analyze(db, 'identities')
  lap('write')
  return { counts, removed, managersChanged: managerChanges.size, changed }
}

function toWrite(
  ctx: EngineContext,
  profile: IdentityProfileConfig,
  w: WorkItem,
  mapping: SourceConfig['managerCorrelationMapping'],
): IdentityWrite {
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
    ...managerKeysOf(mapping, authAccount?.attributes, attributes),
    processingError,
    inputsHash: w.inputsHash,
    // Attributes come in mapping order, fixed by the profile: plain JSON is a stable form here.
    stateHash: hashText(
      JSON.stringify([name, profile.name, lifecycleState, w.managerId, processingError]) + attributesJson,
    ),
  }
}

function managerKeysOf(
  mapping: SourceConfig['managerCorrelationMapping'],
  account: Readonly<Record<string, unknown>> | undefined,
  attributes: Readonly<Record<string, unknown>>,
): { managerKey: string | null; matchKey: string | null } {
  const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null)
  if (!mapping) return { managerKey: null, matchKey: null }
  return {
    managerKey: text(account?.[mapping.accountAttributeName]),
    matchKey: text(attributes[mapping.identityAttributeName]),
  }
}
