import type { Approval, WorkItemEvent } from '../../domain/requests/approval.js'
import type { RequestItem } from '../../domain/requests/access-request.js'
import type { RequestStatus } from '../../engine/requests/request-status.js'

type Names = ReadonlyMap<string, { readonly name: string }>

/**
 * The object without its null fields: the reference's schemas declare most of these fields non-nullable
 * strings or objects, and leave them out when there is nothing to say.
 */
function compact(o: Record<string, unknown>): object {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined))
}

/** `{type: IDENTITY, id, name}` of an identity id, its name when known. */
export function identityRef(
  names: Names,
  id: string | null,
): { type: 'IDENTITY'; id: string; name: string } | null {
  if (id === null) return null
  return { type: 'IDENTITY', id, name: names.get(id)?.name ?? id }
}

/** The reference's approval scheme of a step (an owner is the access profile's, role's or entitlement's). */
function schemeOf(item: RequestItem, a: Approval): string {
  if (a.scheme !== 'OWNER') return a.scheme
  return { ROLE: 'ROLE_OWNER', ACCESS_PROFILE: 'ACCESS_PROFILE_OWNER', ENTITLEMENT: 'ENTITLEMENT_OWNER' }[
    item.itemType
  ]
}

function forwardHistory(names: Names, reassignments: readonly WorkItemEvent[]): object[] {
  return reassignments
    .filter((e) => e.action === 'FORWARDED' || e.action === 'ESCALATED')
    .map((e) => ({
      oldApproverName: identityRef(names, e.fromOwner)?.name ?? '',
      newApproverName: identityRef(names, e.toOwner)?.name ?? '',
      comment: e.comment,
      modified: e.at,
      forwarderName: e.actor === null ? null : (identityRef(names, e.actor)?.name ?? e.actor),
      reassignmentType: e.action === 'ESCALATED' ? 'AUTOMATIC_REASSIGNMENT' : 'MANUAL_REASSIGNMENT',
    }))
}

/** A requested item in the reference's `RequestedItemStatus` shape (`GET /v3/access-request-status`). */
export function requestStatusV3Json(s: RequestStatus): object {
  const { item, identities: names } = s
  const requester = identityRef(names, item.requesterId)
  return compact({
    id: item.itemId,
    name: item.itemName,
    type: item.itemType,
    cancelledRequestDetails:
      item.phase === 'CANCELLED'
        ? {
            comment: s.approvals.find((a) => a.status === 'CANCELLED')?.comment ?? null,
            modified: item.modified,
          }
        : null,
    errorMessages: item.provisioningError
      ? [[{ locale: 'en-US', localeOrigin: 'DEFAULT', text: item.provisioningError }]]
      : s.activities.flatMap((a) =>
          a.errors.length > 0
            ? [a.errors.map((e) => ({ locale: 'en-US', localeOrigin: 'DEFAULT', text: e.message }))]
            : [],
        ),
    state: s.state,
    approvalDetails: s.approvals.map((a) => ({
      approvalId: a.id,
      forwarded: a.reassignments.some((e) => e.action === 'FORWARDED'),
      originalOwner: identityRef(names, a.originalOwner) ?? {
        type: 'GOVERNANCE_GROUP',
        id: a.ownerGroup,
        name: a.ownerGroup,
      },
      currentOwner: identityRef(names, a.decidedBy ?? a.owner),
      modified: a.modified,
      status: a.status,
      scheme: schemeOf(item, a),
      errorMessages: [],
      comment: a.comment,
      removeDate: item.removeDate,
    })),
    approvalIds: s.approvals.map((a) => a.id),
    manualWorkItemDetails: s.manualWorkItems.map((w) => ({
      forwarded: false,
      originalOwner: { type: 'IDENTITY', id: w.owner, name: w.owner },
      currentOwner: { type: 'IDENTITY', id: w.owner, name: w.owner },
      modified: w.completed ?? w.created,
      status:
        w.state === 'Pending'
          ? 'PENDING'
          : w.state === 'Finished'
            ? 'APPROVED'
            : w.state === 'Rejected'
              ? 'REJECTED'
              : 'CANCELLED',
      forwardHistory: [],
    })),
    accountActivityItemId: item.requestId,
    requestType: item.requestType,
    modified: item.modified,
    created: item.created,
    requester: requester ?? {
      type: 'IDENTITY',
      id: item.requesterClient,
      name: `client ${item.requesterClient ?? ''}`,
    },
    requestedFor: identityRef(names, item.identityId),
    requesterComment:
      item.comment === null ? null : { comment: item.comment, created: item.created, author: requester },
    sodViolationContext: null,
    provisioningDetails: { orderedSubPhaseReferences: s.activities.map((a) => a.id).join(',') },
    preApprovalTriggerDetails: null,
    accessRequestPhases: s.phases.map((p) => ({
      started: p.started,
      finished: p.finished,
      name: p.name,
      state: p.state,
      result: p.result,
      phaseReference: p.name === 'APPROVAL_PHASE' ? 'approvalDetails' : 'provisioningDetails',
    })),
    description: null,
    startDate: item.startDate,
    removeDate: item.removeDate,
    cancelable: s.cancelable,
    accessRequestId: item.requestId,
    clientMetadata: item.clientMetadata,
    requestedAccounts:
      item.nativeIdentity === null
        ? null
        : [{ nativeIdentity: item.nativeIdentity, sourceId: item.sourceId }],
    privilegeLevel: null,
    // Provisio's own: the account activities with their states and errors.
    accountActivities: s.activities.map((a) => ({
      id: a.id,
      operation: a.operation,
      status: a.status,
      attempts: a.attempts,
      nextAttemptAt: a.nextAttemptAt,
      errors: a.errors,
      created: a.created,
      completed: a.completed,
    })),
  })
}

