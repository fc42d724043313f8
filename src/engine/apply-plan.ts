import { ConfigError } from '../domain/errors.js'
import { checkOwners } from './check-owners.js'
import type { AccountSelection, PlanError, PlanItem } from '../domain/plan/plan-item.js'
import { addSummaries, summarizePlan, type PlanSummary } from '../domain/plan/plan-summary.js'
import { identitiesWithDatesBetween } from '../store/assignments.js'
import { analyzeIfGrown } from '../store/db.js'
import { processTypeOf } from '../domain/execution/account-activity.js'
import { insertActivities, type NewActivity, type PlannedActivityRow } from '../store/activities.js'
import { encodeGrants, saveAppliedStates, storedGrantSets } from '../store/plans.js'
import {
  dequeueIdentities,
  hasQueuedIdentities,
  queuedIdentities,
  readEngineState,
  writeEngineState,
} from '../store/queues.js'
import type { EngineContext } from './engine-context.js'
import {
  addWarnings,
  planBatches,
  planConfigHash,
  planningSourceIds,
  type PlanBatch,
  type PlanOptions,
} from './plan-identities.js'

export interface ApplyResult {
  readonly summary: PlanSummary
  readonly selections: AccountSelection[]
  readonly errors: PlanError[]
  /** What the configuration refers to and the planner could not resolve. */
  readonly warnings: readonly string[]
  readonly accountRequests: number
  /** The ids of the account requests written (their activities). */
  readonly activityIds: readonly string[]
  /** The same ids by the identity each is for. */
  readonly activitiesByIdentity: ReadonlyMap<string, readonly string[]>
  /** The ids of the activities `inspect` added, in the order it returned them (not in the two above). */
  readonly addedActivityIds: readonly string[]
  /** Names of the identities with account selections or errors, for printing them. */
  readonly identityNames: ReadonlyMap<string, string>
  /** Planning and writing. */
  readonly durationMs: number
}

type NewRequest = Omit<PlannedActivityRow, 'id' | 'status'> & { items: PlannedActivityRow['items'][number][] }

/**
 * Turns the plan into pending account requests (one per account and operation; executing them is
 * the execution milestone) and records, per identity, the access granted and the lifecycle state seen,
 * which the next plan compares against. Batch by batch, each in one transaction: a batch's requests
 * and its identities' grants are written together or not at all, and an interrupted apply leaves the
 * identities it did not reach to be planned again.
 *
 * With `source`, only that source's requests are written and nothing else is recorded: what an identity
 * was granted and its lifecycle state are recorded per identity, not per source, so recording them
 * would lose the other sources' removals and account actions. The identities stay queued, and the
 * next apply plans them in full; what this one requested is pending or done by then, and is not
 * requested twice.
 */
