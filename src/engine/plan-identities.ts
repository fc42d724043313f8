import type { WorkspaceConfig } from '../domain/config/workspace-config.js'
import { NotFoundError } from '../domain/errors.js'
import type { Identity } from '../domain/model.js'
import { OPEN_STATUSES } from '../domain/execution/account-activity.js'
import { describeAssignment } from '../domain/plan/assignment.js'
import type { DesiredAccess } from '../domain/plan/desired-access.js'
import { buildPlanningModel } from '../domain/plan/build-planning-model.js'
import type { AccountSelection, PlanError, PlanItem, PlanReason } from '../domain/plan/plan-item.js'
import { planIdentity, type IdentityPlanResult } from '../domain/plan/plan-identity.js'
import type { Grant, PlanAccount, PlanningModel } from '../domain/plan/planning-model.js'
import { hashText, stableHash } from '../domain/stable-hash.js'
import { accountKey, loadPlanAccountsByIdentity, takenAccountIds } from '../store/account-planning.js'
import { loadPlanAssignments } from '../store/assignments.js'
import { loadEntitlementsById } from '../store/entitlements.js'
import { findIdentity, listIdentityPage, loadIdentitiesById } from '../store/identities.js'
import { listPlannedActivities, type PlannedActivityRow } from '../store/activities.js'
import { loadAppliedStates, type AppliedState } from '../store/plans.js'
import { listSourceRows } from '../store/sources.js'
import type { EngineContext } from './engine-context.js'

export interface PlanOptions {
  /** Plan one identity (id or name). */
  readonly identity?: string
  /** Plan these identities (by id) instead of all: what an incremental refresh plans. */
  readonly identityIds?: readonly string[]
  /** Identities among `identityIds` the caller has just read: they are not read again. */
  readonly readIdentities?: readonly Identity[]
  /** Keep only the items on this source. */
  readonly source?: string
  /** Plan against this configuration instead of the workspace's (simulation; nothing is enabled). */
  readonly config?: WorkspaceConfig
  /** Keep each role's criteria explanation (for `explain`); a bulk plan drops them to save memory. */
  readonly explain?: boolean
  /** Assignments ended by a decision, with the reason their removals carry (see PlanContext.revokedBy). */
  readonly revokedBy?: ReadonlyMap<string, PlanReason>
  /** Plan as if these assignments did not exist (the preview of revoking them). */
  readonly withoutAssignments?: ReadonlySet<string>
}

/** The plan of one batch of identities: planned, read and written together. */
export interface PlanBatch {
  readonly items: PlanItem[]
  readonly selections: AccountSelection[]
  readonly errors: PlanError[]
  /**
   * What the configuration refers to and the planner could not resolve (the same for every batch), then
   * this batch's assignments whose item is gone.
   */
  readonly warnings: readonly string[]
  /** The identities this batch covers, as asked for (an id with no identity behind it included). */
  readonly covers: readonly string[]
  /** Per planned identity: who it is, what it should have, and what the last applied plan recorded. */
  readonly identities: {
    readonly identity: Identity
    readonly desired: DesiredAccess
    readonly applied: AppliedState | undefined
    /** The id the identity's grants are stored under (see DesiredAccess.grantSetKey). */
    readonly grantSet: string
    /** Its accounts, as the planner compared them. */
    readonly accounts: readonly PlanAccount[]
  }[]
}

export interface PlanRun {
  readonly items: PlanItem[]
  readonly selections: AccountSelection[]
  readonly errors: PlanError[]
  readonly warnings: readonly string[]
  /** Per planned identity: who it is, what it should have (for explain) and its accounts as compared. */
  readonly identities: Map<
    string,
    {
      readonly identity: Identity
      readonly desired: DesiredAccess
      readonly accounts: readonly PlanAccount[]
    }
  >
  readonly durationMs: number
}

/** Identities per batch: enough to amortise the reads, few enough that 100,000 never sit in memory at once. */
const BATCH = 2000

/** Generated account ids are checked against the store; an identity whose id was taken is planned again. */
const MAX_ID_ROUNDS = 60

/**
 * Plans the stored identities against a configuration, without changing anything, batch by batch.
 * Account requests already pending (applied, not yet executed) are not planned again.
 */
