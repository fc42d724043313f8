/**
 * How often, and how many times, a failed provisioning operation is tried again, per provisioning process
 * type (DESIGN §4). A retry policy is data: the engine stores the next attempt's time as a scheduled job.
 */

export const PROCESS_TYPES = [
  'ACCESS_REQUEST',
  'CERTIFICATION',
  'LIFECYCLE_STATE',
  'ROLE',
  'ATTRIBUTE_SYNC',
  'IDENTITY_REFRESH',
  'MANUAL',
] as const

export type ProcessType = (typeof PROCESS_TYPES)[number]

export interface RetryPolicy {
  /** Total attempts, the first one included: 4 means "up to 3 retries". */
  readonly maxAttempts: number
  /** The wait after the first failed attempt. */
  readonly intervalSeconds: number
  /** `fixed` waits `intervalSeconds` every time; `exponential` doubles the wait after each attempt. */
  readonly backoff: 'fixed' | 'exponential'
  /** The longest wait of an `exponential` policy. */
  readonly maxIntervalSeconds?: number
}

export type RetryPolicyOverrides = Partial<Record<ProcessType, Partial<RetryPolicy>>>

const MINUTE = 60
const HOUR = 60 * MINUTE

/**
 * The default retry policies, the one table the documentation refers to.
 *
 * | process type     | attempts | waits between attempts        |
 * | ---------------- | -------- | ----------------------------- |
 * | ACCESS_REQUEST   | 4        | 60 min, 60 min, 60 min        |
 * | CERTIFICATION    | 4        | 60 min, 60 min, 60 min        |
 * | LIFECYCLE_STATE  | 4        | 60 min, 60 min, 60 min        |
 * | ROLE             | 3        | 15 min, 30 min                |
 * | ATTRIBUTE_SYNC   | 3        | 15 min, 30 min                |
 * | IDENTITY_REFRESH | 2        | 15 min                        |
 * | MANUAL           | 3        | 5 min, 5 min                  |
 *
 * - Access requests follow the reference product's public statement: "it will retry the action a maximum
 *   of 3 times, 60 minutes apart". Someone asked for this access and waits for it, and nothing else will
 *   provision it again.
 * - Certification revocations and lifecycle changes (a leaver's disable) are decisions that nothing
 *   re-derives soon either, so they get the same persistence.
 * - Role and attribute-sync changes, and identity-refresh changes, are recomputed by every identity
 *   refresh: a later refresh plans the change again, so their retries only bridge a short outage, and
 *   retrying for hours would only compete with the next refresh's fresher plan.
 * - MANUAL changes were started by an administrator who is waiting for the result: a few quick retries,
 *   then FAILED with the connector's message, rather than an answer hours later.
 */
export const DEFAULT_RETRY_POLICIES: Readonly<Record<ProcessType, RetryPolicy>> = {
  ACCESS_REQUEST: { maxAttempts: 4, intervalSeconds: HOUR, backoff: 'fixed' },
  CERTIFICATION: { maxAttempts: 4, intervalSeconds: HOUR, backoff: 'fixed' },
  LIFECYCLE_STATE: { maxAttempts: 4, intervalSeconds: HOUR, backoff: 'fixed' },
  ROLE: { maxAttempts: 3, intervalSeconds: 15 * MINUTE, backoff: 'exponential', maxIntervalSeconds: HOUR },
  ATTRIBUTE_SYNC: {
    maxAttempts: 3,
    intervalSeconds: 15 * MINUTE,
    backoff: 'exponential',
    maxIntervalSeconds: HOUR,
  },
  IDENTITY_REFRESH: { maxAttempts: 2, intervalSeconds: 15 * MINUTE, backoff: 'fixed' },
  MANUAL: { maxAttempts: 3, intervalSeconds: 5 * MINUTE, backoff: 'fixed' },
}

// An exponential policy without maxIntervalSeconds would, after enough attempts, wait for years and then
// past the last date a Date can hold; a week is longer than any retry worth making.
const EXPONENTIAL_CEILING_SECONDS = 7 * 24 * HOUR

/**
 * The policy for a process type: the source's overrides beat the global (workspace) overrides, which beat
 * the defaults, field by field.
 */
export function resolveRetryPolicy(
  processType: ProcessType,
  overrides: { global?: RetryPolicyOverrides; source?: RetryPolicyOverrides } = {},
): RetryPolicy {
  return {
    ...DEFAULT_RETRY_POLICIES[processType],
    ...definedFields(overrides.global?.[processType]),
    ...definedFields(overrides.source?.[processType]),
  }
}

/**
 * When to try again after `attemptsMade` attempts (the one that just failed at `failedAt` included), or
 * null when the policy is exhausted.
 */
export function nextAttempt(policy: RetryPolicy, attemptsMade: number, failedAt: Date): Date | null {
  if (!Number.isInteger(attemptsMade) || attemptsMade < 1) {
    throw new RangeError(`attemptsMade must be a whole number of at least 1, got ${attemptsMade}`)
  }
  if (attemptsMade >= policy.maxAttempts) return null
  return new Date(failedAt.getTime() + retryDelaySeconds(policy, attemptsMade) * 1000)
}

/** The wait after attempt number `attemptsMade` failed. */
export function retryDelaySeconds(policy: RetryPolicy, attemptsMade: number): number {
  if (policy.backoff === 'fixed') return policy.intervalSeconds
  const ceiling = policy.maxIntervalSeconds ?? Math.max(policy.intervalSeconds, EXPONENTIAL_CEILING_SECONDS)
  // The exponent is bounded so the product stays a finite number whatever attemptsMade is.
  const factor = 2 ** Math.min(attemptsMade - 1, 40)
  return Math.min(policy.intervalSeconds * factor, ceiling)
}

// An override parsed from YAML may carry an explicit undefined; it must not erase the default.
function definedFields(policy: Partial<RetryPolicy> | undefined): Partial<RetryPolicy> {
  if (policy === undefined) return {}
  return Object.fromEntries(Object.entries(policy).filter(([, v]) => v !== undefined)) as Partial<RetryPolicy>
}
