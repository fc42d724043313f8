import { ConflictError } from '../domain/errors.js'
import { OPEN_STATUSES } from '../domain/execution/account-activity.js'
import type { Account } from '../domain/model.js'
import { insertActivities, listPlannedActivities } from '../store/activities.js'
import type { EngineContext } from './engine-context.js'
import { getAccount } from './queries/get-account.js'

/**
 * An administrator's enable or disable of one account (the reference's `POST /accounts/{id}/enable`):
 * an account activity of process type MANUAL, which the executor carries out like any other (a flat-file
 * source's owner gets a work item). The planner does not undo it: it enables and disables accounts only
 * when an identity's lifecycle state changes. A request still open for the same account and operation is
 * returned instead of a second one. An uncorrelated account has no identity to record the activity
 * against: ConflictError. NotFoundError for an unknown account.
 */
export async function requestAccountChange(
  ctx: EngineContext,
  accountId: string,
  operation: 'Enable' | 'Disable',
): Promise<{ readonly activityId: string; readonly account: Account; readonly alreadyRequested: boolean }> {
  const account = await getAccount(ctx, accountId)
  const identityId = account.identityId
  if (identityId === null) {
    throw new ConflictError(
      `account "${account.nativeIdentity}" on "${account.sourceName}" belongs to no identity: correlate it first`,
    )
  }
  const open = (
    await listPlannedActivities(ctx.db, { statuses: OPEN_STATUSES, identityIds: [identityId] })
  ).find(
    (a) =>
      a.sourceId === account.sourceId &&
      a.nativeIdentity === account.nativeIdentity &&
      a.operation === operation,
  )
  if (open) return { activityId: open.id, account, alreadyRequested: true }
  const [activityId] = await insertActivities(ctx.db, [
    {
      type: 'MANUAL',
      identityId,
      sourceId: account.sourceId,
      nativeIdentity: account.nativeIdentity,
      operation,
      items: [],
      reasons: [],
    },
  ])
  return { activityId: activityId as string, account, alreadyRequested: false }
}
