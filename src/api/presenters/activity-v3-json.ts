import {
  completionStatusOf,
  executionStatusOf,
  type AccountActivity,
} from '../../domain/execution/account-activity.js'

/** The reference's item operations (AccountActivityItemOperation): Provisio's, upper case. */
const OPERATIONS: Readonly<Record<string, string>> = {
  Add: 'ADD',
  Remove: 'REMOVE',
  Set: 'SET',
  Create: 'CREATE',
  Modify: 'MODIFY',
  Enable: 'ENABLE',
  Disable: 'DISABLE',
  Delete: 'DELETE',
}

/**
 * An account activity in the v3 `AccountActivity` shape. Its items: for a Create, a CREATE item then
 * one per attribute; for a Modify, one per attribute; for Enable, Disable and Delete, one naming the
 * account. A secret value is never shown. A withdrawn (CANCELED) activity's items have no provisioning
 * status in the reference's list: they show approvalStatus CANCELED instead. Provisio's own fields
 * (operation, provisioningStatus, attempts, nextAttempt, reasons, source) come after the reference's.
 */
export function activityV3Json(
  a: AccountActivity,
  names: { readonly identity: string | null; readonly source: string | null },
): object {
  const canceled = a.status === 'CANCELED'
  const item = (n: number, operation: string, attribute: string | null, value: unknown): object => ({
    id: `${a.id}-${n}`,
    name: attribute ?? a.nativeIdentity ?? operation,
    requested: a.created,
    approvalStatus: canceled ? 'CANCELED' : null,
    ...(canceled ? {} : { provisioningStatus: a.status }),
    requesterComment: null,
    reviewerIdentitySummary: null,
    reviewerComment: null,
    operation,
    attribute,
    value:
      value === null || value === undefined ? null : Array.isArray(value) ? value.join(', ') : String(value),
    nativeIdentity: a.nativeIdentity,
    sourceId: a.sourceId,
    accountRequestInfo: null,
    clientMetadata: null,
    removeDate: null,
  })
  const attributes = a.items.map((i) => ({
    operation: OPERATIONS[i.operation] ?? i.operation.toUpperCase(),
    attribute: i.attribute,
    value: i.secret ? null : i.value,
  }))
  const lines =
    a.operation === 'Modify'
      ? attributes
      : a.operation === 'Create'
        ? [{ operation: 'CREATE', attribute: null, value: null }, ...attributes]
        : [{ operation: OPERATIONS[a.operation] ?? a.operation.toUpperCase(), attribute: null, value: null }]
  const account = a.nativeIdentity ?? 'a new account'
  return {
    id: a.id,
    name: `${a.operation} ${account} on ${names.source ?? a.sourceId}`,
    created: a.created,
    modified: a.completed ?? a.created,
    completed: a.completed,
    completionStatus: completionStatusOf(a.status),
    type: a.type,
    requesterIdentitySummary: null,
    targetIdentitySummary: {
      id: a.identityId,
      name: names.identity ?? a.identityId,
      identityId: a.identityId,
      completed: a.completed !== null,
    },
    errors: a.errors.map((e) => `${e.at} attempt ${e.attempt}: ${e.kind}: ${e.message}`),
    warnings: null,
    items: lines.map((l, n) => item(n, l.operation, l.attribute, l.value)),
    executionStatus: executionStatusOf(a.status),
    clientMetadata: null,
    operation: a.operation,
    provisioningStatus: a.status,
    attempts: a.attempts,
    nextAttempt: a.nextAttemptAt,
    source: { id: a.sourceId, name: names.source },
    reasons: a.reasons,
  }
}
