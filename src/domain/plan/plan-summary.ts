import type { AccountSelection, PlanError, PlanItem } from './plan-item.js'

/** What a plan would do, counted; the same for a preview and for an apply. */
export interface PlanSummary {
  identities: number
  identitiesWithChanges: number
  creates: number
  adds: number
  removes: number
  sets: number
  enables: number
  disables: number
  deletes: number
  accountSelections: number
  errors: number
}

/** Counts one plan, or one batch of it (an identity is never split between batches, so batches add up). */
export function summarizePlan(
  items: readonly PlanItem[],
  selections: readonly AccountSelection[],
  errors: readonly PlanError[],
  identities: number,
): PlanSummary {
  const count = (f: (i: PlanItem) => boolean): number => items.filter(f).length
  return {
    identities,
    identitiesWithChanges: new Set(items.map((i) => i.identityId)).size,
    creates: new Set(
      items.filter((i) => i.operation === 'Create').map((i) => `${i.identityId}/${i.sourceId}`),
    ).size,
    adds: count((i) => i.attributeOperation === 'Add' && i.operation === 'Modify'),
    removes: count((i) => i.attributeOperation === 'Remove'),
    sets: count((i) => i.attributeOperation === 'Set' && i.operation === 'Modify'),
    enables: count((i) => i.operation === 'Enable'),
    disables: count((i) => i.operation === 'Disable'),
    deletes: count((i) => i.operation === 'Delete'),
    accountSelections: selections.length,
    errors: errors.length,
  }
}

export function addSummaries(a: PlanSummary, b: PlanSummary): PlanSummary {
  const out = { ...a }
  for (const k of Object.keys(out) as (keyof PlanSummary)[]) out[k] += b[k]
  return out
}
