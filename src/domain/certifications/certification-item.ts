import { InputError } from '../errors.js'
import type { PlanReason } from '../plan/plan-item.js'
import type { CampaignSpec, Decision } from './campaign.js'
import type { ReviewItemType } from './review-items.js'

/** What remediation did with an item after sign-off. */
export type Remediation = 'PENDING' | 'DONE' | 'FAILED' | 'KEPT' | 'SCHEDULED' | 'NONE'

/** A reason as a reviewer sees it: the planner's, and for an access request its requester and approvers. */
export type ItemReason = PlanReason & {
  readonly request?: {
    readonly id: string
    readonly requester: string | null
    readonly approvers: readonly string[]
  }
}

/** One stored certification item: an identity's access item under review. */
export interface CertificationItem {
  readonly id: string
  readonly campaignId: string
  readonly certificationId: string
  readonly identityId: string
  readonly itemType: ReviewItemType
  readonly itemId: string
  readonly itemName: string
  readonly sourceId: string | null
  readonly attribute: string | null
  readonly value: string | null
  readonly nativeIdentity: string | null
  readonly reasons: readonly ItemReason[]
  readonly revocable: boolean
  readonly acknowledgeOnly: string | null
  readonly assignmentIds: readonly string[]
  /** Share of the identity's peers holding it, by what they share (department, manager, title). */
  readonly peers: Readonly<Record<string, number>>
  readonly decision: Decision | null
  readonly proposedEndDate: string | null
  readonly comments: string | null
  readonly decidedBy: string | null
  readonly decided: string | null
  readonly remediation: Remediation | null
  readonly remediationDetail: string | null
  readonly activityIds: readonly string[]
}

/** One decision as `/certifications/{id}/decide` takes it. */
export interface ItemDecision {
  readonly id: string
  readonly decision: Decision
  readonly proposedEndDate?: string | null
  readonly comments?: string | null
}

/**
 * Checks one decision against its item and the campaign's options; the reason it is refused, or null.
 * Acknowledge-only access takes APPROVE only (it says why); comments as `mandatoryCommentRequirement`
 * requires; a proposed end date only with REVOKE, in the future, and then a comment when
 * `sunsetCommentsRequired` (the reference's default).
 */
export function decisionProblem(
  item: Pick<CertificationItem, 'id' | 'itemName' | 'revocable' | 'acknowledgeOnly'>,
  d: ItemDecision,
  spec: Pick<CampaignSpec, 'mandatoryCommentRequirement' | 'sunsetCommentsRequired'>,
  now: Date,
): string | null {
  const what = `item ${item.id} ("${item.itemName}")`
  const comment = (d.comments ?? '').trim()
  if (d.decision === 'REVOKE' && !item.revocable) {
    return `${what} cannot be revoked here: ${item.acknowledgeOnly ?? 'it is acknowledge-only'}`
  }
  const required = spec.mandatoryCommentRequirement ?? 'NO_DECISIONS'
  if (
    comment === '' &&
    (required === 'ALL_DECISIONS' || (required === 'REVOKE_ONLY_DECISIONS' && d.decision === 'REVOKE'))
  ) {
    return `${what}: a comment is required for ${d.decision === 'REVOKE' ? 'a revocation' : 'every decision'} in this campaign`
  }
  if (d.proposedEndDate !== undefined && d.proposedEndDate !== null) {
    if (d.decision !== 'REVOKE') return `${what}: proposedEndDate goes with REVOKE only`
    const at = Date.parse(d.proposedEndDate)
    if (Number.isNaN(at)) return `${what}: proposedEndDate "${d.proposedEndDate}" is not a date-time`
    if (at <= now.getTime()) return `${what}: proposedEndDate must be in the future`
    if (comment === '' && spec.sunsetCommentsRequired !== false) {
      return `${what}: a comment is required with a proposed end date (sunsetCommentsRequired)`
    }
  }
  return null
}

/** Throws an InputError listing every refused decision (none is recorded then). */
export function checkDecisions(
  items: ReadonlyMap<string, Pick<CertificationItem, 'id' | 'itemName' | 'revocable' | 'acknowledgeOnly'>>,
  decisions: readonly ItemDecision[],
  spec: Pick<CampaignSpec, 'mandatoryCommentRequirement' | 'sunsetCommentsRequired'>,
  now: Date,
): void {
  const problems: string[] = []
  const seen = new Set<string>()
  for (const d of decisions) {
    if (seen.has(d.id)) problems.push(`item ${d.id} is decided twice in one call`)
    seen.add(d.id)
    const item = items.get(d.id)
    if (!item) {
      problems.push(`no item ${d.id} in this certification`)
      continue
    }
    const problem = decisionProblem(item, d, spec, now)
    if (problem !== null) problems.push(problem)
  }
  if (problems.length > 0) throw new InputError(problems.join('; '))
}

/** The account an item is on (its identity's, on its source): an account item and what it holds share it. */
export function accountKeyOf(
  i: Pick<CertificationItem, 'identityId' | 'sourceId' | 'nativeIdentity'>,
): string {
  return `${i.identityId}\u0000${i.sourceId ?? ''}\u0000${i.nativeIdentity ?? ''}`
}
