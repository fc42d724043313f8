import type { Campaign } from '../../domain/certifications/campaign.js'
import { compositionItems } from '../../domain/certifications/role-composition.js'
import type { ReviewItem } from '../../domain/certifications/review-items.js'
import type { RoleConfig } from '../../domain/config/config-schemas.js'
import { findRole } from '../../domain/config/workspace-config.js'
import { InputError } from '../../domain/errors.js'
import { newId } from '../../domain/new-id.js'
import { configId } from '../../domain/plan/build-planning-model.js'
import { readFilters, type FilterFields } from '../../domain/query/check-filters.js'
import { matchesFilter } from '../../domain/query/match-filter.js'
import { insertCertificationItems, type NewCertificationItem } from '../../store/certification-items.js'
import { insertCertifications } from '../../store/certifications.js'
import { findIdentity } from '../../store/identities.js'
import { capabilitiesOf } from '../auth/identity-capabilities.js'
import type { EngineContext } from '../engine-context.js'
import { planningModelOf } from '../plan-identities.js'
import { holdWhileGenerated, type Generated } from './generate-campaign.js'
import { roleHolders } from './role-holders.js'

/** What `roleCompositionCampaignInfo.query` may filter roles on (v3 `filters`, as `/v3/roles` takes them). */
const ROLE_FILTER_FIELDS: FilterFields<
  'id' | 'name' | 'owner.name' | 'owner.id' | 'requestable' | 'enabled'
> = {
  id: { type: 'string', operators: ['eq', 'in'] },
  name: { type: 'string', operators: ['eq', 'in', 'sw', 'co'], caseInsensitive: true },
  'owner.name': { type: 'string', operators: ['eq', 'in'] },
  'owner.id': { type: 'string', operators: ['eq', 'in'] },
  requestable: { type: 'boolean', operators: ['eq'] },
  enabled: { type: 'boolean', operators: ['eq'] },
}

/**
 * Generates a ROLE_COMPOSITION campaign: for each chosen role (its `roleIds`, those its `query` matches,
 * else every role), one item per access profile and entitlement it is made of, reviewed by the named
 * reviewer, else the role's owner. The item's identity is the role (the subject of the review). Nobody
 * reviews a role they hold: it goes to their manager, else the campaign's owner (else it is left out). One
 * planner pass over everyone counts each role's members (the reviewer's context) and finds who holds it.
 */
export async function generateRoleComposition(ctx: EngineContext, campaign: Campaign): Promise<Generated> {
  const t0 = performance.now()
  const info = campaign.spec.roleCompositionCampaignInfo
  if (!info) throw new InputError('a ROLE_COMPOSITION campaign needs roleCompositionCampaignInfo')
  await checkRemediator(ctx, info.remediatorRef.id)
  const skipped: string[] = []
  const roles = chosenRoles(ctx, info).filter((r) => {
    if (!r.enabled) skipped.push(`role "${r.name}": disabled`)
    return r.enabled
  })
  const wanted = new Set(roles.map(configId))
  const model = await planningModelOf(ctx, ctx.config)

  const { holders, people } = await roleHolders(ctx, wanted)

  const fixed = info.reviewer !== undefined ? await reviewerOf(ctx, info.reviewer) : null
  const problems: string[] = []
  const byReviewer = new Map<string, { roleId: string; items: ReviewItem[] }[]>()
  for (const r of roles) {
    const id = configId(r)
    const granted = model.assignableRoles?.get(id)
    const planned = model.roles.find((p) => p.id === id)
    const members = holders.get(id) ?? new Set<string>()
    const items = granted
      ? compositionItems(
          { ...granted, membership: planned?.detail, members: members.size },
          model.accessProfiles,
        )
      : []
    if (items.length === 0) {
      skipped.push(`role "${r.name}": no access profiles or entitlements to review`)
      continue
    }
    const named = fixed ?? (await ownerOf(ctx, r))
    if (named === undefined) {
      problems.push(`role "${r.name}" has no owner who is an identity`)
      continue
    }
    // Nobody reviews a role they hold: their manager does, else the campaign's owner, else its manager.
    const owner = campaign.ownerId
    const reviewerId = [
      named,
      people.get(named)?.managerId ?? null,
      owner,
      owner !== null ? (people.get(owner)?.managerId ?? null) : null,
    ].find((c): c is string => c !== null && !members.has(c))
    if (reviewerId === undefined) {
      skipped.push(`role "${r.name}": everyone who could review it holds it`)
      continue
    }
    const list = byReviewer.get(reviewerId)
    if (list) list.push({ roleId: id, items })
    else byReviewer.set(reviewerId, [{ roleId: id, items }])
  }
  if (problems.length > 0) {
    throw new InputError(
      `a ROLE_COMPOSITION campaign without a reviewer needs each role's owner: ${problems.join('; ')}`,
    )
  }

  const reviewers = [...byReviewer.keys()]
  const rows: NewCertificationItem[] = []
  await ctx.db.transaction(async (tx) => {
    await holdWhileGenerated(tx, campaign)
    const certIds = await insertCertifications(
      tx,
      campaign.id,
      reviewers.map((r) => ({ reviewerId: r, name: `${campaign.spec.name}: ${people.get(r)?.name ?? r}` })),
      ctx.now(),
    )
    reviewers.forEach((reviewerId, n) => {
      for (const { roleId, items } of byReviewer.get(reviewerId) ?? []) {
        for (const i of items) {
          rows.push({
            id: newId(),
            campaignId: campaign.id,
            certificationId: certIds[n] as string,
            identityId: roleId,
            itemType: i.itemType,
            itemId: i.itemId,
            itemName: i.itemName,
            sourceId: i.sourceId,
            attribute: i.attribute,
            value: i.value,
            nativeIdentity: null,
            reasonsJson: JSON.stringify(i.reasons),
            revocable: i.revocable,
            acknowledgeOnly: i.acknowledgeOnly,
            assignmentIds: [],
            peers: {},
          })
        }
      }
    })
    await insertCertificationItems(tx, rows)
  })
  return {
    certifications: reviewers.length,
    items: rows.length,
    identities: [...byReviewer.values()].reduce((n, list) => n + list.length, 0),
    skipped,
    durationMs: performance.now() - t0,
  }
}

