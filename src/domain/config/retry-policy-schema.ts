import { z } from 'zod'
import type { ProcessType } from '../execution/retry-policy.js'
import { PROCESS_TYPES } from '../execution/retry-policy.js'

/**
 * Retry-policy overrides, keyed by provisioning process type; each gives only the fields it changes (the
 * rest come from DEFAULT_RETRY_POLICIES). Unlike the reference's objects these are strict: a misspelt
 * process type or field would otherwise be kept and silently ignored, leaving the default in force.
 */

export const MAX_RETRY_ATTEMPTS = 50

export const retryPolicyOverrideSchema = z.strictObject({
  /** Total attempts, the first one included. */
  maxAttempts: z
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(MAX_RETRY_ATTEMPTS, `must be at most ${MAX_RETRY_ATTEMPTS}`)
    .optional(),
  intervalSeconds: z.number().int('must be a whole number').positive('must be positive').optional(),
  backoff: z.enum(['fixed', 'exponential']).optional(),
  maxIntervalSeconds: z.number().int('must be a whole number').positive('must be positive').optional(),
})

const override = retryPolicyOverrideSchema.optional()

// Written out (rather than a record keyed by the enum) so that an unknown process type gets a message that
// lists the known ones; `satisfies` keeps the list in step with PROCESS_TYPES.
export const retryPoliciesSchema = z.strictObject(
  {
    ACCESS_REQUEST: override,
    CERTIFICATION: override,
    LIFECYCLE_STATE: override,
    ROLE: override,
    ATTRIBUTE_SYNC: override,
    IDENTITY_REFRESH: override,
    MANUAL: override,
  } satisfies Record<ProcessType, typeof override>,
  {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown process type ${issue.keys.map((k) => `"${k}"`).join(', ')}; expected one of ${PROCESS_TYPES.join(', ')}`
        : undefined,
  },
)

export type RetryPolicyOverrideConfig = z.infer<typeof retryPolicyOverrideSchema>
export type RetryPoliciesConfig = z.infer<typeof retryPoliciesSchema>
