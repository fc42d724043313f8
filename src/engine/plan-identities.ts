import type { WorkspaceConfig } from '../domain/config/workspace-config.js'
import { NotFoundError } from '../domain/errors.js'
import type { Identity } from '../domain/model.js'
import type { DesiredAccess } from '../domain/plan/desired-access.js'
import { buildPlanningModel } from '../domain/plan/build-planning-model.js'
import type { AccountSelection, PlanError, PlanItem } from '../domain/plan/plan-item.js'
import { planIdentity } from '../domain/plan/plan-identity.js'
import type { PlanAccount } from '../domain/plan/planning-model.js'
import { loadAccountsOf } from '../store/accounts.js'
import { findIdentity, listIdentities } from '../store/identities.js'
import { listAccountRequests, loadAppliedStates, type AccountRequestRow } from '../store/plans.js'
import { listSourceRows } from '../store/sources.js'
import type { EngineContext } from './engine-context.js'

export interface PlanOptions {
  /** Plan one identity (id or name). */
  readonly identity?: string
  /** Keep only the items on this source. */
  readonly source?: string
  /** Plan against this configuration instead of the workspace's (simulation; nothing is enabled). */
  readonly config?: WorkspaceConfig
  /** Keep each role's criteria explanation (for `explain`); a bulk plan drops them to save memory. */
  readonly explain?: boolean
}

export interface PlanRun {
  readonly items: PlanItem[]
  readonly selections: AccountSelection[]
  readonly errors: PlanError[]
  /** Per planned identity: who it is and what it should have (for explain and apply). */
  readonly identities: Map<string, { readonly identity: Identity; readonly desired: DesiredAccess }>
  readonly durationMs: number
}

/**
 * Plans the stored identities against a configuration and returns what would change, without
 * changing anything. Account requests already pending (applied, not yet executed) are not planned again.
 */
export async function planIdentities(ctx: EngineContext, options: PlanOptions = {}): Promise<PlanRun> {
  const t0 = performance.now()
  const config = options.config ?? ctx.config
  const { db } = ctx
  const stored = new Map((await listSourceRows(db)).map((s) => [s.name, s.id]))
  // A source the store has never seen has no accounts yet; a placeholder id keeps planning pure.
  const sourceIds = new Map(
    config.sources.map(({ value: s }) => [s.name, stored.get(s.name) ?? `new:${s.name}`]),
  )
  const model = buildPlanningModel(config, sourceIds)
  if (options.source !== undefined && !sourceIds.has(options.source)) {
    throw new NotFoundError(`no source named "${options.source}"`)
  }

  let identities: Identity[]
  if (options.identity !== undefined) {
    const one = await findIdentity(db, options.identity)
    if (!one) throw new NotFoundError(`no identity with id or name "${options.identity}"`)
    identities = [one]
  } else identities = await listIdentities(db)
  const ids = identities.map((i) => i.id)
  const accounts = await loadAccountsOf(
    db,
    options.identity !== undefined ? { sourceIds: null, identityIds: ids } : { sourceIds: null },
  )
  const byIdentity = new Map<string, PlanAccount[]>()
  for (const a of accounts) {
    const list = byIdentity.get(a.identityId as string) ?? []
    list.push({
      sourceId: a.sourceId,
      nativeIdentity: a.nativeIdentity,
      disabled: a.disabled,
      attributes: a.attributes,
    })
    byIdentity.set(a.identityId as string, list)
  }
  const applied = await loadAppliedStates(db)
  const pending = await listAccountRequests(db, { status: 'PENDING' })
  const taken = await takenAccountIds(ctx, pending)
  const pendingKeys = new Set(pending.flatMap(requestKeys))

  const items: PlanItem[] = []
  const selections: AccountSelection[] = []
  const errors: PlanError[] = []
  const planned = new Map<string, { identity: Identity; desired: DesiredAccess }>()
  let done = 0
  for (const identity of identities) {
    const previous = applied.get(identity.id)
    const result = planIdentity(
      {
        id: identity.id,
        name: identity.name,
        identityProfile: identity.identityProfile,
        attributes: identity.attributes,
        lifecycleState: identity.lifecycleState,
        previousLifecycleState: previous?.lifecycleState ?? null,
        accounts: byIdentity.get(identity.id) ?? [],
        previousGrants: previous?.grants ?? [],
      },
      {
        model,
        isAccountIdFree: (sourceId, id) => !taken.has(`${sourceId}\u0000${id}`),
        reserveAccountId: (sourceId, id) => void taken.add(`${sourceId}\u0000${id}`),
        now: ctx.now,
        explain: options.explain === true,
      },
    )
    planned.set(identity.id, { identity, desired: result.desired })
    const inSource = (x: { sourceName?: string }): boolean =>
      options.source === undefined || x.sourceName === options.source
    items.push(...result.items.filter((i) => inSource(i) && !pendingKeys.has(itemKey(i))))
    selections.push(...result.selections.filter(inSource))
    errors.push(...result.errors.filter(inSource))
    if (++done % 5000 === 0) ctx.progress?.('plan', done, identities.length)
  }
  return { items, selections, errors, identities: planned, durationMs: performance.now() - t0 }
}

/** Account ids in use: stored accounts and creates pending execution. */
async function takenAccountIds(
  ctx: EngineContext,
  pending: readonly AccountRequestRow[],
): Promise<Set<string>> {
  const rows = await ctx.db.query<{ source_id: string; native_identity: string }>(
    'SELECT source_id, native_identity FROM accounts',
  )
  const taken = new Set(rows.map((r) => `${r.source_id}\u0000${r.native_identity}`))
  for (const p of pending) if (p.nativeIdentity) taken.add(`${p.sourceId}\u0000${p.nativeIdentity}`)
  return taken
}

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

function requestKeys(r: AccountRequestRow): string[] {
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
