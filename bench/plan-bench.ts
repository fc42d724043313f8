import { buildPlanningModel, configId } from '../src/domain/plan/build-planning-model.js'
import { newId } from '../src/domain/new-id.js'
import { seededRandom } from '../src/domain/seeded-random.js'
import type { Identity } from '../src/domain/model.js'
import type { PlanAccount, PlanningModel } from '../src/domain/plan/planning-model.js'
import { planIdentity } from '../src/domain/plan/plan-identity.js'
import { applyPlan } from '../src/engine/apply-plan.js'
import type { EngineContext } from '../src/engine/engine-context.js'
import { loadAccountsOf } from '../src/store/account-processing.js'
import { loadPlanAssignments } from '../src/store/assignments.js'
import { listIdentityPage } from '../src/store/identities.js'
import { loadAppliedStates } from '../src/store/plans.js'
import { listSourceRows } from '../src/store/sources.js'
import { insertAndReadBaseline, storedRows } from './bare-store.js'
import type { BenchResult } from './bench-types.js'
import { planWorkspace, simulateExecution } from './plan-workspace.js'

/**
 * `plan`: 100,000 identities, 200 roles with criteria of 1–6 leaves, 500 access profiles over 4
 * provisioning sources (5 with HR), ~3 accounts per identity, on the embedded store. Measures the
 * pure planner alone, plan (read + plan), and apply (read + plan + write of pending account requests).
 * Its baseline: the same identities' rows (id and attributes) inserted and read back by plain SQL in a
 * fresh embedded store, in the same run.
 */
export async function planBench(size: number): Promise<BenchResult> {
  return runPlanBench(size, 'plan')
}

/**
 * `plan-assignments`: the `plan` benchmark with 10% of identities holding 1–3 requested assignments each
 * (access profiles, roles, directory entitlements; a third with a remove date). The target: steady state
 * end to end within 10% of `plan` at the same size.
 */
export async function planAssignmentsBench(size: number): Promise<BenchResult> {
  return runPlanBench(size, 'plan-assignments')
}

async function runPlanBench(size: number, name: 'plan' | 'plan-assignments'): Promise<BenchResult> {
  const { store, ctx, dir } = await planWorkspace(size)
  const config = ctx.config
  try {
    const assigned = name === 'plan-assignments' ? await addAssignments(ctx) : undefined
    const sourceIds = new Map((await listSourceRows(store.db)).map((s) => [s.name, s.id]))
    const model = buildPlanningModel(config, sourceIds)
    const pureFirst = await purePlanner(ctx, model)

    // First apply: every identity gets its access for the first time (~18 changes each).
    const first = await applyPlan(ctx)
    // Execution (the next milestone) is simulated: the groups added land in the source files, the
    // requests are marked done, and the sources are aggregated again — the steady state.
    await simulateExecution(ctx, dir)
    const pureSteady = await purePlanner(ctx, model)
    const steady = await applyPlan(ctx)
    const accountsTotal = Number(
      (await store.db.query<{ n: string }>('SELECT count(*) AS n FROM accounts'))[0]?.n ?? 0,
    )
    const value = size / (steady.durationMs / 1000)
    const { details: bare, ...baseline } = await insertAndReadBaseline(
      value,
      await storedRows(store.db, 'identities'),
    )
    return {
      name,
      metric: 'identities per second, steady state (read, plan, write)',
      value,
      unit: 'identities/s',
      size,
      ...baseline,
      details: {
        ...bare,
        roles: config.roles.length,
        'access profiles': config.accessProfiles.length,
        sources: config.sources.length,
        'accounts per identity': (accountsTotal / size).toFixed(2),
        'pure planner, first plan (identities/s)': Math.round(size / (pureFirst.ms / 1000)),
        'pure planner, first plan items': pureFirst.items,
        'pure planner, steady state (identities/s)': Math.round(size / (pureSteady.ms / 1000)),
        'pure planner, steady state items': pureSteady.items,
        'first apply (s)': (first.durationMs / 1000).toFixed(2),
        'first apply (identities/s)': Math.round(size / (first.durationMs / 1000)),
        'first apply account requests': first.accountRequests,
        'steady apply (s)': (steady.durationMs / 1000).toFixed(2),
        'steady apply account requests': steady.accountRequests,
        ...(assigned
          ? {
              'identities with assignments': assigned.identities,
              assignments: assigned.assignments,
              target: 'steady state within 10% of `plan` at the same size',
            }
          : { target: '10,000 identities/s end to end; 50,000 pure' }),
      },
    }
  } finally {
    await store.close()
  }
}