export async function applyPlan(
  ctx: EngineContext,
  options: Omit<PlanOptions, 'config' | 'explain'> = {},
  /**
   * Sees each batch as planned, before it is written (what a certification's remediation checks), and may
   * return activities of its own to write in the batch's transaction.
   */
  inspect?: (batch: PlanBatch) => readonly NewActivity[] | void,
): Promise<ApplyResult> {
  const partial = options.source !== undefined
  const t0 = performance.now()
  // A manual task must have a person to go to: an owner who is not an identity stops the apply before it
  // writes anything.
  const owners = await checkOwners(ctx, 'manual-sources')
  if (owners.problems.length > 0) throw new ConfigError(owners.problems)
  let summary = summarizePlan([], [], [], 0)
  const selections: AccountSelection[] = []
  const errors: PlanError[] = []
  let accountRequests = 0
  const warnings: string[] = []
  const seenWarnings = new Set<string>()
  const activityIds: string[] = []
  const activitiesByIdentity = new Map<string, string[]>()
  const addedActivityIds: string[] = []
  const identityNames = new Map<string, string>()
  // Only identities asked for by the queue are taken off it; a plan of everyone with nothing queued skips it.
  const queued =
    !partial && (options.identityIds !== undefined || (await hasQueuedIdentities(ctx.db, 'plan')))
  // Grant sets known to be stored: each distinct one is written once.
  const knownSets = new Set<string>()
  for await (const batch of planBatches(ctx, options)) {
    const added = inspect?.(batch) ?? []
    addWarnings(warnings, seenWarnings, batch.warnings)
    summary = addSummaries(
      summary,
      summarizePlan(batch.items, batch.selections, batch.errors, batch.identities.length),
    )
    for (const s of batch.selections) selections.push(s)
    for (const e of batch.errors) errors.push(e)
    const flagged = new Set([...batch.selections, ...batch.errors].map((x) => x.identityId))
    for (const { identity } of batch.identities) {
      if (flagged.has(identity.id)) identityNames.set(identity.id, identity.name)
    }
    const requests = withoutDeleted(toRequests(batch.items), added)
    accountRequests += requests.length
    const states: Parameters<typeof saveAppliedStates>[1][number][] = []
    for (const { identity, desired, applied, grantSet } of partial ? [] : batch.identities) {
      if (applied?.grantSet === grantSet) knownSets.add(grantSet)
      const assignedGrants = desired.assignedGrants.length > 0 ? encodeGrants(desired.assignedGrants) : '[]'
      // Unchanged since the last apply: nothing to write.
      if (
        applied?.grantSet === grantSet &&
        applied.lifecycleState === identity.lifecycleState &&
        applied.assignedStored === assignedGrants
      ) {
        continue
      }
      states.push({
        identityId: identity.id,
        lifecycleState: identity.lifecycleState,
        grantSet,
        assignedGrants,
      })
    }
    const unknown = [...new Set(states.map((s) => s.grantSet))].filter((id) => !knownSets.has(id))
    for (const id of await storedGrantSets(ctx.db, unknown)) knownSets.add(id)
    const newSets: { id: string; grants: string }[] = []
    for (const { desired, grantSet } of partial ? [] : batch.identities) {
      if (knownSets.has(grantSet)) continue
      knownSets.add(grantSet)
      newSets.push({ id: grantSet, grants: encodeGrants(desired.computedGrants) })
    }
    if (requests.length === 0 && states.length === 0 && added.length === 0 && !queued) continue
    await ctx.db.transaction(async (tx) => {
      const ids = await insertActivities(tx, [...requests, ...added])
      for (const id of ids.slice(requests.length)) addedActivityIds.push(id)
      for (const [i, id] of ids.slice(0, requests.length).entries()) {
        activityIds.push(id)
        const identityId = (requests[i] as (typeof requests)[number]).identityId
        const mine = activitiesByIdentity.get(identityId)
        if (mine) mine.push(id)
        else activitiesByIdentity.set(identityId, [id])
      }
      await saveAppliedStates(tx, states, newSets)
      // Planned and recorded: no longer waiting for an incremental refresh.
      if (queued) await dequeueIdentities(tx, 'plan', batch.covers)
    })
  }
  // Everyone planned against this configuration: from now on, a refresh plans only what changes.
  if (!partial && options.identity === undefined && options.identityIds === undefined) {
    await writeEngineState(
      ctx.db,
      PLAN_BASELINE,
      planConfigHash(ctx.config, await planningSourceIds(ctx, ctx.config)),
    )
  }
  // Without statistics, looking up a few identities' requests among 100,000 becomes a full scan.
  await analyzeIfGrown(ctx.db, 'activities', accountRequests + addedActivityIds.length)
  return {
    summary,
    selections,
    errors,
    warnings,
    accountRequests,
    activityIds,
    activitiesByIdentity,
    addedActivityIds,
    identityNames,
    durationMs: performance.now() - t0,
  }
}

const PLAN_BASELINE = 'plan'

/**
 * Applies the plan of what changed since the last apply: the identities queued by aggregation and
 * processing. Everyone is planned instead on a full refresh, on the first run, and when the
 * configuration the planner reads (roles, access profiles, lifecycle states, policies…) changed.
 */
export async function applyChanges(
  ctx: EngineContext,
  options: { full?: boolean } = {},
): Promise<ApplyResult & { readonly full: boolean }> {
  const hash = planConfigHash(ctx.config, await planningSourceIds(ctx, ctx.config))
  const full = options.full === true || (await readEngineState(ctx.db, PLAN_BASELINE)) !== hash
  // Assignments whose start or remove date came since the last refresh change access by the clock alone.
  const now = ctx.now().toISOString()
  const since = await readEngineState(ctx.db, ASSIGNMENT_CLOCK)
  let result: ApplyResult
  if (full) result = await applyPlan(ctx)
  else {
    const ids = new Set(await queuedIdentities(ctx.db, 'plan'))
    if (since !== undefined) {
      for (const id of await identitiesWithDatesBetween(ctx.db, since, now)) ids.add(id)
    }
    result = await applyPlan(ctx, { identityIds: [...ids].sort() })
  }
  await writeEngineState(ctx.db, ASSIGNMENT_CLOCK, now)
  return { ...result, full }
}

