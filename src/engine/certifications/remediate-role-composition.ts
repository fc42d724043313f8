import type { Campaign } from '../../domain/certifications/campaign.js'
import type { Remediation } from '../../domain/certifications/certification-item.js'
import { roleWithout } from '../../domain/certifications/role-composition.js'
import { findRole } from '../../domain/config/workspace-config.js'
import {
  removedAccessProfileKey,
  removedRoleEntitlementKey,
} from '../../domain/plan/composition-revocations.js'
import type { PlanReason } from '../../domain/plan/plan-item.js'
import { recordRemediation, type RemediationItem } from '../../store/certification-items.js'
import { findIdentity, loadIdentitiesById } from '../../store/identities.js'
import { applyPlan } from '../apply-plan.js'
import { isReconfigurable, rawConfigObject, writeConfigObject } from '../config/change-config.js'
import type { EngineContext } from '../engine-context.js'
import type { RemediationCounts } from './remediate-items.js'
import { resolveRoleLists } from './resolve-role-lists.js'
import { roleHolders } from './role-holders.js'

type Result = { id: string; remediation: Remediation; detail: string | null; activityIds?: string[] }

/**
 * Carries out a ROLE_COMPOSITION campaign's REVOKE decisions after sign-off: each role loses the revoked
 * access profiles and entitlements from its definition, written through the configuration repository
 * (validate's rules; the role's YAML rewritten, other files and comments untouched) and published as a
 * new version attributed to the campaign's remediator (the reference's `remediatorRef`) and naming the
 * campaign and its reviewers. Then the role's holders are planned and applied, what they lose carrying
 * the certification as its reason (process type CERTIFICATION); the planner keeps what something else
 * still grants. Items follow their holders' account activities (PENDING → DONE or FAILED, by
 * settleRemediation); a role that cannot be changed (its change does not validate) fails its items with
 * the reason. Items whose change could not be started stay without a remediation for the campaign timer:
 * running it again finds the access gone from the role and plans the holders again.
 */
export async function remediateRoleComposition(
  ctx: EngineContext,
  campaign: Campaign,
  items: readonly RemediationItem[],
): Promise<RemediationCounts> {
  const results: Result[] = items
    .filter((i) => i.decision !== 'REVOKE')
    .map((i) => ({ id: i.id, remediation: 'NONE', detail: null }))
  const revoked = items.filter((i) => i.decision === 'REVOKE')
  if (revoked.length > 0 && !isReconfigurable(ctx)) {
    const why =
      'a role can be changed only where the workspace folder is: it is changed when the campaign timer of "provisio serve" runs'
    for (const i of revoked) results.push({ id: i.id, remediation: 'PENDING', detail: why })
  }
  if (revoked.length === 0 || !isReconfigurable(ctx)) {
    await recordRemediation(ctx.db, results)
    return count(results)
  }
  const engine = ctx
  const names = await namesOf(ctx, [...revoked.flatMap((i) => (i.decidedBy !== null ? [i.decidedBy] : []))])
  const remediator = await findIdentity(
    ctx.db,
    campaign.spec.roleCompositionCampaignInfo?.remediatorRef.id ?? '',
  )
  const byRole = new Map<string, RemediationItem[]>()
  for (const i of revoked) byRole.set(i.identityId, [...(byRole.get(i.identityId) ?? []), i])

  const revokedBy = new Map<string, PlanReason>()
  const changedRoles = new Map<string, { name: string; items: RemediationItem[]; detail: string }>()
  for (const [roleId, list] of byRole) {
    const raw = await rawConfigObject(engine, 'roles', roleId)
    const role = findRole(engine.config, roleId)
    if (!raw || !role) {
      for (const i of list) {
        results.push({ id: i.id, remediation: 'DONE', detail: 'the role no longer exists' })
      }
      continue
    }
    const revokedSets = {
      accessProfileIds: new Set(list.filter((i) => i.itemType === 'ACCESS_PROFILE').map((i) => i.itemId)),
      entitlementKeys: new Set(list.filter((i) => i.itemType === 'ENTITLEMENT').map((i) => i.itemId)),
    }
    const changed = roleWithout(raw.value, await resolveRoleLists(ctx, engine.config, raw.value), revokedSets)
    let detail = `no longer in role "${role.name}"`
    if (changed.removed.size > 0) {
      const reviewers = [
        ...new Set(list.map((i) => names.get(i.decidedBy ?? '') ?? i.decidedBy ?? 'the campaign')),
      ]
      const author = `${remediator?.name ?? 'remediator'} (remediator of campaign "${campaign.name}"; revoked by ${reviewers.join(', ')})`
      try {
        const written = await writeConfigObject(engine, 'roles', changed.role, author)
        detail = `removed from role "${role.name}" (configuration version ${written.version.number})`
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err)
        for (const i of list) {
          results.push({
            id: i.id,
            remediation: 'FAILED',
            detail: `role "${role.name}" could not be changed: ${message}`,
          })
        }
        continue
      }
    }
    for (const i of list) {
      const key =
        i.itemType === 'ACCESS_PROFILE'
          ? removedAccessProfileKey(i.itemId)
          : removedRoleEntitlementKey(roleId, i.itemId)
      const reviewer = i.decidedBy ?? 'the campaign'
      const name = names.get(reviewer) ?? reviewer
      revokedBy.set(key, {
        kind: 'CERTIFICATION',
        id: campaign.id,
        name: campaign.name,
        detail: `removed from role "${role.name}" by ${name} in campaign "${campaign.name}"${i.comments ? `: ${i.comments}` : ''}`,
        reviewer: { id: reviewer, name },
        certificationId: i.certificationId,
      })
    }
    changedRoles.set(roleId, { name: role.name, items: list, detail })
  }

  // Membership does not depend on what a role grants: who holds it now held it before the change.
  const { holders } = await roleHolders(ctx, changedRoles.keys())
  const identityIds = [...new Set([...holders.values()].flatMap((s) => [...s]))].sort()
  let activitiesByIdentity: ReadonlyMap<string, readonly string[]> = new Map()
  try {
    if (identityIds.length > 0) {
      activitiesByIdentity = (await applyPlan(ctx, { identityIds, revokedBy })).activitiesByIdentity
    }
  } catch (err) {
    const message = `provisioning could not be started: ${err instanceof Error ? err.message : String(err)}`
    for (const { items: list } of changedRoles.values()) {
      for (const i of list) results.push({ id: i.id, remediation: 'PENDING', detail: message })
    }
    await recordRemediation(ctx.db, results)
    return count(results)
  }
  for (const [roleId, { items: list, detail }] of changedRoles) {
    const members = [...(holders.get(roleId) ?? [])]
    const activityIds = members.flatMap((m) => [...(activitiesByIdentity.get(m) ?? [])])
    for (const i of list) {
      results.push(
        activityIds.length > 0
          ? { id: i.id, remediation: 'PENDING', detail, activityIds }
          : {
              id: i.id,
              remediation: 'DONE',
              detail: `${detail}; none of its ${members.length} members held anything of it that nothing else grants`,
              activityIds: [],
            },
      )
    }
  }
  await recordRemediation(ctx.db, results)
  return count(results)
}

async function namesOf(ctx: EngineContext, ids: readonly string[]): Promise<Map<string, string>> {
  return new Map((await loadIdentitiesById(ctx.db, [...new Set(ids)])).map((p) => [p.id, p.name]))
}

function count(results: readonly Result[]): RemediationCounts {
  const out: RemediationCounts = {}
  for (const r of results) out[r.remediation] = (out[r.remediation] ?? 0) + 1
  return out
}