/**
 * Gives every tenth identity (by id) 1–3 requested assignments: half access profiles, a quarter roles,
 * a quarter directory entitlements; a third of them with a remove date a year ahead.
 */
async function addAssignments(ctx: EngineContext): Promise<{ identities: number; assignments: number }> {
  const rnd = seededRandom(7)
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T
  const aps = ctx.config.accessProfiles.map(({ value }) => ({ id: configId(value), name: value.name }))
  const roles = ctx.config.roles.map(({ value }) => ({ id: configId(value), name: value.name }))
  // Not the admin groups role criteria look at: a steady state is reached in one round of execution.
  const groups = await ctx.db.query<{ id: string; value: string }>(
    `SELECT e.id, e.value FROM entitlements e JOIN sources s ON s.id = e.source_id
     WHERE s.name = 'Directory' AND e.value NOT LIKE '%-admins'`,
  )
  const ids = (await ctx.db.query<{ id: string }>('SELECT id FROM identities ORDER BY id')).map((r) => r.id)
  const removeDate = new Date(ctx.now().getTime() + 365 * 86_400_000).toISOString()
  const rows: (string | null)[][] = []
  let holders = 0
  for (let i = 0; i < ids.length; i += 10) {
    holders++
    const n = 1 + Math.floor(rnd() * 3)
    for (let k = 0; k < n; k++) {
      const r = rnd()
      const [type, item] =
        r < 0.5 || groups.length === 0
          ? (['ACCESS_PROFILE', pick(aps)] as const)
          : r < 0.75
            ? (['ROLE', pick(roles)] as const)
            : ([
                'ENTITLEMENT',
                ((g) => ({ id: g.id, name: `Directory:groups:${g.value}` }))(pick(groups)),
              ] as const)
      rows.push([
        newId(),
        ids[i] as string,
        type,
        item.id,
        item.name,
        'ACCESS_REQUEST',
        null,
        rnd() < 1 / 3 ? removeDate : null,
        `request-${i}-${k}`,
        'bench',
      ])
    }
  }
  await ctx.db.insertRows(
    'assignments',
    [
      'id',
      'identity_id',
      'item_type',
      'item_id',
      'item_name',
      'origin',
      'start_date',
      'remove_date',
      'request_id',
      'created_by',
    ],
    rows,
  )
  return { identities: holders, assignments: rows.length }
}

/** The pure planner alone, on every identity with its accounts and applied grants already in memory. */
async function purePlanner(ctx: EngineContext, model: PlanningModel): Promise<{ ms: number; items: number }> {
  const identities: Identity[] = []
  for (let page = await listIdentityPage(ctx.db, '', 10_000); page.length > 0;) {
    identities.push(...page)
    page = await listIdentityPage(ctx.db, (page[page.length - 1] as Identity).id, 10_000)
  }
  const accounts = new Map<string, PlanAccount[]>()
  for (const a of await loadAccountsOf(ctx.db, { sourceIds: null })) {
    const list = accounts.get(a.identityId as string) ?? []
    list.push({
      sourceId: a.sourceId,
      nativeIdentity: a.nativeIdentity,
      disabled: a.disabled,
      attributes: a.attributes,
    })
    accounts.set(a.identityId as string, list)
  }
  const applied = await loadAppliedStates(
    ctx.db,
    identities.map((i) => i.id),
    new Map(),
  )
  const assignments = await loadPlanAssignments(
    ctx.db,
    identities.map((i) => i.id),
  )
  const taken = new Set<string>()
  const t0 = performance.now()
  let items = 0
  for (const identity of identities) {
    const previous = applied.get(identity.id)
    const r = planIdentity(
      {
        id: identity.id,
        name: identity.name,
        identityProfile: identity.identityProfile,
        attributes: identity.attributes,
        lifecycleState: identity.lifecycleState,
        previousLifecycleState: previous?.lifecycleState ?? identity.lifecycleState,
        accounts: accounts.get(identity.id) ?? [],
        previousGrants: previous?.grants ?? [],
        ...(previous && previous.assignedGrants.length > 0
          ? { previousAssignedGrants: previous.assignedGrants }
          : {}),
        ...(assignments.has(identity.id) ? { assignments: assignments.get(identity.id) } : {}),
      },
      {
        model,
        now: ctx.now,
        isAccountIdFree: (s, id) => !taken.has(s + id),
        reserveAccountId: (s, id) => void taken.add(s + id),
      },
    )
    items += r.items.length
  }
  return { ms: performance.now() - t0, items }
}
