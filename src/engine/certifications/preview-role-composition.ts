import type { CertificationItem } from '../../domain/certifications/certification-item.js'
import { roleWithout } from '../../domain/certifications/role-composition.js'
import type { WorkspaceConfig } from '../../domain/config/workspace-config.js'
import { configId } from '../../domain/plan/build-planning-model.js'
import {
  removedAccessProfileKey,
  removedRoleEntitlementKey,
} from '../../domain/plan/composition-revocations.js'
import type { PlanReason } from '../../domain/plan/plan-item.js'
import type { EngineContext } from '../engine-context.js'
import { planIdentities } from '../plan-identities.js'
import type { RevocationPreview } from './preview-revocations.js'
import { resolveRoleLists } from './resolve-role-lists.js'
import type { RoleHolders } from './role-holders.js'

/**
 * What a REVOKE of a role composition item would do if signed off now: the role without it, planned for
 * everyone who holds the role (nothing written), and the account changes that would make, by identity;
 * what a member holds by another grant stays and is not listed.
 */
export async function previewRoleComposition(
  ctx: EngineContext,
  item: CertificationItem,
  reason: PlanReason,
  /** Who holds each role under review (roleHolders), found once for the page previewed. */
  members: RoleHolders['holders'],
): Promise<RevocationPreview> {
  const base = { itemId: item.id, itemName: item.itemName }
  const roleId = item.identityId
  const located = ctx.config.roles.find((r) => configId(r.value) === roleId)
  const gone = {
    ...base,
    outcome: 'NOTHING_TO_REMOVE' as const,
    keptBy: [],
    changes: [],
    message: `no longer in role "${located?.value.name ?? roleId}"`,
  }
  if (!located) return gone
  const value = located.value as unknown as Record<string, unknown>
  const ap = item.itemType === 'ACCESS_PROFILE'
  const { role, removed } = roleWithout(value, await resolveRoleLists(ctx, ctx.config, value), {
    accessProfileIds: new Set(ap ? [item.itemId] : []),
    entitlementKeys: new Set(ap ? [] : [item.itemId]),
  })
  if (removed.size === 0) return gone
  const candidate: WorkspaceConfig = {
    ...ctx.config,
    roles: ctx.config.roles.map((r) => (r === located ? { ...r, value: role as typeof r.value } : r)),
  }
  const holders = [...(members.get(roleId) ?? [])]
  const key = ap ? removedAccessProfileKey(item.itemId) : removedRoleEntitlementKey(roleId, item.itemId)
  const run =
    holders.length > 0
      ? await planIdentities(ctx, {
          config: candidate,
          identityIds: holders,
          revokedBy: new Map([[key, reason]]),
        })
      : undefined
  const changes = (run?.items ?? [])
    .filter((p) => p.reasons.some((r) => r.kind === 'CERTIFICATION'))
    .map((p) => ({
      identity: p.identityName,
      operation: p.attributeOperation ? `${p.operation} ${p.attributeOperation}` : p.operation,
      source: p.sourceName,
      nativeIdentity: p.nativeIdentity,
      ...(p.attribute !== undefined ? { attribute: p.attribute } : {}),
      ...(p.value !== undefined ? { value: p.value } : {}),
    }))
  const losers = new Set(changes.map((c) => c.identity))
  const what = `takes "${item.itemName}" out of role "${located.value.name}"`
  return {
    ...base,
    outcome: 'REMOVED',
    keptBy: [],
    changes,
    message:
      changes.length > 0
        ? `${what}: ${losers.size} of its ${holders.length} members lose it (${[...losers].join(', ')})`
        : `${what}: none of its ${holders.length} members loses anything (what they hold of it, something else grants)`,
  }
}
