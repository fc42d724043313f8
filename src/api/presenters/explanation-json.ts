import type { IdentityExplanation } from '../../engine/explain-identity.js'
import { planJson } from './plan-json.js'

/** The stable `explain --json` shape (docs/plan.md). */
export function explanationJson(x: IdentityExplanation): object {
  return {
    identity: { id: x.identity.id, name: x.identity.name, attributes: x.identity.attributes },
    lifecycleState: x.lifecycleState,
    rolesSuspended: x.rolesSuspended,
    roles: x.roles.map((r) => ({ name: r.name, matched: r.matched, detail: r.detail })),
    assignments: x.assignments,
    access: x.access,
    plan: planJson(x.plan),
  }
}
