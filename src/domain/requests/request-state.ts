import type { ProvisioningStatus } from '../execution/account-activity.js'
import type { RequestItem } from './access-request.js'

/** The reference's state of a requested item (`RequestedItemStatus.state`). */
export type RequestState =
  | 'EXECUTING'
  | 'REQUEST_COMPLETED'
  | 'CANCELLED'
  | 'TERMINATED'
  | 'PROVISIONING_VERIFICATION_PENDING'
  | 'REJECTED'
  | 'PROVISIONING_FAILED'
  | 'NOT_ALL_ITEMS_PROVISIONED'
  | 'ERROR'

export interface RequestPhaseView {
  readonly name: 'APPROVAL_PHASE' | 'PROVISIONING_PHASE'
  readonly state: 'PENDING' | 'EXECUTING' | 'COMPLETED' | 'CANCELLED' | 'NOT_EXECUTED'
  readonly result: 'SUCCESSFUL' | 'FAILED' | null
  readonly started: string | null
  readonly finished: string | null
}

/** Its account activities as far as the state needs them. */
export interface ItemActivity {
  readonly status: ProvisioningStatus
  readonly created: string
  readonly completed: string | null
}

/**
 * A requested item's state, from its phase and its account activities. Approved: provisioning runs until
 * every activity ends; all finished is REQUEST_COMPLETED (none needed — the access was there — too),
 * all failed PROVISIONING_FAILED, some of each NOT_ALL_ITEMS_PROVISIONED; manual work done but not yet
 * verified is PROVISIONING_VERIFICATION_PENDING. A grant whose start date has not come is still executing.
 */
export function requestState(
  item: RequestItem,
  activities: readonly ItemActivity[],
  now: Date,
): RequestState {
  switch (item.phase) {
    case 'APPROVAL':
      return 'EXECUTING'
    case 'REJECTED':
      return 'REJECTED'
    case 'CANCELLED':
      return 'CANCELLED'
    case 'TERMINATED':
      return item.closeDetail?.executionStatus === 'Completed'
        ? item.closeDetail.completionStatus === 'Success'
          ? 'REQUEST_COMPLETED'
          : item.closeDetail.completionStatus === 'Failure'
            ? 'PROVISIONING_FAILED'
            : 'NOT_ALL_ITEMS_PROVISIONED'
        : 'TERMINATED'
    case 'APPROVED':
      break
  }
  if (item.provisioningError !== null && activities.length === 0) return 'ERROR'
  if (item.assignmentId === null) return 'EXECUTING'
  if (item.startDate !== null && Date.parse(item.startDate) > now.getTime() && activities.length === 0) {
    return 'EXECUTING'
  }
  const statuses = activities.map((a) => a.status)
  if (statuses.some((s) => s === 'PENDING' || s === 'RETRY')) return 'EXECUTING'
  if (statuses.some((s) => s === 'COMMITED')) return 'PROVISIONING_VERIFICATION_PENDING'
  const failed = statuses.filter((s) => s === 'FAILED' || s === 'UNVERIFIABLE').length
  if (failed === 0) return 'REQUEST_COMPLETED'
  return failed === statuses.filter((s) => s !== 'CANCELED').length
    ? 'PROVISIONING_FAILED'
    : 'NOT_ALL_ITEMS_PROVISIONED'
}

/** The approval and provisioning phases with their times, as `accessRequestPhases` shows them. */
export function requestPhases(
  item: RequestItem,
  state: RequestState,
  activities: readonly ItemActivity[],
): RequestPhaseView[] {
  const approvalEnded = item.decided
  const approval: RequestPhaseView = {
    name: 'APPROVAL_PHASE',
    state:
      item.phase === 'APPROVAL'
        ? 'EXECUTING'
        : item.phase === 'CANCELLED' || item.phase === 'TERMINATED'
          ? 'CANCELLED'
          : 'COMPLETED',
    result: item.phase === 'APPROVED' ? 'SUCCESSFUL' : item.phase === 'REJECTED' ? 'FAILED' : null,
    started: item.created,
    finished: item.phase === 'APPROVAL' ? null : (approvalEnded ?? item.closed),
  }
  if (item.phase !== 'APPROVED') {
    return [
      approval,
      { name: 'PROVISIONING_PHASE', state: 'NOT_EXECUTED', result: null, started: null, finished: null },
    ]
  }
  const done = state !== 'EXECUTING' && state !== 'PROVISIONING_VERIFICATION_PENDING'
  const last = activities
    .map((a) => a.completed)
    .filter((c): c is string => c !== null)
    .sort()
    .at(-1)
  return [
    approval,
    {
      name: 'PROVISIONING_PHASE',
      state: done ? 'COMPLETED' : 'EXECUTING',
      result: !done ? null : state === 'REQUEST_COMPLETED' ? 'SUCCESSFUL' : 'FAILED',
      started: activities[0]?.created ?? approvalEnded,
      finished: done ? (last ?? approvalEnded) : null,
    },
  ]
}
