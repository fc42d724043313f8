import type { EngineContext } from '../engine-context.js'
import { desiredBatches } from '../desired-batches.js'
import { planningModelOf } from '../plan-identities.js'

/** Who holds some roles, and everyone's name and manager (who may review a role instead of a holder). */
export interface RoleHolders {
  /** By role id: the identities holding it now (its criteria met, listed, or assigned). */
  readonly holders: ReadonlyMap<string, ReadonlySet<string>>
  readonly people: ReadonlyMap<string, { readonly name: string; readonly managerId: string | null }>
}

/**
 * Who holds each of these roles, by everyone's desired access (membership is the planner's to
 * decide: criteria over attributes and accounts, identity lists, assignments). A role's membership does
 * not depend on what it grants, so the holders before and after a change to its composition are the same.
 */
export async function roleHolders(ctx: EngineContext, roleIds: Iterable<string>): Promise<RoleHolders> {
  const holders = new Map<string, Set<string>>([...roleIds].map((id) => [id, new Set<string>()]))
  const people = new Map<string, { name: string; managerId: string | null }>()
  for await (const batch of desiredBatches(ctx, await planningModelOf(ctx, ctx.config))) {
    for (const { identity, desired } of batch) {
      people.set(identity.id, { name: identity.name, managerId: identity.managerId })
      for (const g of desired.grants) if (g.kind === 'ROLE') holders.get(g.id)?.add(identity.id)
    }
  }
  return { holders, people }
}