export async function* planBatches(ctx: EngineContext, options: PlanOptions = {}): AsyncGenerator<PlanBatch> {
  const { db } = ctx
  const config = options.config ?? ctx.config
  const sourceIds = await planningSourceIds(ctx, config)
  const model = await planningModelOf(ctx, config, sourceIds)
  const warnings = model.unresolved ?? []
  const configHash = planConfigHash(config, sourceIds)
  if (options.source !== undefined && !sourceIds.has(options.source)) {
    throw new NotFoundError(`no source named "${options.source}"`)
  }
  // Account ids reserved by creates planned in this run, and ids found taken in the store.
  const reserved = new Set<string>()
  const known = new Set<string>()
  const planner = new BatchPlanner(ctx, model, configHash, options, reserved, known)

  if (options.identity !== undefined) {
    const one = await findIdentity(db, options.identity)
    if (!one) throw new NotFoundError(`no identity with id or name "${options.identity}"`)
    yield withWarnings(await planner.plan([one], [one.id]), warnings)
    return
  }
  if (options.identityIds !== undefined) {
    const read = new Map((options.readIdentities ?? []).map((i) => [i.id, i]))
    for (let i = 0; i < options.identityIds.length; i += BATCH) {
      const ids = options.identityIds.slice(i, i + BATCH)
      const unique = [...new Set(ids)]
      const missing = unique.filter((id) => !read.has(id))
      const loaded = missing.length > 0 ? await loadIdentitiesById(db, missing) : []
      // In id order, as they are read.
      const identities = [...unique.flatMap((id) => read.get(id) ?? []), ...loaded].sort((a, b) =>
        a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
      )
      yield withWarnings(await planner.plan(identities, ids), warnings)
    }
    return
  }
  for (let after = ''; ;) {
    const page = await listIdentityPage(db, after, BATCH)
    if (page.length === 0) return
    yield withWarnings(
      await planner.plan(
        page,
        page.map((p) => p.id),
      ),
      warnings,
    )
    after = (page[page.length - 1] as Identity).id
  }
}

/** The planner's model of a configuration, its references resolved as planning resolves them. */
export async function planningModelOf(
  ctx: EngineContext,
  config: WorkspaceConfig,
  sourceIds?: ReadonlyMap<string, string>,
): Promise<PlanningModel> {
  // Entitlements referred to by id alone are looked up among the aggregated ones.
  const byId = [...config.accessProfiles, ...config.roles].flatMap(({ value }) =>
    value.entitlements.flatMap((e) => (e.value === undefined && e.name === undefined && e.id ? [e.id] : [])),
  )
  return buildPlanningModel(
    config,
    sourceIds ?? (await planningSourceIds(ctx, config)),
    await loadEntitlementsById(ctx.db, byId),
  )
}

/** A planned batch with the configuration's warnings, then its own. */
function withWarnings(
  { unresolved, ...batch }: Omit<PlanBatch, 'warnings'> & { readonly unresolved: readonly string[] },
  warnings: readonly string[],
): PlanBatch {
  return { ...batch, warnings: unresolved.length > 0 ? [...warnings, ...unresolved] : warnings }
}

/** Adds a batch's warnings to a run's: the configuration's come with every batch and are kept once. */
export function addWarnings(run: string[], seen: Set<string>, batch: readonly string[]): void {
  for (const w of batch) {
    if (seen.has(w)) continue
    seen.add(w)
    run.push(w)
  }
}

/** The whole plan in memory: for previews, explain and simulation. */
export async function planIdentities(ctx: EngineContext, options: PlanOptions = {}): Promise<PlanRun> {
  const t0 = performance.now()
  const items: PlanItem[] = []
  const selections: AccountSelection[] = []
  const errors: PlanError[] = []
  const identities: PlanRun['identities'] = new Map()
  const warnings: string[] = []
  const seen = new Set<string>()
  for await (const batch of planBatches(ctx, options)) {
    addWarnings(warnings, seen, batch.warnings)
    // One by one: a batch can hold more items than a spread call may pass.
    for (const i of batch.items) items.push(i)
    for (const s of batch.selections) selections.push(s)
    for (const e of batch.errors) errors.push(e)
    for (const p of batch.identities) identities.set(p.identity.id, p)
  }
  return { items, selections, errors, warnings, identities, durationMs: performance.now() - t0 }
}

