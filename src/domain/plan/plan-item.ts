import type { AssignedItemType, AssignmentOrigin } from './assignment.js'

/**
 * Why an item is in the plan: the role, access profile, lifecycle state, sync mapping or assignment
 * behind it. An assignment's reason has its id as `id`, the assigned item's name as `name`, and its
 * origin and dates.
 */
export interface PlanReason {
  readonly kind:
    | 'ASSIGNMENT'
    | 'ROLE'
    | 'ACCESS_PROFILE'
    | 'LIFECYCLE_STATE'
    | 'ATTRIBUTE_SYNC'
    | 'ACCESS_REQUEST'
    | 'PROVISIONING_POLICY'
    | 'CERTIFICATION'
    // An account that is the identity's record on its authoritative source (a certification item's reason).
    | 'AUTHORITATIVE_SOURCE'
  readonly name: string
  readonly id?: string
  /** A human explanation, e.g. `department EQUALS "Engineering"` or `via role "Engineering"`. */
  readonly detail?: string
  /** An access profile's reason: what granted the access profile (a role, a lifecycle state, an assignment). */
  readonly via?: 'ROLE' | 'LIFECYCLE_STATE' | 'ACCESS_REQUEST' | 'ASSIGNMENT'
  /** An assignment's reason: where it came from, and its dates (absent: none). */
  readonly origin?: AssignmentOrigin
  readonly itemType?: AssignedItemType
  readonly startDate?: string
  readonly removeDate?: string
  /** An assignment's reason: the account chosen for it at request time. */
  readonly account?: string
  /** A certification's reason: who decided (identity id and name) and the certification it was in. */
  readonly reviewer?: { readonly id: string; readonly name: string }
  readonly certificationId?: string
}

export type AccountOperation = 'Create' | 'Modify' | 'Enable' | 'Disable' | 'Delete'
export type AttributeOperation = 'Add' | 'Remove' | 'Set'

/**
 * One line of a plan. A Create or Modify carries one attribute each (several items share the account);
 * Enable, Disable and Delete carry none. `nativeIdentity` is null for an account still to be created.
 */
export interface PlanItem {
  readonly identityId: string
  readonly identityName: string
  readonly sourceId: string
  readonly sourceName: string
  readonly nativeIdentity: string | null
  readonly operation: AccountOperation
  readonly attributeOperation?: AttributeOperation
  readonly attribute?: string
  readonly value?: string | readonly string[] | null
  /** The value is secret (a password): it is generated when the plan is applied and never printed. */
  readonly secret?: boolean
  readonly reasons: readonly PlanReason[]
}

/** Several accounts could receive an access profile and nothing decides: a person must choose. */
export interface AccountSelection {
  readonly identityId: string
  readonly sourceId: string
  readonly sourceName: string
  readonly accessProfile: string
  readonly candidates: readonly string[]
  readonly reasons: readonly PlanReason[]
}

/** A problem planning one identity (e.g. a required Create Account field is empty); other identities go on. */
export interface PlanError {
  readonly identityId: string
  readonly sourceName?: string
  readonly message: string
}

export interface IdentityPlan {
  readonly items: PlanItem[]
  readonly selections: AccountSelection[]
  readonly errors: PlanError[]
}
