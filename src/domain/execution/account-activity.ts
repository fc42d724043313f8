import type { AccountOperation, AttributeOperation, PlanReason } from '../plan/plan-item.js'
import type { ErrorClassification } from './classify-error.js'
import type { ProcessType } from './retry-policy.js'

/**
 * An account activity, the reference product's record of one account request on its way to a system.
 * `provisioningStatus` keeps the reference's spelling (COMMITED, one T). CANCELED is Provisio's: a
 * request withdrawn before it ran because reality overtook it (the account it was to create appeared
 * on the source); the reference shows such a request as executionStatus TERMINATED.
 */
export type ProvisioningStatus =
  'PENDING' | 'COMMITED' | 'FINISHED' | 'FAILED' | 'RETRY' | 'UNVERIFIABLE' | 'CANCELED'
export type ExecutionStatus = 'EXECUTING' | 'VERIFYING' | 'TERMINATED' | 'COMPLETED'
export type CompletionStatus = 'SUCCESS' | 'FAILURE' | 'INCOMPLETE' | 'PENDING'

/**
 * Still on their way to the system: not executed yet, retrying, or done by hand and not yet verified.
 * The planner counts these as already asked for (it never plans the same change twice), and an account
 * id a pending create will take is taken.
 */
export const OPEN_STATUSES: readonly ProvisioningStatus[] = ['PENDING', 'RETRY', 'COMMITED']

export interface ActivityItem {
  readonly operation: AttributeOperation
  readonly attribute: string
  readonly value: string | readonly string[] | null
  /** A secret field (a password): generated at execution, never stored or printed. */
  readonly secret?: boolean
}

export interface ActivityError {
  readonly at: string
  readonly attempt: number
  readonly kind: ErrorClassification['kind'] | 'REJECTED' | 'UNVERIFIED' | 'WITHDRAWN'
  readonly message: string
  readonly code?: string
}

export interface AccountActivity {
  readonly id: string
  readonly type: ProcessType
  readonly identityId: string
  readonly sourceId: string
  readonly nativeIdentity: string | null
  readonly operation: AccountOperation
  readonly items: readonly ActivityItem[]
  readonly reasons: readonly PlanReason[]
  readonly status: ProvisioningStatus
  readonly attempts: number
  readonly nextAttemptAt: string | null
  readonly errors: readonly ActivityError[]
  readonly created: string
  readonly completed: string | null
}

/** The reference's executionStatus, derived from the provisioning status. */
export function executionStatusOf(status: ProvisioningStatus): ExecutionStatus {
  if (status === 'PENDING' || status === 'RETRY') return 'EXECUTING'
  if (status === 'COMMITED') return 'VERIFYING'
  if (status === 'CANCELED') return 'TERMINATED'
  return 'COMPLETED'
}

/** The reference's completionStatus, derived from the provisioning status. */
export function completionStatusOf(status: ProvisioningStatus): CompletionStatus {
  if (status === 'FINISHED') return 'SUCCESS'
  if (status === 'FAILED') return 'FAILURE'
  if (status === 'UNVERIFIABLE' || status === 'CANCELED') return 'INCOMPLETE'
  return 'PENDING'
}

/**
 * The provisioning process a request belongs to, from why it was planned: its retry policy follows.
 * A lifecycle change outranks a role change in the same request (a leaver's disable must not give up early).
 */
export function processTypeOf(reasons: readonly PlanReason[]): ProcessType {
  const kinds = new Set(reasons.map((r) => (r.kind === 'ACCESS_PROFILE' ? (r.via ?? 'ROLE') : r.kind)))
  // Given access follows its origin's policy; an administrator's assignment is an access request made for someone.
  if (kinds.has('CERTIFICATION')) return 'CERTIFICATION'
  const assigned = reasons.find((r) => r.kind === 'ASSIGNMENT')
  if (assigned) return assigned.origin === 'CERTIFICATION' ? 'CERTIFICATION' : 'ACCESS_REQUEST'
  if (kinds.has('ACCESS_REQUEST')) return 'ACCESS_REQUEST'
  if (kinds.has('LIFECYCLE_STATE')) return 'LIFECYCLE_STATE'
  if (kinds.has('ROLE')) return 'ROLE'
  if (kinds.has('ATTRIBUTE_SYNC')) return 'ATTRIBUTE_SYNC'
  return 'IDENTITY_REFRESH'
}

/** An account as a system reports it, for reading back and verifying. */
export interface ObservedAccount {
  readonly attributes: Readonly<Record<string, unknown>>
  readonly disabled?: boolean
}

/**
 * The items of a request the account does not reflect yet: an `Add`ed value it lacks, a `Remove`d
 * value it still holds, a `Set` attribute with another value. Used to read back a request that may have
 * reached the system before a crash (only what is missing is applied) and to verify manual work.
 */
export function unappliedItems(account: ObservedAccount, items: readonly ActivityItem[]): ActivityItem[] {
  return items.filter((item) => {
    if (item.secret) return false // a password cannot be read back; it was set with the account
    const held = textValues(account.attributes[item.attribute])
    const wanted = textValues(item.value)
    if (item.operation === 'Add') return wanted.some((v) => !held.includes(v))
    if (item.operation === 'Remove') return wanted.some((v) => held.includes(v))
    return held.length !== wanted.length || wanted.some((v, i) => v !== held[i])
  })
}

/**
 * How an account differs from what a request asked (empty: the request is reflected). `account` is
 * undefined when the system does not have it.
 */
export function differences(
  operation: AccountOperation,
  account: ObservedAccount | undefined,
  items: readonly ActivityItem[],
): string[] {
  if (operation === 'Delete') return account ? ['the account still exists'] : []
  if (!account) return ['the account does not exist']
  if (operation === 'Enable' && account.disabled === true) return ['the account is disabled']
  if (operation === 'Disable' && account.disabled === false) return ['the account is enabled']
  return unappliedItems(account, items).map((i) => {
    const value = Array.isArray(i.value) ? i.value.join(', ') : String(i.value ?? '')
    if (i.operation === 'Add') return `${i.attribute} lacks ${value}`
    if (i.operation === 'Remove') return `${i.attribute} still has ${value}`
    return `${i.attribute} is ${JSON.stringify(account.attributes[i.attribute] ?? null)}, not ${JSON.stringify(i.value)}`
  })
}

function textValues(v: unknown): string[] {
  if (v === null || v === undefined) return []
  return (Array.isArray(v) ? v : [v]).filter((x) => x !== null && x !== undefined).map(String)
}