class BatchPlanner {
  private done = 0
  /** Decoded grant sets, shared by every batch of the run. */
  private readonly grantSets = new Map<string, readonly Grant[]>()

  constructor(
    private readonly ctx: EngineContext,
    private readonly model: PlanningModel,
    private readonly configHash: string,
    private readonly options: PlanOptions,
    private readonly reserved: Set<string>,
    private readonly known: Set<string>,
  ) {}

  async plan(
    identities: readonly Identity[],
    covers: readonly string[],
  ): Promise<Omit<PlanBatch, 'warnings'> & { readonly unresolved: readonly string[] }> {
    const { db } = this.ctx
    const ids = identities.map((i) => i.id)
    const byIdentity = await loadPlanAccountsByIdentity(this.ctx.db, ids)
    const applied = await loadAppliedStates(db, ids, this.grantSets)
    const assignments = await loadPlanAssignments(db, ids)
    const without = this.options.withoutAssignments
    if (without !== undefined && without.size > 0) {
      for (const [id, list] of assignments) {
        assignments.set(
          id,
          list.filter((a) => !without.has(a.id)),
        )
      }
    }
    const pendingKeys = new Map<string, Set<string>>()
    for (const r of await listPlannedActivities(db, { statuses: OPEN_STATUSES, identityIds: ids })) {
      const keys = pendingKeys.get(r.identityId) ?? new Set<string>()
      for (const k of requestKeys(r)) keys.add(k)
      pendingKeys.set(r.identityId, keys)
    }

    const planOne = (identity: Identity, reservations: string[]): IdentityPlanResult => {
      const previous = applied.get(identity.id)
      return planIdentity(
        {
          id: identity.id,
          name: identity.name,
          identityProfile: identity.identityProfile,
          attributes: identity.attributes,
          lifecycleState: identity.lifecycleState,
          previousLifecycleState: previous?.lifecycleState ?? null,
          accounts: byIdentity.get(identity.id) ?? [],
          previousGrants: previous?.grants ?? [],
          ...(previous && previous.assignedGrants.length > 0
            ? { previousAssignedGrants: previous.assignedGrants }
            : {}),
          ...(assignments.has(identity.id) ? { assignments: assignments.get(identity.id) } : {}),
        },
        {
          model: this.model,
          isAccountIdFree: (sourceId, id) => {
            const key = accountKey(sourceId, id)
            return !this.reserved.has(key) && !this.known.has(key)
          },
          reserveAccountId: (sourceId, id) => {
            const key = accountKey(sourceId, id)
            this.reserved.add(key)
            reservations.push(key)
          },
          now: this.ctx.now,
          explain: this.options.explain === true,
          ...(this.options.revokedBy ? { revokedBy: this.options.revokedBy } : {}),
        },
      )
    }

    // Plan, then check the account ids generators chose against the store in one query; an identity
    // whose id turned out taken is planned again knowing it (its generator moves on to the next pattern).
    const results = new Map<string, { result: IdentityPlanResult; reservations: string[] }>()
    let unsettled = identities
    for (let round = 0; unsettled.length > 0 && round < MAX_ID_ROUNDS; round++) {
      const creates: { identityId: string; sourceId: string; nativeIdentity: string }[] = []
      for (const identity of unsettled) {
        results.get(identity.id)?.reservations.forEach((k) => this.reserved.delete(k))
        const reservations: string[] = []
        const result = planOne(identity, reservations)
        results.set(identity.id, { result, reservations })
        const seen = new Set<string>()
        for (const item of result.items) {
          if (item.operation !== 'Create' || item.nativeIdentity === null || seen.has(item.sourceId)) continue
          seen.add(item.sourceId)
          creates.push({
            identityId: identity.id,
            sourceId: item.sourceId,
            nativeIdentity: item.nativeIdentity,
          })
        }
      }
      const taken = creates.length > 0 ? await takenAccountIds(db, creates, OPEN_STATUSES) : new Set<string>()
      const again = new Set<string>()
      for (const c of creates) {
        const key = accountKey(c.sourceId, c.nativeIdentity)
        if (!taken.has(key)) continue
        this.known.add(key)
        again.add(c.identityId)
      }
      unsettled = unsettled.filter((i) => again.has(i.id))
    }

    const batch: Omit<PlanBatch, 'warnings'> & { unresolved: string[] } = {
      items: [],
      selections: [],
      errors: [],
      covers,
      identities: [],
      unresolved: [],
    }
    const source = this.options.source
    const inSource = (x: { sourceName?: string }): boolean => source === undefined || x.sourceName === source
    for (const identity of identities) {
      const { result } = results.get(identity.id) as { result: IdentityPlanResult }
      batch.identities.push({
        identity,
        desired: result.desired,
        applied: applied.get(identity.id),
        grantSet: hashText(`${this.configHash}\u0000${result.desired.grantSetKey}`),
        accounts: byIdentity.get(identity.id) ?? [],
      })
      for (const j of result.desired.assignments) {
        if (j.status !== 'UNRESOLVED') continue
        batch.unresolved.push(
          `identity "${identity.name}": ${describeAssignment(j.assignment)} grants nothing: ${j.detail ?? ''}`,
        )
      }
      const pending = pendingKeys.get(identity.id)
      for (const item of result.items) {
        if (inSource(item) && !pending?.has(itemKey(item))) batch.items.push(item)
      }
      for (const s of result.selections) if (inSource(s)) batch.selections.push(s)
      for (const e of result.errors) if (inSource(e)) batch.errors.push(e)
    }
    this.done += identities.length
    this.ctx.progress?.('plan', this.done, this.options.identityIds?.length ?? this.done)
    return batch
  }
}

