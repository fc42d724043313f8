import type { Identity } from '../domain/model.js'
import type { DesiredAccess } from '../domain/plan/desired-access.js'
import type { PlanAccount, PlanningModel } from '../domain/plan/planning-model.js'
import { loadPlanAccountsByIdentity } from '../store/account-planning.js'
import { loadPlanAssignments } from '../store/assignments.js'
import { listIdentityPage } from '../store/identities.js'
import { desiredOfIdentity } from './desired-access-of.js'
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
    const byIdentity = await loadPlanAccountsByIdentity(ctx.db, ids)
    const assignments = await loadPlanAssignments(db, ids)
    yield page.map((identity) => {
      const accounts = byIdentity.get(identity.id) ?? []
      const desired = desiredOfIdentity(identity, accounts, assignments.get(identity.id), model, now)
      return { identity, desired, accounts }
    })
    after = (page[page.length - 1] as Identity).id
  }
}
