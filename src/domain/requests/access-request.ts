import type { AssignedItemType } from '../plan/assignment.js'
import type { ChainStep } from './approval-chain.js'

export type RequestType = 'GRANT_ACCESS' | 'REVOKE_ACCESS'

/** Where a requested item stands, as stored: the approval chain under way, or how it ended. */
export type RequestPhase = 'APPROVAL' | 'APPROVED' | 'REJECTED' | 'CANCELLED' | 'TERMINATED'

/**
 * One requested item for one identity (the reference's requested item): an access request of several
 * items or for several identities is several of these, sharing `requestId`.
 */
export interface RequestItem {
  readonly id: string
  readonly requestId: string
  readonly requestType: RequestType
  /** The identity that asked; null when an API client without an identity did (`requesterClient`). */
  readonly requesterId: string | null
  readonly requesterClient: string | null
  readonly identityId: string
  readonly itemType: AssignedItemType
  readonly itemId: string
  readonly itemName: string
  readonly sourceId: string | null
  readonly comment: string | null
  readonly startDate: string | null
  readonly removeDate: string | null
  readonly clientMetadata: Readonly<Record<string, string>> | null
  readonly nativeIdentity: string | null
  readonly phase: RequestPhase
  readonly schemes: readonly ChainStep[]
  readonly step: number
  readonly assignmentId: string | null
  /** The account activities its approval's provisioning wrote. */
  readonly activityIds: readonly string[]
  /** Why its provisioning could not be started (the identity stays queued for the next refresh). */
  readonly provisioningError: string | null
  readonly decided: string | null
  readonly closed: string | null
  readonly closeDetail: CloseDetail | null
  readonly created: string
  readonly modified: string
}

/** An administrator's close of a stuck request (the reference's `/access-requests/close`). */
export interface CloseDetail {
  readonly executionStatus: 'Terminated' | 'Completed'
  readonly completionStatus: 'Success' | 'Incomplete' | 'Failure'
  readonly message: string
  readonly by: string
}
