import type { WorkItemRow } from '../../engine/queries/list-work-items.js'

/** What a work item's v3 shape names besides the item: its owner's id, and its request's identity and account. */
export interface WorkItemContext {
  readonly ownerId: string | null
  readonly target: {
    readonly identityId: string
    readonly identityName: string | null
    readonly nativeIdentity: string | null
  } | null
  /** The task's secret values, opened, for its owner; undefined masks them. */
  readonly secrets?: Readonly<Record<string, string>> | null
}

/**
 * A work item in the v3 `WorkItems` shape: a ManualAction's remediation items are what to do by hand on
 * the account, one per attribute (a secret value masked unless `secrets` opens it). Provisio's own
 * fields (description, comment, activityId, source) come after the reference's.
 */
export function workItemV3Json(t: WorkItemRow, c: WorkItemContext): object {
  const value = (v: string | readonly string[] | null): string =>
    v === null ? '' : typeof v === 'string' ? v : v.join(', ')
  return {
    id: t.id,
    requesterId: null,
    requesterDisplayName: null,
    ownerId: c.ownerId,
    ownerName: t.owner ?? '',
    created: t.created,
    modified: t.completed ?? t.created,
    state: t.state,
    type: t.type,
    remediationItems: t.remediationItems.map((i, n) => ({
      id: `${t.id}-${n}`,
      targetId: c.target?.identityId ?? '',
      targetName: c.target?.identityName ?? '',
      targetDisplayName: c.target?.identityName ?? '',
      applicationName: t.sourceName ?? t.sourceId,
      attributeName: i.attribute,
      attributeOperation: i.operation.toUpperCase(),
      attributeValue: i.secret
        ? c.secrets === undefined
          ? '********'
          : (c.secrets?.[i.attribute] ?? '')
        : value(i.value),
      nativeIdentity: c.target?.nativeIdentity ?? '',
    })),
    approvalItems: null,
    name: t.description,
    completed: t.completed,
    numItems: t.remediationItems.length,
    errors: [],
    description: t.description,
    comment: t.comment,
    activityId: t.activityId,
    source: { id: t.sourceId, name: t.sourceName },
  }
}
