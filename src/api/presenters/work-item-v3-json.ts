import type { ProvisioningStatus } from '../../domain/execution/account-activity.js'
import type { WorkItemRow } from '../../engine/queries/list-work-items.js'

/** A request a work item covers, as its remediation items name it. */
export interface WorkItemTarget {
  readonly identityId: string
  readonly identityName: string | null
  readonly nativeIdentity: string | null
  /** Where the request is: PENDING while the task is open, then COMMITED, FINISHED or UNVERIFIABLE… */
  readonly status: ProvisioningStatus
}

/** What a work item's v3 shape names besides the item: its owner's id, and its requests' identities and accounts. */
export interface WorkItemContext {
  readonly ownerId: string | null
  /** The requests the task covers, by activity id. */
  readonly targets: ReadonlyMap<string, WorkItemTarget>
  /** The task's secret values, opened, for its owner; undefined masks them. */
  readonly secrets?: Readonly<Record<string, string>> | null
}

/**
 * A work item in the v3 `WorkItems` shape: a ManualAction's remediation items are what to do by hand,
 * one per attribute (a secret value masked unless `secrets` opens it) or per account-level operation, each
 * naming its identity and account — a certification sign-off's task lists every account it covers.
 * Provisio's own fields (description, comment, activityIds, source; on each item its request, where the
 * request is, and who revoked it) come after the reference's.
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
    remediationItems: t.remediationItems.map((i, n) => {
      const activityId = i.activityId ?? t.activityId
      const target = activityId !== null ? c.targets.get(activityId) : undefined
      const name = target?.identityName ?? i.identityName ?? ''
      return {
        id: `${t.id}-${n}`,
        targetId: target?.identityId ?? i.identityId ?? '',
        targetName: name,
        targetDisplayName: name,
        applicationName: t.sourceName ?? t.sourceId,
        attributeName: i.attribute ?? '',
        attributeOperation: i.operation.toUpperCase(),
        attributeValue: i.secret
          ? c.secrets === undefined
            ? '********'
            : (c.secrets?.[i.attribute ?? ''] ?? '')
          : value(i.value),
        nativeIdentity: target?.nativeIdentity ?? i.nativeIdentity ?? '',
        activityId,
        provisioningStatus: target?.status ?? null,
        ...(i.revokedBy !== undefined ? { revokedBy: i.revokedBy } : {}),
      }
    }),
    approvalItems: null,
    name: t.description,
    completed: t.completed,
    numItems: t.remediationItems.length,
    errors: [],
    description: t.description,
    comment: t.comment,
    activityId: t.activityId,
    activityIds: t.activityIds,
    source: { id: t.sourceId, name: t.sourceName },
  }
}
