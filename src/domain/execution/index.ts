export {
  ERROR_KINDS,
  classifyError,
  compileRetryablePatterns,
  type CompiledRetryablePatterns,
  type ErrorClassification,
  type ErrorKind,
  type RetryableMatcher,
  type RetryablePatternProblem,
} from './classify-error.js'
export { failureOutcome, type FailedAttempt, type FailureOutcome } from './failure-outcome.js'
export {
  DEFAULT_RETRY_POLICIES,
  PROCESS_TYPES,
  nextAttempt,
  resolveRetryPolicy,
  retryDelaySeconds,
  type ProcessType,
  type RetryPolicy,
  type RetryPolicyOverrides,
} from './retry-policy.js'
