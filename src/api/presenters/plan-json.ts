import type { PlanItem } from '../../domain/plan/plan-item.js'
import { summarizePlan, type PlanSummary } from '../../domain/plan/plan-summary.js'
import type { ApplyResult } from '../../engine/apply-plan.js'
import type { PlanRun } from '../../engine/plan-identities.js'
import type { SettledSummary } from '../../engine/run-until-settled.js'

/** The stable `plan --json` shape (docs/plan.md). Secret values are never included. */
export function planJson(plan: PlanRun): object {
  return {
    items: plan.items.map(planItemJson),
    accountSelections: plan.selections,
    errors: plan.errors,
    warnings: plan.warnings,
    summary: planSummary(plan),
  }
}

/** One operation of a plan (`plan --json`'s items); a secret's value is never shown. */
export function planItemJson(i: PlanItem): object {
  return {
    identity: { id: i.identityId, name: i.identityName },
    source: { id: i.sourceId, name: i.sourceName },
    account:
      i.operation === 'Create'
        ? { nativeIdentity: i.nativeIdentity, new: true }
        : { nativeIdentity: i.nativeIdentity },
    operation: i.operation,
    ...(i.attributeOperation ? { attributeOperation: i.attributeOperation } : {}),
    ...(i.attribute !== undefined ? { attribute: i.attribute } : {}),
    ...(i.attribute !== undefined ? { value: i.secret ? null : (i.value ?? null) } : {}),
    ...(i.secret ? { secret: true } : {}),
    reasons: i.reasons,
  }
}

/** A plan's counts. */
export function planSummary(plan: PlanRun): PlanSummary {
  return summarizePlan(plan.items, plan.selections, plan.errors, plan.identities.size)
}

/** The stable `apply --json` shape: what was written, and (with --wait) how execution settled. */
export function applyJson(result: ApplyResult, settled?: SettledSummary): object {
  return {
    accountRequests: result.accountRequests,
    accountSelections: result.selections,
    errors: result.errors,
    warnings: result.warnings,
    summary: result.summary,
    ...(settled ? { execution: settled } : {}),
  }
}
