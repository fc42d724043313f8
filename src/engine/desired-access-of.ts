import type { Identity } from '../domain/model.js'
import type { PlanAssignment } from '../domain/plan/assignment.js'
import { desiredAccess, type DesiredAccess } from '../domain/plan/desired-access.js'
import type { PlanAccount, PlanningModel } from '../domain/plan/planning-model.js'
import type { EngineContext } from './engine-context.js'
import { planningModelOf } from './plan-identities.js'

/**
 * What each identity should have now, as the planner computes it (policy and assignments), without
 * planning the account changes: what a request checks held access against. It needs the identities'
 * accounts (role criteria may name them; see loadPlanAccountsByIdentity) and nothing the changes need — earlier plans,
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
    identities.map((identity) => [
      identity.id,
      desiredOfIdentity(identity, accounts.get(identity.id) ?? [], assignments.get(identity.id), model, now),
    ]),
  )
}

/** One identity's desired access from its accounts and assignments (none given: it has none). */
export function desiredOfIdentity(
  identity: Identity,
  accounts: readonly PlanAccount[],
  assignments: readonly PlanAssignment[] | undefined,
  model: PlanningModel,
  now: Date,
): DesiredAccess {
  return desiredAccess(
    {
      id: identity.id,
      name: identity.name,
      identityProfile: identity.identityProfile,
      attributes: identity.attributes,
      lifecycleState: identity.lifecycleState,
      previousLifecycleState: null,
      accounts,
      previousGrants: [],
      ...(assignments !== undefined ? { assignments } : {}),
    },
    model,
    false,
    now,
  )
}
