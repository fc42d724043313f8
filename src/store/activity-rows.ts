import type {
  AccountActivity,
  ActivityError,
  ActivityItem,
  ProvisioningStatus,
} from '../domain/execution/account-activity.js'
import type { ProcessType } from '../domain/execution/retry-policy.js'
import type { AccountOperation, PlanReason } from '../domain/plan/plan-item.js'

/** One activity row as the reads below select it (see activityColumns). */
export type ActivityTuple = [
  string,
  ProcessType,
  string,
  string,
  string | null,
  AccountOperation,
  ActivityItem[],
  PlanReason[],
  ProvisioningStatus,
  number,
  string | null,
  ActivityError[],
  string,
  string | null,
]

/** The activity columns, as toActivity reads them, from table (or CTE) `t`. */
export function activityColumns(t: string): string[] {
  const time = (c: string): string => `to_char(${t}.${c} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
  return [
    ...['id', 'type', 'identity_id', 'source_id', 'native_identity', 'operation', 'items', 'reasons'].map(
      (c) => `${t}.${c}`,
    ),
    `${t}.status`,
    `${t}.attempts`,
    time('next_attempt_at'),
    `${t}.errors`,
    time('created'),
    time('completed'),
  ]
}

export function toActivity(r: ActivityTuple): AccountActivity {
  const [id, type, identityId, sourceId, nativeIdentity, operation, items, reasons, status] = r
  const [, , , , , , , , , attempts, nextAttemptAt, errors, created, completed] = r
  return {
    id,
    type,
    identityId,
    sourceId,
    nativeIdentity,
    operation,
    items,
    reasons,
    status,
    attempts,
    // 'infinity' (a request waiting for a person) prints as no time at all.
    nextAttemptAt: nextAttemptAt !== null && /^\d/.test(nextAttemptAt) ? nextAttemptAt : null,
    errors,
    created,
    completed,
  }
}
