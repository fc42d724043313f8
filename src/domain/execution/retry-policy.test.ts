import { describe, expect, it } from 'vitest'
import {
  DEFAULT_RETRY_POLICIES,
  PROCESS_TYPES,
  nextAttempt,
  resolveRetryPolicy,
  type RetryPolicy,
} from './retry-policy.js'

const T = new Date('2025-03-01T09:00:00.000Z')
const minutes = (n: number): number => n * 60_000

/**
 * The schedule of a policy when every attempt fails: attempt n fails `workMs` after it started, and the
 * next one starts when nextAttempt says. Times are minutes after T; the last entry is the final failure.
 */
function timeline(policy: RetryPolicy, workMs = 0): number[] {
  const starts: number[] = []
  let start: Date | null = T
  for (let attempt = 1; start !== null; attempt++) {
    starts.push((start.getTime() - T.getTime()) / 60_000)
    start = nextAttempt(policy, attempt, new Date(start.getTime() + workMs))
  }
  return starts
}

describe('nextAttempt', () => {
  it('ACCESS_REQUEST: up to 3 retries, 60 minutes after each failure', () => {
    const policy = DEFAULT_RETRY_POLICIES.ACCESS_REQUEST
    expect(nextAttempt(policy, 1, T)).toEqual(new Date(T.getTime() + minutes(60)))
    const t2 = new Date(T.getTime() + minutes(61))
    expect(nextAttempt(policy, 2, t2)).toEqual(new Date(t2.getTime() + minutes(60)))
    expect(nextAttempt(policy, 3, T)).toEqual(new Date(T.getTime() + minutes(60)))
    expect(nextAttempt(policy, 4, T)).toBeNull()
    expect(timeline(policy)).toEqual([0, 60, 120, 180])
  })

  it('counts from the failure, not from the planned time', () => {
    // Each attempt takes 2 minutes to fail (a connect timeout): the next one is 60 minutes after that.
    expect(timeline(DEFAULT_RETRY_POLICIES.ACCESS_REQUEST, minutes(2))).toEqual([0, 62, 124, 186])
  })

  it.each([
    ['CERTIFICATION', [0, 60, 120, 180]],
    ['LIFECYCLE_STATE', [0, 60, 120, 180]],
    ['ROLE', [0, 15, 45]],
    ['ATTRIBUTE_SYNC', [0, 15, 45]],
    ['IDENTITY_REFRESH', [0, 15]],
    ['MANUAL', [0, 5, 10]],
  ] as const)('%s by default: attempts at %j minutes', (type, expected) => {
    expect(timeline(DEFAULT_RETRY_POLICIES[type])).toEqual(expected)
  })

  it('doubles an exponential wait each attempt, up to maxIntervalSeconds', () => {
    const policy: RetryPolicy = {
      maxAttempts: 7,
      intervalSeconds: 60,
      backoff: 'exponential',
      maxIntervalSeconds: 600,
    }
    // Waits of 1, 2, 4, 8, 10, 10 minutes.
    expect(timeline(policy)).toEqual([0, 1, 3, 7, 15, 25, 35])
  })

  it('ignores maxIntervalSeconds for a fixed policy', () => {
    expect(
      timeline({ maxAttempts: 3, intervalSeconds: 600, backoff: 'fixed', maxIntervalSeconds: 60 }),
    ).toEqual([0, 10, 20])
  })

  it('keeps an uncapped exponential policy within a week, even at its 50th attempt', () => {
    const policy: RetryPolicy = { maxAttempts: 50, intervalSeconds: 3600, backoff: 'exponential' }
    expect(nextAttempt(policy, 49, T)).toEqual(new Date(T.getTime() + 7 * 24 * 3_600_000))
  })

  it('makes no retry when a single attempt is allowed', () => {
    expect(nextAttempt({ maxAttempts: 1, intervalSeconds: 60, backoff: 'fixed' }, 1, T)).toBeNull()
  })

  it('refuses an attempt count below 1', () => {
    expect(() => nextAttempt(DEFAULT_RETRY_POLICIES.MANUAL, 0, T)).toThrow(RangeError)
    expect(() => nextAttempt(DEFAULT_RETRY_POLICIES.MANUAL, 1.5, T)).toThrow(RangeError)
  })
})

describe('resolveRetryPolicy', () => {
  it('uses the defaults without overrides', () => {
    for (const type of PROCESS_TYPES) expect(resolveRetryPolicy(type)).toEqual(DEFAULT_RETRY_POLICIES[type])
  })

  it('lets source overrides beat global overrides beat defaults, field by field', () => {
    const policy = resolveRetryPolicy('ACCESS_REQUEST', {
      global: { ACCESS_REQUEST: { maxAttempts: 6, intervalSeconds: 600 }, ROLE: { maxAttempts: 1 } },
      source: { ACCESS_REQUEST: { intervalSeconds: 120 } },
    })
    expect(policy).toEqual({ maxAttempts: 6, intervalSeconds: 120, backoff: 'fixed' })
  })

  it('does not let an explicit undefined erase a default', () => {
    expect(resolveRetryPolicy('MANUAL', { source: { MANUAL: { maxAttempts: undefined } } })).toEqual(
      DEFAULT_RETRY_POLICIES.MANUAL,
    )
  })

  it('leaves the defaults unchanged', () => {
    resolveRetryPolicy('ROLE', { source: { ROLE: { maxAttempts: 9 } } })
    expect(DEFAULT_RETRY_POLICIES.ROLE.maxAttempts).toBe(3)
  })
})
