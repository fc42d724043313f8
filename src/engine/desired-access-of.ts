import type { Identity } from '../domain/model.js'
import type { PlanAssignment } from '../domain/plan/assignment.js'
import { desiredAccess, type DesiredAccess } from '../domain/plan/desired-access.js'
import type { PlanAccount } from '../domain/plan/planning-model.js'
import { loadPlanAccounts } from '../store/account-planning.js'
import type { EngineContext } from './engine-context.js'
import { planningModelOf } from './plan-identities.js'

/** The accounts of some identities as the planner reads them, by identity. */
export async function planAccountsOf(
  ctx: EngineContext,
  identityIds: readonly string[],
): Promise<Map<string, PlanAccount[]>> {
  const accounts = new Map<string, PlanAccount[]>()
  for (const { identityId, ...account } of await loadPlanAccounts(ctx.db, identityIds)) {
    const list = accounts.get(identityId)
    if (list) list.push(account)
    else accounts.set(identityId, [account])
  }
  return accounts
}

/**
 * What each identity should have now, as the planner computes it (policy and assignments), without
 * planning the account changes: what a request checks held access against. It needs the identities'
 * accounts (role criteria may name them; see planAccountsOf) and nothing the changes need — earlier plans,
 * pending activities, taken account ids. `assignments`: each identity's, as the caller has just read them
 * (an identity absent has none).
 */
export async function desiredAccessOf(
  ctx: EngineContext,
  identities: readonly Identity[],
  accounts: ReadonlyMap<string, readonly PlanAccount[]>,
  assignments: ReadonlyMap<string, readonly PlanAssignment[]>,
): Promise<Map<string, DesiredAccess>> {
  const model = await planningModelOf(ctx, ctx.config)
  const now = ctx.now()
  return new Map(
    identities.map((identity) => {
      const mine = assignments.get(identity.id)
      const planned = {
        id: identity.id,
        name: identity.name,
        identityProfile: identity.identityProfile,
        attributes: identity.attributes,
        lifecycleState: identity.lifecycleState,
        previousLifecycleState: null,
        accounts: accounts.get(identity.id) ?? [],
        previousGrants: [],
        ...(mine !== undefined ? { assignments: mine } : {}),
      }
      return [identity.id, desiredAccess(planned, model, false, now)]
    }),
  )
}
