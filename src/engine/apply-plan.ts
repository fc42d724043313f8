import type { AccountRequestRow } from '../store/plans.js'
import { insertAccountRequests, saveAppliedStates } from '../store/plans.js'
import type { EngineContext } from './engine-context.js'
import { planIdentities, type PlanOptions, type PlanRun } from './plan-identities.js'

export interface ApplyResult {
  readonly plan: PlanRun
  readonly accountRequests: number
  /** Planning and writing. */
  readonly durationMs: number
}

/**
 * Turns the plan into pending account requests (one per account and operation; executing them is
 * the execution milestone) and records, per identity, the access granted and the lifecycle state seen,
 * which the next plan compares against.
 */
export async function applyPlan(
  ctx: EngineContext,
  options: Omit<PlanOptions, 'config'> = {},
): Promise<ApplyResult> {
  const t0 = performance.now()
  const plan = await planIdentities(ctx, options)
  const requests = new Map<
    string,
    Omit<AccountRequestRow, 'id' | 'status'> & { items: AccountRequestRow['items'][number][] }
  >()
  for (const i of plan.items) {
    const key = [i.identityId, i.sourceId, i.nativeIdentity, i.operation].join('\u0000')
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
  await ctx.db.transaction(async (tx) => {
    await insertAccountRequests(tx, [...requests.values()])
    await saveAppliedStates(
      tx,
      [...plan.identities.values()].map(({ identity, desired }) => ({
        identityId: identity.id,
        lifecycleState: identity.lifecycleState,
        // Stored lean: what was granted and by what, without the printed details.
        grants: desired.grants.map((g) => ({
          ...g,
          reasons: g.reasons.map((r) => ({ kind: r.kind, name: r.name, ...(r.id ? { id: r.id } : {}) })),
        })),
      })),
    )
  })
  return { plan, accountRequests: requests.size, durationMs: performance.now() - t0 }
}
