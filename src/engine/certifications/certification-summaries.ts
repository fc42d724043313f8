import type { CheckedFilter } from '../../domain/query/check-filters.js'
import type { Identity } from '../../domain/model.js'
import type { Page } from '../../store/paging.js'
import {
  certificationAccessSummaries,
  certificationDecisionCounts,
  certificationIdentitySummaries,
  type AccessSummary,
  type AccessSummaryField,
  type DecisionCounts,
  type IdentitySummary,
  type IdentitySummaryField,
} from '../../store/certification-summaries.js'
import type { EngineContext } from '../engine-context.js'
import { identitiesById } from '../queries/identities-by-id.js'
import type { CampaignActor } from './campaign-actor.js'
import { certificationFor } from './certification-access.js'
import { subjectNamesOf } from './subject-names.js'

export type { AccessSummary, DecisionCounts, IdentitySummary }

/** How many decisions a certification has had and needs, per kind of access (its reviewer's or an administrator's view). */
export async function decisionSummary(
  ctx: EngineContext,
  actor: CampaignActor,
  certificationId: string,
  expression?: CheckedFilter<'identitySummary.id'>,
): Promise<DecisionCounts[]> {
  await certificationFor(ctx, actor, certificationId)
  return certificationDecisionCounts(ctx.db, certificationId, expression)
}

/** The identities a certification reviews (a role composition's: its roles), with whether each is done. */
export async function identitySummaries(
  ctx: EngineContext,
  actor: CampaignActor,
  certificationId: string,
  expression?: CheckedFilter<IdentitySummaryField>,
  page?: Page<'name'>,
): Promise<{ rows: IdentitySummary[]; total: number }> {
  const { campaign } = await certificationFor(ctx, actor, certificationId)
  return certificationIdentitySummaries(
    ctx.db,
    certificationId,
    expression,
    page,
    subjectNamesOf(ctx, campaign),
  )
}

/** The distinct roles, access profiles or entitlements a certification reviews, with whether each is done. */
export async function accessSummaries(
  ctx: EngineContext,
  actor: CampaignActor,
  certificationId: string,
  itemType: 'ROLE' | 'ACCESS_PROFILE' | 'ENTITLEMENT',
  expression?: CheckedFilter<AccessSummaryField>,
  page?: Page<'name'>,
): Promise<{ rows: AccessSummary[]; total: number }> {
  await certificationFor(ctx, actor, certificationId)
  return certificationAccessSummaries(ctx.db, certificationId, itemType, expression, page)
}

/**
 * Who reviews a certification: its reviewer, and whom it was generated for when it was reassigned since
 * (the reference lists the certification's reviewers, past ones included).
 */
export async function certificationReviewers(
  ctx: EngineContext,
  actor: CampaignActor,
  certificationId: string,
): Promise<Identity[]> {
  const { cert } = await certificationFor(ctx, actor, certificationId)
  const ids = [cert.reviewerId, cert.originalReviewerId]
  const people = await identitiesById(ctx, ids)
  return ids.flatMap((id) => (id !== null && people.has(id) ? [people.get(id) as Identity] : []))
}
