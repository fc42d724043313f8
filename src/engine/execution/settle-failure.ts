import type { ConnectorAccount } from '../../connectors/connector.js'
import { Correlator } from '../../domain/aggregation/correlator.js'
import type { ActivityError } from '../../domain/execution/account-activity.js'
import { classifyError } from '../../domain/execution/classify-error.js'
import { failureOutcome, type FailedAttempt } from '../../domain/execution/failure-outcome.js'
import { resolveRetryPolicy } from '../../domain/execution/retry-policy.js'
import type { ClaimedActivity } from '../../store/activity-claims.js'
import { storedAttributes } from '../connector-accounts.js'
import { accountGone, finishedWith, type AttemptResult } from './attempt-result.js'
import type { SourceScope } from './source-scope.js'

/** What a failed attempt leads to, as the domain's failureOutcome decides, with the I/O it asks for. */
export async function settleFailure(
  scope: SourceScope,
  a: ClaimedActivity,
  err: unknown,
): Promise<AttemptResult> {
  const now = scope.ctx.now()
  const c = classifyError(err, scope.retryable)
  const error = (message: string): ActivityError => ({
    at: now.toISOString(),
    attempt: a.attempts,
    kind: c.kind,
    message,
    ...(c.code !== undefined ? { code: c.code } : {}),
  })
  const retryPolicies = scope.ctx.config.settings.retryPolicies
  const failed: FailedAttempt = {
    operation: a.operation,
    nativeIdentity: a.nativeIdentity,
    error: c,
    attemptsMade: a.attempts,
    failedAt: now,
    policy: resolveRetryPolicy(a.type, {
      ...(retryPolicies ? { global: retryPolicies } : {}),
      ...(scope.source.retryPolicies ? { source: scope.source.retryPolicies } : {}),
    }),
  }
  let outcome = failureOutcome(failed)
  let existing: ConnectorAccount | undefined
  if (outcome.kind === 'CHECK_EXISTING') {
    // A failure to read or correlate it leaves the account someone else's: nothing is taken over on a guess.
    existing = await correlateExisting(scope, a).catch(() => undefined)
    outcome = failureOutcome({ ...failed, existingIsOwn: existing !== undefined })
  }
  switch (outcome.kind) {
    case 'RETRY': {
      const { nextAttemptAt, message } = outcome
      return { outcome: { id: a.id, status: 'RETRY', nextAttemptAt, error: error(message) } }
    }
    case 'ALREADY_DELETED':
      return accountGone(scope, a, outcome.nativeIdentity, 'FINISHED')
    case 'ACCOUNT_GONE':
      return accountGone(scope, a, outcome.nativeIdentity, 'FAILED', error(outcome.message))
    case 'TAKE_OVER': {
      // existingIsOwn was true, so the account is at hand; the guard only convinces the compiler.
      if (!existing) break
      const result = finishedWith(scope, a, { ...existing, nativeIdentity: outcome.nativeIdentity })
      return { ...result, outcome: { ...result.outcome, error: error(outcome.message) } }
    }
    case 'FAILED':
      return { outcome: { id: a.id, status: 'FAILED', completed: now, error: error(outcome.message) } }
    case 'CHECK_EXISTING':
      break
  }
  // Unreachable: failureOutcome asks to check an existing account only once.
  return { outcome: { id: a.id, status: 'FAILED', completed: now, error: error(c.message) } }
}

/** An existing account is taken over only when the source's correlation rules say it is this identity's. */
async function correlateExisting(
  scope: SourceScope,
  a: ClaimedActivity,
): Promise<ConnectorAccount | undefined> {
  const rules = scope.source.accountCorrelationConfig?.attributeAssignments ?? []
  if (rules.length === 0 || a.nativeIdentity === null) return undefined
  const existing = await scope.connector.readAccount(a.nativeIdentity)
  const identity = await scope.identity(a.identityId)
  const correlator = new Correlator(rules, [{ id: a.identityId, attributes: identity }])
  return correlator.correlate(storedAttributes(existing.attributes)) === a.identityId ? existing : undefined
}
