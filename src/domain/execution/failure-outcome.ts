/**
 * What a failed attempt at an account activity leads to (DESIGN §4). Pure: the engine classifies the
 * error, resolves the retry policy and, when this asks for it, checks whether an existing account is the
 * identity's; this decides, and the engine records the decision.
 */

import type { AccountOperation } from '../plan/plan-item.js'
import type { ErrorClassification } from './classify-error.js'
import { nextAttempt, type RetryPolicy } from './retry-policy.js'

export interface FailedAttempt {
  readonly operation: AccountOperation
  /** The account the activity names; null when a Create leaves the id to the system. */
  readonly nativeIdentity: string | null
  readonly error: Pick<ErrorClassification, 'kind' | 'message'>
  /** Attempts made, the one that just failed included. */
  readonly attemptsMade: number
  readonly failedAt: Date
  readonly policy: RetryPolicy
  /**
   * For a Create the system refused as ALREADY_EXISTS: whether the account already there is this
   * identity's by the source's correlation rules; undefined until the engine has looked.
   */
  readonly existingIsOwn?: boolean
}

/**
 * - RETRY: try again at `nextAttemptAt`.
 * - FAILED: the end; `message` is what the activity records.
 * - ALREADY_DELETED: FINISHED, the account was not there to delete; it is forgotten.
 * - ACCOUNT_GONE: FAILED, the account to change is gone; it is forgotten and its identity planned again.
 * - TAKE_OVER: FINISHED, the account already there is the identity's; it is linked.
 * - CHECK_EXISTING: ask again with `existingIsOwn`.
 */
export type FailureOutcome =
  | { readonly kind: 'RETRY'; readonly nextAttemptAt: Date; readonly message: string }
  | { readonly kind: 'FAILED'; readonly message: string }
  | { readonly kind: 'ALREADY_DELETED'; readonly nativeIdentity: string }
  | { readonly kind: 'ACCOUNT_GONE'; readonly nativeIdentity: string; readonly message: string }
  | { readonly kind: 'TAKE_OVER'; readonly nativeIdentity: string; readonly message: string }
  | { readonly kind: 'CHECK_EXISTING' }

export function failureOutcome(attempt: FailedAttempt): FailureOutcome {
  const { kind, message } = attempt.error
  const nativeIdentity = attempt.nativeIdentity
  if (kind === 'NOT_FOUND' && nativeIdentity !== null && attempt.operation !== 'Create') {
    // Deleting what is not there is done; changing it cannot be: the account is gone, the planner decides.
    if (attempt.operation === 'Delete') return { kind: 'ALREADY_DELETED', nativeIdentity }
    return {
      kind: 'ACCOUNT_GONE',
      nativeIdentity,
      message: `${message} (the account is gone; the next plan decides)`,
    }
  }
  if (kind === 'ALREADY_EXISTS' && attempt.operation === 'Create' && nativeIdentity !== null) {
    // An earlier attempt may have created it, or someone else did: only correlation tells them apart.
    if (attempt.existingIsOwn === undefined) return { kind: 'CHECK_EXISTING' }
    return attempt.existingIsOwn
      ? { kind: 'TAKE_OVER', nativeIdentity, message: `${message}; it is this identity's (correlated)` }
      : {
          kind: 'FAILED',
          message: `${message}; it does not belong to this identity by the correlation rules`,
        }
  }
  // Only a retryable failure consults the policy: another attempt would meet any other the same way.
  if (kind !== 'RETRYABLE') return { kind: 'FAILED', message }
  const next = nextAttempt(attempt.policy, attempt.attemptsMade, attempt.failedAt)
  return next === null ? { kind: 'FAILED', message } : { kind: 'RETRY', nextAttemptAt: next, message }
}