/** The roles a campaign reviews: its roleIds (by id or name), those its query matches, else all. */
function chosenRoles(
  ctx: EngineContext,
  info: NonNullable<Campaign['spec']['roleCompositionCampaignInfo']>,
): RoleConfig[] {
  const all = ctx.config.roles.map((r) => r.value)
  if (info.roleIds !== undefined) {
    const missing = info.roleIds.filter((id) => findRole(ctx.config, id) === undefined)
    if (missing.length > 0) {
      throw new InputError(
        `roleCompositionCampaignInfo.roleIds: no role ${missing.map((m) => `"${m}"`).join(', ')}`,
      )
    }
    const ids = new Set(info.roleIds.map((id) => configId(findRole(ctx.config, id) as RoleConfig)))
    return all.filter((r) => ids.has(configId(r)))
  }
  if (info.query !== undefined) {
    let filter
    try {
      filter = readFilters(info.query, ROLE_FILTER_FIELDS)
    } catch (err) {
      throw new InputError(
        `roleCompositionCampaignInfo.query: ${err instanceof Error ? err.message : String(err)}`,
      )
    }
    return all.filter((r) =>
      matchesFilter(filter, (field) => {
        switch (field) {
          case 'id':
            return configId(r)
          case 'name':
            return r.name
          case 'owner.name':
            return r.owner?.name
          case 'owner.id':
            return r.owner?.id
          case 'requestable':
            return r.requestable
          case 'enabled':
            return r.enabled
        }
      }),
    )
  }
  return all
}

/** The remediator must be an identity who administers roles (ROLE_ADMIN or ORG_ADMIN), as in the reference. */
async function checkRemediator(ctx: EngineContext, ref: string): Promise<void> {
  const who = await findIdentity(ctx.db, ref)
  if (!who) throw new InputError(`roleCompositionCampaignInfo.remediatorRef: no identity "${ref}"`)
  const can = capabilitiesOf(ctx, who)
  if (!can.includes('ROLE_ADMIN') && !can.includes('ORG_ADMIN')) {
    throw new InputError(
      `roleCompositionCampaignInfo.remediatorRef: ${who.name} must have ROLE_ADMIN or ORG_ADMIN (settings "capabilities")`,
    )
  }
}

async function reviewerOf(
  ctx: EngineContext,
  ref: { id: string; type?: string | undefined },
): Promise<string> {
  if (ref.type !== undefined && ref.type !== 'IDENTITY') {
    throw new InputError(
      `roleCompositionCampaignInfo.reviewer.type: only an IDENTITY reviews here, not ${ref.type}`,
    )
  }
  const who = await findIdentity(ctx.db, ref.id)
  if (!who) throw new InputError(`roleCompositionCampaignInfo.reviewer: no identity "${ref.id}"`)
  return who.id
}

async function ownerOf(ctx: EngineContext, role: RoleConfig): Promise<string | undefined> {
  const ref = role.owner?.id ?? role.owner?.name
  return ref !== undefined ? (await findIdentity(ctx.db, ref))?.id : undefined
}
