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
    description: t.description,
    remediationItems: t.remediationItems.map((i) => ({
      operation: i.operation,
      attribute: i.attribute,
      value: i.secret ? (secrets === undefined ? '********' : (secrets?.[i.attribute] ?? null)) : i.value,
      ...(i.secret ? { secret: true } : {}),
    })),
    comment: t.comment,
    created: t.created,
    completed: t.completed,
  }
}
