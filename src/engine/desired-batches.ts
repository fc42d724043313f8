import type { Identity } from '../domain/model.js'
import { desiredAccess, type DesiredAccess } from '../domain/plan/desired-access.js'
import type { PlanAccount, PlanningModel } from '../domain/plan/planning-model.js'
import { loadPlanAccounts } from '../store/account-planning.js'
import { loadPlanAssignments } from '../store/assignments.js'
import { listIdentityPage } from '../store/identities.js'
import type { EngineContext } from './engine-context.js'

/** One identity's access as policy and its assignments make it, and its accounts. */
export interface DesiredOfIdentity {
  readonly identity: Identity
  readonly desired: DesiredAccess
  readonly accounts: readonly PlanAccount[]
}

/** Identities per batch: as planBatches reads them. */
const BATCH = 2000

/**
 * Every stored identity's desired access (the planner's first step: grants with their reasons) and
 * accounts, batch by batch in id order. What a review shows is what each identity holds and why, not the
 * account changes that would follow, so nothing else of planning is done: no attribute values, account ids
 * or removals worked out, no applied states or pending requests read. The grants are those planBatches
 * gives (the same desiredAccess over the same accounts and assignments).
 */
export async function* desiredBatches(
  ctx: EngineContext,
  model: PlanningModel,
): AsyncGenerator<DesiredOfIdentity[]> {
  const { db } = ctx
  const now = ctx.now()
  for (let after = ''; ;) {
    const page = await listIdentityPage(db, after, BATCH)
    if (page.length === 0) return
    const ids = page.map((i) => i.id)
    const byIdentity = await accountsByIdentity(ctx, ids)
    const assignments = await loadPlanAssignments(db, ids)
    yield page.map((identity) => {
      const accounts = byIdentity.get(identity.id) ?? []
      const given = assignments.get(identity.id)
      const desired = desiredAccess(
        {
          id: identity.id,
          name: identity.name,
          identityProfile: identity.identityProfile,
          attributes: identity.attributes,
          lifecycleState: identity.lifecycleState,
          previousLifecycleState: null,
          accounts,
          previousGrants: [],
          ...(given ? { assignments: given } : {}),
        },
        model,
        false,
        now,
      )
      return { identity, desired, accounts }
    })
    after = (page[page.length - 1] as Identity).id
  }
}

/** Some identities' accounts, as the planner reads them, by identity. */
export async function accountsByIdentity(
  ctx: EngineContext,
  identityIds: readonly string[],
): Promise<Map<string, PlanAccount[]>> {
  const byIdentity = new Map<string, PlanAccount[]>()
  for (const { identityId, ...account } of await loadPlanAccounts(ctx.db, identityIds)) {
    const list = byIdentity.get(identityId)
    if (list) list.push(account)
    else byIdentity.set(identityId, [account])
  }
  return byIdentity
}
