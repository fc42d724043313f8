import type { ConnectorAccount } from '../../connectors/connector.js'
import { hashAccount } from '../../domain/aggregation/diff-accounts.js'
import type { ActivityError } from '../../domain/execution/account-activity.js'
import type { ProvisionedAccount } from '../../store/account-provisioning.js'
import type { ActivityOutcome, ClaimedActivity } from '../../store/activity-claims.js'
import { storableAccount, toSourceAccount } from '../connector-accounts.js'
import type { SourceScope } from './source-scope.js'

/** What one attempt changes: the activity's outcome and the stored account, recorded with its wave. */
export interface AttemptResult {
  readonly outcome: ActivityOutcome
  readonly saved?: ProvisionedAccount
  readonly removed?: { readonly sourceId: string; readonly nativeIdentity: string }
  /** The identity is planned again (its account turned out missing). */
  readonly replan?: string
}

/**
 * A request that reached the system. The account the system handed back is stored as aggregation
 * would read it (same attributes, order, values and display name, same hash), so the next aggregation
 * finds it unchanged rather than "updated".
 */
export function finishedWith(
  scope: SourceScope,
  a: ClaimedActivity,
  account: ConnectorAccount,
): AttemptResult {
  const now = scope.ctx.now()
  const read = storableAccount(toSourceAccount(scope.source, account))
  const { hash, attributesJson } = hashAccount(read)
  return {
    outcome: { id: a.id, status: 'FINISHED', completed: now },
    saved: {
      sourceId: scope.sourceId,
      nativeIdentity: read.nativeIdentity,
      identityId: a.identityId,
      displayName: read.displayName,
      attributesJson,
      hash,
      disabled: read.disabled ?? false,
      locked: read.locked ?? false,
    },
  }
}

/** The account is not on the system (any more): it is forgotten, and when that failed the request, re-planned. */
export function accountGone(
  scope: SourceScope,
  a: ClaimedActivity,
  nativeIdentity: string,
  status: 'FINISHED' | 'FAILED',
  error?: ActivityError,
): AttemptResult {
  const now = scope.ctx.now()
  return {
    outcome: { id: a.id, status, completed: now, ...(error ? { error } : {}) },
    removed: { sourceId: scope.sourceId, nativeIdentity },
    ...(status === 'FAILED' ? { replan: a.identityId } : {}),
  }
}