/** A pending or completed approval in the reference's `PendingApproval` / `CompletedApproval` shape. */
export function approvalV3Json(
  s: RequestStatus,
  a: Approval & { reassignments: readonly WorkItemEvent[] },
): object {
  const { item, identities: names } = s
  const requester = identityRef(names, item.requesterId)
  const previous = s.approvals
    .filter((p) => p.step < a.step && p.comment !== null)
    .map((p) => ({ comment: p.comment, created: p.completed, author: identityRef(names, p.decidedBy) }))
  const common = {
    id: a.id,
    accessRequestId: item.requestId,
    name: item.itemName,
    created: a.created,
    modified: a.modified,
    requestCreated: item.created,
    requestType: item.requestType,
    requester: requester ?? {
      type: 'IDENTITY',
      id: item.requesterClient,
      name: `client ${item.requesterClient ?? ''}`,
    },
    requestedFor: identityRef(names, item.identityId),
    owner:
      a.owner !== null
        ? identityRef(names, a.owner)
        : { type: 'GOVERNANCE_GROUP', id: a.ownerGroup, name: a.ownerGroup },
    requestedObject: { id: item.itemId, name: item.itemName, type: item.itemType },
    requesterComment: { comment: item.comment, created: item.created, author: requester },
    previousReviewersComments: previous,
    forwardHistory: forwardHistory(names, a.reassignments),
    commentRequiredWhenRejected: false,
    removeDate: item.removeDate,
    removeDateUpdateRequested: false,
    currentRemoveDate: item.removeDate,
    startDate: item.startDate,
    startUpdateRequested: false,
    currentStartDate: item.startDate,
    sodViolationContext: null,
    clientMetadata: item.clientMetadata,
    requestedAccounts: null,
    privilegeLevel: null,
    scheme: schemeOf(item, a),
    step: a.step + 1,
  }
  if (a.status === 'PENDING') return compact(common)
  return compact({
    ...common,
    reviewedBy: identityRef(names, a.decidedBy),
    reviewerComment:
      a.comment === null
        ? null
        : { comment: a.comment, created: a.completed, author: identityRef(names, a.decidedBy) },
    state: a.status === 'REJECTED' ? 'REJECTED' : 'APPROVED',
  })
}
