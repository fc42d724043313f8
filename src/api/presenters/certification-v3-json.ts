import type { Campaign } from '../../domain/certifications/campaign.js'
import type { ItemReason } from '../../domain/certifications/certification-item.js'
import type { Identity } from '../../domain/model.js'
import { describeReason } from '../../domain/plan/describe-reason.js'
import type { AccessSummary } from '../../engine/certifications/certification-summaries.js'
import type { listCertificationsFor, ReviewedItem } from '../../engine/certifications/list-certifications.js'

type Names = ReadonlyMap<string, Identity>
/** A reviewer's certification, as the engine lists it. */
export type Certification = Awaited<ReturnType<typeof listCertificationsFor>>['certifications'][number]

/** `{id, name, type: IDENTITY}` of a person, their name when known (a client that acted has none). */
function reviewerRef(names: Names, id: string): object {
  const person = names.get(id)
  return {
    id,
    name: person?.name ?? id,
    email: person?.attributes['email'] ?? null,
    type: 'IDENTITY',
  }
}

/** The reference's phase of a certification: its campaign's staging, the reviewer's sign-off, or open. */
export function certificationPhase(cert: Certification, campaign: Campaign): 'STAGED' | 'ACTIVE' | 'SIGNED' {
  if (campaign.status === 'PENDING' || campaign.status === 'STAGED') return 'STAGED'
  return cert.signed !== null ? 'SIGNED' : 'ACTIVE'
}

/** A certification in the reference's `IdentityCertificationDto` shape. */
export function certificationV3Json(cert: Certification, campaign: Campaign, names: Names): object {
  return {
    id: cert.id,
    name: cert.name,
    campaign: {
      id: campaign.id,
      name: campaign.name,
      type: 'CAMPAIGN',
      campaignType: campaign.type,
      description: campaign.description,
      correlatedStatus: campaign.spec.correlatedStatus ?? 'CORRELATED',
      mandatoryCommentRequirement: campaign.spec.mandatoryCommentRequirement ?? 'NO_DECISIONS',
    },
    completed: cert.signed !== null,
    identitiesCompleted: cert.identitiesCompleted,
    identitiesTotal: cert.identitiesTotal,
    created: cert.created,
    modified: cert.modified,
    decisionsMade: cert.itemsDecided,
    decisionsTotal: cert.itemsTotal,
    due: campaign.deadline,
    signed: cert.signed,
    reviewer: reviewerRef(names, cert.reviewerId),
    ...(cert.originalReviewerId !== null
      ? {
          reassignment: {
            from: {
              id: cert.id,
              name: cert.name,
              type: 'CERTIFICATION',
              reviewer: reviewerRef(names, cert.originalReviewerId),
            },
            comment: cert.reassignComment ?? '',
          },
        }
      : {}),
    hasErrors: campaign.error !== null,
    errorMessage: campaign.error,
    phase: certificationPhase(cert, campaign),
  }
}

/** A reason as the reviewer reads it: the planner's, with a sentence (`text`) saying it in words. */
function reasonJson(r: ItemReason): object {
  return { ...r, text: describeReason(r) }
}

/**
 * An item under review in the reference's `AccessReviewItem` shape, where its fields map, and Provisio's
 * own: why it is held (`reasons`), whether a REVOKE can remove it (`revocable`, `acknowledgeOnly` saying
 * why not), how common it is among the identity's peers (`peers`: the share holding it, by department,
 * manager and title), and after sign-off what remediation did.
 */
export function accessReviewItemV3Json(item: ReviewedItem, sourceNames: ReadonlyMap<string, string>): object {
  const sourceName = item.sourceId === null ? null : (sourceNames.get(item.sourceId) ?? item.sourceId)
  return {
    id: item.id,
    completed: item.decision !== null,
    // Every item is reviewed as it stood when the campaign was generated; none is marked new since.
    newAccess: false,
    ...(item.decision !== null ? { decision: item.decision } : {}),
    comments: item.comments,
    identitySummary: {
      id: item.identityId,
      name: item.identityName,
      identityId: item.identityId,
      completed: item.decision !== null,
    },
    accessSummary: accessSummaryV3Json({
      itemType: item.itemType,
      accessId: item.accessId,
      name: item.itemName,
      sourceId: item.sourceId,
      sourceName,
      attribute: item.attribute,
      value: item.value,
      revocable: item.revocable,
      nativeIdentity: item.nativeIdentity,
    }),
    // Provisio's own.
    itemType: item.itemType,
    sourceId: item.sourceId,
    sourceName,
    nativeIdentity: item.nativeIdentity,
    reasons: item.reasons.map(reasonJson),
    revocable: item.revocable,
    acknowledgeOnly: item.acknowledgeOnly,
    peers: item.peers,
    proposedEndDate: item.proposedEndDate,
    decidedBy: item.decidedBy,
    decided: item.decided,
    remediation: item.remediation,
    remediationDetail: item.remediationDetail,
  }
}

/** What the reference's `AccessSummary` describes: one access, on one account when it is an item's. */
export type AccessDescription = Omit<AccessSummary, 'completed' | 'identities'> & {
  readonly nativeIdentity?: string | null
}

/** The reference's `AccessSummary`: `access`, and the entitlement, access profile or role it is. */
export function accessSummaryV3Json(a: AccessDescription): object {
  const account =
    a.nativeIdentity === undefined || a.nativeIdentity === null
      ? null
      : { nativeIdentity: a.nativeIdentity, type: 'ACCOUNT', id: null, name: a.nativeIdentity }
  return {
    access: { type: a.itemType, id: a.accessId, name: a.name },
    ...(a.itemType === 'ENTITLEMENT'
      ? {
          entitlement: {
            id: a.accessId,
            name: a.name,
            description: null,
            privileged: false,
            attributeName: a.attribute ?? '',
            attributeValue: a.value ?? '',
            sourceName: a.sourceName ?? '',
            sourceId: a.sourceId ?? '',
            hasPermissions: false,
            isPermission: false,
            revocable: a.revocable,
            cloudGoverned: false,
            account,
          },
        }
      : {}),
    ...(a.itemType === 'ACCESS_PROFILE'
      ? {
          accessProfile: {
            id: a.accessId,
            name: a.name,
            description: '',
            privileged: false,
            cloudGoverned: false,
            endDate: null,
            entitlements: [],
          },
        }
      : {}),
    ...(a.itemType === 'ROLE'
      ? {
          role: {
            id: a.accessId,
            name: a.name,
            description: '',
            privileged: false,
            revocable: a.revocable,
            accessProfiles: [],
            entitlements: [],
          },
        }
      : {}),
  }
}
