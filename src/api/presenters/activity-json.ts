import {
  completionStatusOf,
  executionStatusOf,
  type AccountActivity,
} from '../../domain/execution/account-activity.js'

/** An activity in the reference's shape (`/account-activities`); secret values never appear. */
export function activityJson(a: AccountActivity, sourceName: string | null | undefined): object {
  return {
    id: a.id,
    type: a.type,
    created: a.created,
    completed: a.completed,
    executionStatus: executionStatusOf(a.status),
    completionStatus: completionStatusOf(a.status),
    targetIdentity: { id: a.identityId },
    source: { id: a.sourceId, name: sourceName ?? null },
    operation: a.operation,
    attempts: a.attempts,
    nextAttempt: a.nextAttemptAt,
    // Enable, Disable and Delete change no attribute; their one item names the account all the same, as
    // the reference's items do (operation ENABLE, DISABLE, DELETE), so every activity says which account.
    items:
      a.items.length === 0 && a.operation !== 'Create' && a.operation !== 'Modify'
        ? [
            {
              operation: a.operation,
              attribute: null,
              value: null,
              nativeIdentity: a.nativeIdentity,
              sourceId: a.sourceId,
              provisioningStatus: a.status,
            },
          ]
        : a.items.map((i) => ({
            operation: i.operation,
            attribute: i.attribute,
            value: i.secret ? null : i.value,
            ...(i.secret ? { secret: true } : {}),
            nativeIdentity: a.nativeIdentity,
            sourceId: a.sourceId,
            provisioningStatus: a.status,
          })),
    provisioningStatus: a.status,
    errors: a.errors,
    reasons: a.reasons,
  }
}