/** The stored id of each configured source; a source the store has never seen gets a placeholder. */
export async function planningSourceIds(
  ctx: EngineContext,
  config: WorkspaceConfig,
): Promise<Map<string, string>> {
  const stored = new Map((await listSourceRows(ctx.db)).map((s) => [s.name, s.id]))
  // A source the store has never seen has no accounts yet; a placeholder id keeps planning pure.
  return new Map(config.sources.map(({ value: s }) => [s.name, stored.get(s.name) ?? `new:${s.name}`]))
}

/** What planning reads of a configuration: a change to any of it may change what identities are granted. */
export function planConfigHash(config: WorkspaceConfig, sourceIds: ReadonlyMap<string, string>): string {
  const ids = JSON.stringify([...sourceIds])
  const cached = configHashes.get(config)
  if (cached?.ids === ids) return cached.hash
  const values = <T>(list: readonly { value: T }[]): T[] => list.map((x) => x.value)
  const hash = stableHash([
    values(config.sources),
    values(config.identityProfiles),
    values(config.accessProfiles),
    values(config.roles),
    values(config.transforms),
    [...sourceIds],
  ])
  configHashes.set(config, { ids, hash })
  return hash
}

// A loaded configuration is not changed in place: its hash is worked out once per run.
const configHashes = new WeakMap<WorkspaceConfig, { ids: string; hash: string }>()

/** A plan item and a pending request that would do the same thing share a key. */
function itemKey(i: {
  identityId: string
  sourceId: string
  nativeIdentity: string | null
  operation: string
  attributeOperation?: string
  attribute?: string
  value?: unknown
}): string {
  // A pending create covers every item of that create, whatever account id the new plan would pick.
  if (i.operation === 'Create') return `${i.identityId}\u0000${i.sourceId}\u0000Create`
  return [
    i.identityId,
    i.sourceId,
    i.nativeIdentity,
    i.operation,
    i.attributeOperation,
    i.attribute,
    JSON.stringify(i.value),
  ].join('\u0000')
}

function requestKeys(r: PlannedActivityRow): string[] {
  const base = {
    identityId: r.identityId,
    sourceId: r.sourceId,
    nativeIdentity: r.nativeIdentity,
    operation: r.operation,
  }
  if (r.operation === 'Create' || r.items.length === 0) return [itemKey(base)]
  return r.items.map((i) =>
    itemKey({ ...base, attributeOperation: i.operation, attribute: i.attribute, value: i.value }),
  )
}
