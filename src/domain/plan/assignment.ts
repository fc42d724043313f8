import type { EntitlementParts } from './entitlement-key.js'

/**
 * Where an assignment came from: an administrator by hand now; an approved access request and a
 * certification decision with the issues that bring them.
 */
export type AssignmentOrigin = 'ADMIN' | 'ACCESS_REQUEST' | 'CERTIFICATION'
export const ASSIGNMENT_ORIGINS: readonly AssignmentOrigin[] = ['ADMIN', 'ACCESS_REQUEST', 'CERTIFICATION']

export type AssignedItemType = 'ROLE' | 'ACCESS_PROFILE' | 'ENTITLEMENT'

/**
 * Access a person was given, as the planner reads it: the item, where it came from, and when it
 * holds. Access that policy computes (lifecycle state, role criteria, identity lists) is never one.
 */
export interface PlanAssignment {
  readonly id: string
  readonly origin: AssignmentOrigin
  readonly itemType: AssignedItemType
  /** A role's or access profile's configuration id; an entitlement's stored id. */
  readonly itemId: string
  /** The item's name when it was assigned: still shown once the item is gone. */
  readonly itemName: string
  /** For an entitlement, where it is; absent when the stored entitlement no longer exists. */
  readonly entitlement?: EntitlementParts
  /** ISO times: before `startDate` and from `removeDate` on, the assignment grants nothing. */
  readonly startDate: string | null
  readonly removeDate: string | null
  /** The account that receives it, chosen at request time by an identity with several on the source. */
  readonly nativeIdentity?: string | null
}

/** A stored assignment: what the planner reads, and who made it, when, and from which request or campaign. */
export interface Assignment extends PlanAssignment {
  readonly identityId: string
  readonly requestId: string | null
  readonly campaignId: string | null
  readonly createdBy: string | null
  readonly created: string
  readonly modified: string
}

/**
 * What an assignment does at a moment: grants (ACTIVE), not yet or no longer (NOT_STARTED, ENDED),
 * nothing because the identity's lifecycle state says so (SUSPENDED), or nothing because its item is
 * gone from the configuration or the store (UNRESOLVED).
 */
export type AssignmentStatus = 'ACTIVE' | 'NOT_STARTED' | 'ENDED' | 'SUSPENDED' | 'UNRESOLVED'

/** ACTIVE from its start date (inclusive) until its remove date (exclusive), as far as the dates go. */
export function datedStatus(
  a: Pick<PlanAssignment, 'startDate' | 'removeDate'>,
  now: Date,
): 'ACTIVE' | 'NOT_STARTED' | 'ENDED' {
  const t = now.getTime()
  if (a.startDate !== null && t < Date.parse(a.startDate)) return 'NOT_STARTED'
  if (a.removeDate !== null && t >= Date.parse(a.removeDate)) return 'ENDED'
  return 'ACTIVE'
}

const ITEM_WORDS: Record<AssignedItemType, string> = {
  ROLE: 'role',
  ACCESS_PROFILE: 'access profile',
  ENTITLEMENT: 'entitlement',
}

/** `access profile "Operations Team"`. */
export function describeAssignedItem(a: Pick<PlanAssignment, 'itemType' | 'itemName'>): string {
  return `${ITEM_WORDS[a.itemType]} "${a.itemName}"`
}

/** `ADMIN assignment 01J… from 2027-01-01T00:00:00.000Z until 2027-02-01T00:00:00.000Z`. */
export function describeAssignment(
  a: Pick<PlanAssignment, 'id' | 'origin' | 'startDate' | 'removeDate'>,
): string {
  return (
    `${a.origin} assignment ${a.id}` +
    (a.startDate !== null ? ` from ${a.startDate}` : '') +
    (a.removeDate !== null ? ` until ${a.removeDate}` : '')
  )
}
