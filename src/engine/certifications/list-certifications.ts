import type { Campaign } from '../../domain/certifications/campaign.js'
import type { CertificationItem } from '../../domain/certifications/certification-item.js'
import { ForbiddenError } from '../../domain/errors.js'
import {
  countCampaigns,
  listCampaigns,
  type CampaignFilter,
  type CampaignSortField,
} from '../../store/campaigns.js'
import {
  countCertificationItems,
  listCertificationItems,
  type CertificationItemFilter,
  type CertificationItemSortField,
} from '../../store/certification-items.js'
import {
  countCertifications,
  listCertifications,
  type Certification,
  type CertificationFilter,
  type CertificationSortField,
} from '../../store/certifications.js'
import { entitlementKey, type EntitlementParts } from '../../domain/plan/entitlement-key.js'
import { entitlementIdsByKey } from '../../store/entitlements.js'
import { loadIdentitiesById } from '../../store/identities.js'
import type { Page } from '../../store/paging.js'
import type { EngineContext } from '../engine-context.js'
import { isCampaignAdmin, requireCampaignAdmin, type CampaignActor } from './campaign-actor.js'
import { certificationFor } from './certification-access.js'
import { subjectNamesOf } from './subject-names.js'

/** Campaigns, for campaign administrators. */
export async function listCampaignsFor(
  ctx: EngineContext,
  actor: CampaignActor,
  filter: CampaignFilter,
  page?: Page<CampaignSortField>,
): Promise<{ campaigns: Campaign[]; total: number }> {
  requireCampaignAdmin(actor, 'listing campaigns')
  const [campaigns, total] = await Promise.all([
    listCampaigns(ctx.db, filter, page),
    countCampaigns(ctx.db, filter),
  ])
  return { campaigns, total }
}

/**
 * Certifications: a reviewer sees their own; a campaign administrator every one, or a reviewer's.
 * `mine` limits an administrator to their own too (the reference's `reviewer-identity=me`).
 */
export async function listCertificationsFor(
  ctx: EngineContext,
  actor: CampaignActor,
  filter: {
    ids?: readonly string[]
    campaignIds?: readonly string[]
    reviewerIds?: readonly string[]
    signed?: boolean
    mine?: boolean
    /** Every reviewer's, asked for by name (`reviewer-identity=all`): an administrator's only. */
    all?: boolean
    activeOnly?: boolean
    expression?: CertificationFilter['expression']
  },
  page?: Page<CertificationSortField>,
): Promise<{ certifications: Certification[]; total: number }> {
  const admin = isCampaignAdmin(actor)
  // Asked for, not narrowed to the reviewer's own without a word: refused as another reviewer's are.
  if (filter.all === true) requireCampaignAdmin(actor, "listing every reviewer's certifications")
  let reviewerIds = filter.reviewerIds
  if (!admin || filter.mine === true) {
    if (actor.identityId === null) {
      throw new ForbiddenError('certifications are listed for a person: this client acts for none')
    }
    if (reviewerIds && reviewerIds.some((r) => r !== actor.identityId) && !admin) {
      throw new ForbiddenError("listing another reviewer's certifications needs ORG_ADMIN or CERT_ADMIN")
    }
    reviewerIds = [actor.identityId]
  }
  const where = {
    ...(filter.ids ? { ids: filter.ids } : {}),
    ...(filter.expression ? { expression: filter.expression } : {}),
    ...(filter.campaignIds ? { campaignIds: filter.campaignIds } : {}),
    ...(reviewerIds ? { reviewerIds } : {}),
    ...(filter.signed !== undefined ? { signed: filter.signed } : {}),
    // A reviewer sees certifications to work on and those done, never a staged campaign's (not told yet).
    campaignStatuses:
      filter.activeOnly === true ? ['ACTIVE'] : admin ? undefined : ['ACTIVE', 'COMPLETING', 'COMPLETED'],
  }
  const clean = Object.fromEntries(Object.entries(where).filter(([, v]) => v !== undefined))
  const [certifications, total] = await Promise.all([
    listCertifications(ctx.db, clean, page),
    countCertifications(ctx.db, clean),
  ])
  return { certifications, total }
}

/**
 * An item as a reviewer reads it: with the name of the identity it is for, and the id its access is known
 * by outside the campaign — the stored entitlement's id for an entitlement (the item keeps the planner's
 * key, source, attribute and value), the role's, access profile's or account's own id otherwise.
 */
export type ReviewedItem = CertificationItem & { readonly identityName: string; readonly accessId: string }

/** The items of a certification the actor may see, a page at a time, with identity names. */
export async function certificationItemsFor(
  ctx: EngineContext,
  actor: CampaignActor,
  certificationId: string,
  filter: Omit<CertificationItemFilter, 'certificationIds' | 'campaignIds'> = {},
  page?: Page<CertificationItemSortField>,
): Promise<{ items: ReviewedItem[]; total: number; certification: Certification; campaign: Campaign }> {
  const { cert, campaign } = await certificationFor(ctx, actor, certificationId)
  const subjectNames = subjectNamesOf(ctx, campaign)
  const where = { ...filter, certificationIds: [certificationId], ...(subjectNames ? { subjectNames } : {}) }
  const [items, total] = await Promise.all([
    listCertificationItems(ctx.db, where, page),
    countCertificationItems(ctx.db, where),
  ])
  const [people, entitlementIds] = await Promise.all([
    loadIdentitiesById(ctx.db, [...new Set(items.map((i) => i.identityId))]),
    entitlementIdsByKey(ctx.db, items.flatMap(entitlementRef)),
  ])
  const names = new Map(people.map((p) => [p.id, p.name]))
  return {
    // A role composition item's subject is the role: it is named by the role's name.
    items: items.map((i) => ({
      ...i,
      identityName: names.get(i.identityId) ?? subjectNames?.get(i.identityId) ?? i.identityId,
      accessId: entitlementRef(i).map((r) => entitlementIds.get(keyOf(r)))[0] ?? i.itemId,
    })),
    total,
    certification: cert,
    campaign,
  }
}

const keyOf = (r: EntitlementParts): string => entitlementKey(r.sourceId, r.attribute, r.value)

function entitlementRef(i: CertificationItem): EntitlementParts[] {
  return i.itemType === 'ENTITLEMENT' && i.sourceId !== null && i.attribute !== null && i.value !== null
    ? [{ sourceId: i.sourceId, attribute: i.attribute, value: i.value }]
    : []
}
