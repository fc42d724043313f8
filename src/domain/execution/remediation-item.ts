import type { AttributeOperation } from '../plan/plan-item.js'

/**
 * One thing a manual task asks its owner to do by hand. A task of one account request lists that
 * request's attribute changes; a task covering several (a certification's revocations on one source)
 * also says, on each line, which request, identity and account it is about, and who revoked it. An
 * account-level request (Disable, Delete, Enable) is one line with no attribute.
 */
export interface RemediationItem {
  readonly operation: AttributeOperation | 'Enable' | 'Disable' | 'Delete'
  /** Null for an account-level operation. */
  readonly attribute: string | null
  readonly value: string | readonly string[] | null
  /** A secret field (a password): its value is in the task's sealed secrets, never here. */
  readonly secret?: boolean
  /** The account activity the line belongs to (a task covering several). */
  readonly activityId?: string
  readonly identityId?: string
  readonly identityName?: string
  readonly nativeIdentity?: string | null
  /** Who revoked it, for a certification's revocation. */
  readonly revokedBy?: string
}
