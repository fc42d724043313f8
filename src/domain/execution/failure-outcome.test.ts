import { describe, expect, it } from 'vitest'
import type { AccountOperation } from '../plan/plan-item.js'
import type { ErrorKind } from './classify-error.js'
import { failureOutcome, type FailedAttempt, type FailureOutcome } from './failure-outcome.js'
import type { RetryPolicy } from './retry-policy.js'

const T = new Date('2025-03-01T09:00:00.000Z')
const after = (minutes: number): Date => new Date(T.getTime() + minutes * 60_000)

/** Three attempts, 15 minutes apart. */
const POLICY: RetryPolicy = { maxAttempts: 3, intervalSeconds: 15 * 60, backoff: 'fixed' }

interface Row {
  readonly operation: AccountOperation
  readonly kind: ErrorKind
  readonly attemptsMade?: number
  readonly namesAccount?: boolean
  readonly existingIsOwn?: boolean
}

const attempt = (row: Row): FailedAttempt => ({
  operation: row.operation,
  nativeIdentity: row.namesAccount === false ? null : 'u1',
  error: { kind: row.kind, message: 'boom' },
  attemptsMade: row.attemptsMade ?? 1,
  failedAt: T,
  policy: POLICY,
  ...(row.existingIsOwn === undefined ? {} : { existingIsOwn: row.existingIsOwn }),
})

const GONE = 'boom (the account is gone; the next plan decides)'
const OWN = "boom; it is this identity's (correlated)"
const NOT_OWN = 'boom; it does not belong to this identity by the correlation rules'

// Anything that is not a ConnectorError (a bug, a database error while loading the identity, a secret
// with no transform) reaches this as whatever classifyError made of it: TERMINAL, or RETRYABLE when it
// looks like a network failure. So the kinds below cover unexpected errors too.
const CASES: [string, Row, FailureOutcome][] = [
  // A retryable failure: again while the policy allows, then the end.
  ['a retryable Create, first attempt', { operation: 'Create', kind: 'RETRYABLE' }, retry(15)],
  [
    'a retryable Modify, second attempt',
    { operation: 'Modify', kind: 'RETRYABLE', attemptsMade: 2 },
    retry(15),
  ],
  [
    'a retryable Disable, attempts exhausted',
    { operation: 'Disable', kind: 'RETRYABLE', attemptsMade: 3 },
    failed(),
  ],
  [
    'a retryable Delete, past the policy',
    { operation: 'Delete', kind: 'RETRYABLE', attemptsMade: 4 },
    failed(),
  ],
  [
    'a retryable Create naming no account',
    { operation: 'Create', kind: 'RETRYABLE', namesAccount: false },
    retry(15),
  ],
  [
    'a retryable Enable, even when it is also checked',
    { operation: 'Enable', kind: 'RETRYABLE', existingIsOwn: true },
    retry(15),
  ],

  // A terminal failure ends at once, whatever attempts are left.
  ['a terminal Create', { operation: 'Create', kind: 'TERMINAL' }, failed()],
  ['a terminal Modify', { operation: 'Modify', kind: 'TERMINAL' }, failed()],
  ['a terminal Delete', { operation: 'Delete', kind: 'TERMINAL' }, failed()],

  // The account is not there.
  [
    'deleting a missing account is done',
    { operation: 'Delete', kind: 'NOT_FOUND' },
    { kind: 'ALREADY_DELETED', nativeIdentity: 'u1' },
  ],
  [
    'modifying a missing account',
    { operation: 'Modify', kind: 'NOT_FOUND' },
    { kind: 'ACCOUNT_GONE', nativeIdentity: 'u1', message: GONE },
  ],
  [
    'enabling a missing account',
    { operation: 'Enable', kind: 'NOT_FOUND' },
    { kind: 'ACCOUNT_GONE', nativeIdentity: 'u1', message: GONE },
  ],
  [
    'disabling a missing account',
    { operation: 'Disable', kind: 'NOT_FOUND' },
    { kind: 'ACCOUNT_GONE', nativeIdentity: 'u1', message: GONE },
  ],
  ['NOT_FOUND on a Create is an ordinary failure', { operation: 'Create', kind: 'NOT_FOUND' }, failed()],
  [
    'NOT_FOUND with no account named',
    { operation: 'Delete', kind: 'NOT_FOUND', namesAccount: false },
    failed(),
  ],

  // The account to create is there already: an earlier, in-doubt attempt made it, or someone else did.
  [
    'an existing account: look at it first',
    { operation: 'Create', kind: 'ALREADY_EXISTS' },
    { kind: 'CHECK_EXISTING' },
  ],
  [
    "an existing account that is the identity's",
    { operation: 'Create', kind: 'ALREADY_EXISTS', existingIsOwn: true },
    { kind: 'TAKE_OVER', nativeIdentity: 'u1', message: OWN },
  ],
  [
    'an existing account that is not',
    { operation: 'Create', kind: 'ALREADY_EXISTS', existingIsOwn: false },
    { kind: 'FAILED', message: NOT_OWN },
  ],
  [
    'an existing account, attempts exhausted, still taken over',
    { operation: 'Create', kind: 'ALREADY_EXISTS', attemptsMade: 3, existingIsOwn: true },
    { kind: 'TAKE_OVER', nativeIdentity: 'u1', message: OWN },
  ],
  [
    'ALREADY_EXISTS on a Create naming no account',
    { operation: 'Create', kind: 'ALREADY_EXISTS', namesAccount: false },
    failed(),
  ],
  ['ALREADY_EXISTS on a Modify', { operation: 'Modify', kind: 'ALREADY_EXISTS' }, failed()],
]

function retry(minutes: number): FailureOutcome {
  return { kind: 'RETRY', nextAttemptAt: after(minutes), message: 'boom' }
}

function failed(): FailureOutcome {
  return { kind: 'FAILED', message: 'boom' }
}

describe('failureOutcome', () => {
  it.each(CASES)('%s', (_name, row, expected) => {
    expect(failureOutcome(attempt(row))).toEqual(expected)
  })

  it('follows the policy for the time of the next attempt', () => {
    const exponential: RetryPolicy = { maxAttempts: 4, intervalSeconds: 60, backoff: 'exponential' }
    const at = (attemptsMade: number) =>
      failureOutcome({
        ...attempt({ operation: 'Modify', kind: 'RETRYABLE', attemptsMade }),
        policy: exponential,
      })
    expect([1, 2, 3, 4].map(at)).toEqual([
      { kind: 'RETRY', nextAttemptAt: after(1), message: 'boom' },
      { kind: 'RETRY', nextAttemptAt: after(2), message: 'boom' },
      { kind: 'RETRY', nextAttemptAt: after(4), message: 'boom' },
      failed(),
    ])
  })

  it('does not consult the policy for a failure it does not retry', () => {
    // nextAttempt refuses an attempt count of 0; a terminal failure never gets that far.
    expect(
      failureOutcome({ ...attempt({ operation: 'Create', kind: 'TERMINAL' }), attemptsMade: 0 }),
    ).toEqual(failed())
  })
})
