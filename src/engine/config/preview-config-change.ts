import { configSnapshot } from '../../domain/config/config-snapshot.js'
import { diffSnapshots, type SnapshotDiff } from '../../domain/config/diff-snapshots.js'
import { stableStringify } from '../../domain/stable-hash.js'
import type { PlanError, PlanItem } from '../../domain/plan/plan-item.js'
import { summarizePlan, type PlanSummary } from '../../domain/plan/plan-summary.js'
import type { EngineContext } from '../engine-context.js'
import { planIdentities, type PlanRun } from '../plan-identities.js'
import type { ConfigChange } from './config-repository.js'
import { candidateConfig } from './change-config.js'

/** What one identity's plan would do differently. */
export interface IdentityPlanDiff {
  readonly identity: { readonly id: string; readonly name: string }
  /** Operations the candidate's plan has and the current one does not. */
  readonly added: readonly PlanItem[]
  /** Operations the current plan has and the candidate's does not. */
  readonly removed: readonly PlanItem[]
  /** The same operation on the same attribute with another value or other reasons. */
  readonly changed: readonly { readonly before: PlanItem; readonly after: PlanItem }[]
}

/** The whole-tenant plan difference a configuration change would cause. */
export interface ConfigPreview {
  /** The configuration objects the change adds, removes and changes. */
  readonly objects: SnapshotDiff
  readonly identities: readonly IdentityPlanDiff[]
  readonly errors: { readonly added: readonly PlanError[]; readonly removed: readonly PlanError[] }
  /** Both plans counted. */
  readonly summary: { readonly current: PlanSummary; readonly candidate: PlanSummary }
  /** What the candidate configuration's plan warns about. */
  readonly warnings: readonly string[]
}

/**
 * What a change to the configuration would do to every identity's plan, without writing or publishing
 * anything: the workspace with the change laid over its files in memory (checked with validate's rules),
 * planned against the store as it is, compared with the plan of the configuration the engine runs with.
 * Both plans read the stored identities as they were last processed: a change to how identity attributes
 * are computed (an identity profile's mappings, a transform they use) shows once identities are processed
 * with it, not here.
 */
export async function previewConfigChange(
  ctx: EngineContext,
  changes: readonly ConfigChange[],
): Promise<ConfigPreview> {
  const candidate = await candidateConfig(ctx, changes)
  const current = await planIdentities(ctx)
  const next = await planIdentities(ctx, { config: candidate })
  return {
    objects: diffSnapshots(configSnapshot(ctx.config), configSnapshot(candidate)),
    ...diffPlans(current, next),
    summary: { current: countPlan(current), candidate: countPlan(next) },
    warnings: next.warnings,
  }
}

function countPlan(plan: PlanRun): PlanSummary {
  return summarizePlan(plan.items, plan.selections, plan.errors, plan.identities.size)
}

/** Two plans compared operation by operation, per identity. */
export function diffPlans(
  current: Pick<PlanRun, 'items' | 'errors'>,
  next: Pick<PlanRun, 'items' | 'errors'>,
): Pick<ConfigPreview, 'identities' | 'errors'> {
  const byIdentity = new Map<
    string,
    { name: string; added: PlanItem[]; removed: PlanItem[]; changed: { before: PlanItem; after: PlanItem }[] }
  >()
  const entry = (i: PlanItem) => {
    let e = byIdentity.get(i.identityId)
    if (!e) {
      e = { name: i.identityName, added: [], removed: [], changed: [] }
      byIdentity.set(i.identityId, e)
    }
    return e
  }
  const before = new Map<string, PlanItem[]>()
  for (const i of current.items) {
    const k = operationKey(i)
    before.set(k, [...(before.get(k) ?? []), i])
  }
  for (const after of next.items) {
    const k = operationKey(after)
    const candidates = before.get(k)
    const old = candidates?.shift()
    if (old === undefined) entry(after).added.push(after)
    else if (stableStringify(comparable(old)) !== stableStringify(comparable(after))) {
      entry(after).changed.push({ before: old, after })
    }
  }
  for (const rest of before.values()) for (const i of rest) entry(i).removed.push(i)

  const errorKey = (e: PlanError): string => stableStringify(e)
  const oldErrors = new Set(current.errors.map(errorKey))
  const newErrors = new Set(next.errors.map(errorKey))
  return {
    identities: [...byIdentity]
      .filter(([, e]) => e.added.length + e.removed.length + e.changed.length > 0)
      .map(([id, e]) => ({
        identity: { id, name: e.name },
        added: e.added,
        removed: e.removed,
        changed: e.changed,
      }))
      .sort(
        (a, b) =>
          a.identity.name.localeCompare(b.identity.name) || a.identity.id.localeCompare(b.identity.id),
      ),
    errors: {
      added: next.errors.filter((e) => !oldErrors.has(errorKey(e))),
      removed: current.errors.filter((e) => !newErrors.has(errorKey(e))),
    },
  }
}

/**
 * What makes two plan items the same operation: the identity, the account, the operation and the attribute;
 * an entitlement added or removed is its own operation (its value is part of the key), while an attribute
 * set to another value is the same operation, changed.
 */
function operationKey(i: PlanItem): string {
  return stableStringify([
    i.identityId,
    i.sourceId,
    i.operation === 'Create' ? null : i.nativeIdentity,
    i.operation,
    i.attributeOperation ?? null,
    i.attribute ?? null,
    i.attributeOperation === 'Set' ? null : (i.value ?? null),
  ])
}

/** What is compared of one operation: its value (never a secret's) and its reasons. */
function comparable(i: PlanItem): unknown {
  return { value: i.secret ? null : (i.value ?? null), nativeIdentity: i.nativeIdentity, reasons: i.reasons }
}
