import { describe, expect, it } from 'vitest'
import { resolveRetryPolicy } from '../execution/retry-policy.js'
import { retryPoliciesSchema } from './retry-policy-schema.js'

describe('retryPoliciesSchema', () => {
  it('accepts partial policies keyed by process type', () => {
    const parsed = retryPoliciesSchema.parse({
      ACCESS_REQUEST: { intervalSeconds: 1800 },
      ROLE: { backoff: 'fixed', maxAttempts: 50 },
    })
    expect(resolveRetryPolicy('ROLE', { global: parsed }).backoff).toBe('fixed')
  })

  it.each([
    [{ ROLE: { maxAttempts: 0 } }, 'ROLE.maxAttempts', 'must be at least 1'],
    [{ ROLE: { maxAttempts: 51 } }, 'ROLE.maxAttempts', 'must be at most 50'],
    [{ ROLE: { intervalSeconds: 0 } }, 'ROLE.intervalSeconds', 'must be positive'],
    [{ ROLE: { intervalSeconds: 1.5 } }, 'ROLE.intervalSeconds', 'must be a whole number'],
    [{ ROLE: { maxIntervalSeconds: -1 } }, 'ROLE.maxIntervalSeconds', 'must be positive'],
    [{ ROLE: { intervalSecond: 60 } }, 'ROLE', 'Unrecognized key: "intervalSecond"'],
    [
      { ACCES_REQUEST: { maxAttempts: 2 } },
      '',
      'unknown process type "ACCES_REQUEST"; expected one of ACCESS_REQUEST, CERTIFICATION, LIFECYCLE_STATE, ROLE, ATTRIBUTE_SYNC, IDENTITY_REFRESH, MANUAL',
    ],
  ])('rejects %j at %s', (input, path, message) => {
    const result = retryPoliciesSchema.safeParse(input)
    expect(result.success).toBe(false)
    expect(result.error?.issues.map((i) => [i.path.join('.'), i.message])).toEqual([[path, message]])
  })

  it('rejects an unknown backoff', () => {
    expect(retryPoliciesSchema.safeParse({ MANUAL: { backoff: 'linear' } }).success).toBe(false)
  })
})
