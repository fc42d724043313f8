import type { WorkItemRow } from '../../engine/queries/list-work-items.js'

/**
 * A work item in the reference's shape. `secrets`: the task's secret values, opened (null once
 * closed); undefined masks them (the list shows them only in a task's detail).
 */
export function workItemJson(
  t: WorkItemRow,
  secrets: Readonly<Record<string, string>> | null | undefined,
): object {
  return {
    id: t.id,
    type: t.type,
    state: t.state,
    owner: t.owner,
    source: { id: t.sourceId, name: t.sourceName },
    activityId: t.activityId,
    activityIds: t.activityIds,
    description: t.description,
    remediationItems: t.remediationItems.map((i) => ({
      operation: i.operation,
      attribute: i.attribute,
      value: i.secret
        ? secrets === undefined
          ? '********'
          : (secrets?.[i.attribute ?? ''] ?? null)
        : i.value,
      ...(i.secret ? { secret: true } : {}),
      // A task covering several requests says, on each line, whose account it is about.
      ...(i.activityId !== undefined
        ? {
            activityId: i.activityId,
            identityId: i.identityId ?? null,
            identityName: i.identityName ?? null,
            nativeIdentity: i.nativeIdentity ?? null,
            ...(i.revokedBy !== undefined ? { revokedBy: i.revokedBy } : {}),
          }
        : {}),
    })),
    comment: t.comment,
    created: t.created,
    completed: t.completed,
  }
}