/**
 * Applies the plans of the identities whose assignments started or ended since the clock was last read
 * (an approved request's start date, its sunset), whatever the workspace's provisioning mode: the dates
 * were decided when the access was approved. What `serve` and `worker` run every minute, so a date is
 * acted on within a minute of coming, also after a restart (the clock is in the store).
 */
export async function applyDueAssignments(ctx: EngineContext): Promise<ApplyResult | null> {
  const now = ctx.now().toISOString()
  const since = (await readEngineState(ctx.db, ASSIGNMENT_CLOCK)) ?? new Date(0).toISOString()
  const ids = await identitiesWithDatesBetween(ctx.db, since, now)
  const result = ids.length > 0 ? await applyPlan(ctx, { identityIds: ids.sort() }) : null
  await writeEngineState(ctx.db, ASSIGNMENT_CLOCK, now)
  return result
}

/** What a refresh applied (`settings.provisioning: automatic`), as its summaries report it. */
export interface AppliedChanges {
  readonly identities: number
  readonly accountRequests: number
  /** Everyone was planned (a full refresh, or the roles, access profiles or policies changed). */
  readonly full: boolean
  readonly summary: PlanSummary
}

/**
 * The last step of a refresh: applies what changed when the workspace's provisioning is `automatic`;
 * null when it is `review` (the plan waits for `provisio apply`).
 */
export async function applyIfAutomatic(
  ctx: EngineContext,
  options: { full?: boolean } = {},
): Promise<AppliedChanges | null> {
  if (ctx.config.settings.provisioning !== 'automatic') return null
  const plan = await applyChanges(ctx, { full: options.full === true })
  return {
    identities: plan.summary.identities,
    accountRequests: plan.accountRequests,
    full: plan.full,
    summary: plan.summary,
  }
}

/** When the last refresh judged assignments' dates. */
const ASSIGNMENT_CLOCK = 'assignment-dates'

/**
 * The plan's requests less those on an account that an added activity deletes (a revoked account): what
 * the plan would change on it (attribute sync, a group) goes with the account, not to a deleted account
 * after it.
 */
function withoutDeleted(requests: NewActivity[], added: readonly NewActivity[]): NewActivity[] {
  const key = (a: NewActivity): string => `${a.identityId}\u0000${a.sourceId}\u0000${a.nativeIdentity ?? ''}`
  const deleted = new Set(added.filter((a) => a.operation === 'Delete').map(key))
  return deleted.size === 0
    ? requests
    : requests.filter((r) => r.nativeIdentity === null || !deleted.has(key(r)))
}

/**
 * One account request per account and operation, carrying its items and the distinct reasons, and
 * typed by the process that caused it (the reference's activity `type`).
 */
function toRequests(items: readonly PlanItem[]): NewActivity[] {
  const requests = new Map<string, NewRequest>()
  for (const i of items) {
    const key = `${i.identityId}\u0000${i.sourceId}\u0000${i.nativeIdentity}\u0000${i.operation}`
    let r = requests.get(key)
    if (!r) {
      r = {
        identityId: i.identityId,
        sourceId: i.sourceId,
        nativeIdentity: i.nativeIdentity,
        operation: i.operation,
        items: [],
        reasons: [],
      }
      requests.set(key, r)
    }
    if (i.attribute !== undefined && i.attributeOperation !== undefined) {
      r.items.push({
        operation: i.attributeOperation,
        attribute: i.attribute,
        value: i.value ?? null,
        ...(i.secret ? { secret: true } : {}),
      })
    }
    for (const reason of i.reasons) {
      if (!r.reasons.some((x) => x.kind === reason.kind && x.name === reason.name)) {
        ;(r.reasons as (typeof i.reasons)[number][]).push(reason)
      }
    }
  }
  return [...requests.values()].map((r) => ({ ...r, type: processTypeOf(r.reasons) }))
}
