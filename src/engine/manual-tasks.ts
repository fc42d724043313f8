import { ConflictError, NotFoundError } from '../domain/errors.js'
import { differences } from '../domain/execution/account-activity.js'
import { loadAccountsToVerify } from '../store/accounts.js'
import { listActivities, recordOutcomes } from '../store/activities.js'
import { closeWorkItem, listWorkItems, type WorkItem } from '../store/work-items.js'
import type { EngineContext } from './engine-context.js'

async function pendingTask(ctx: EngineContext, id: string): Promise<WorkItem> {
  const [task] = await listWorkItems(ctx.db, { id, state: 'all' })
  if (!task) throw new NotFoundError(`no work item with id "${id}"`)
  if (task.state !== 'Pending') {
    throw new ConflictError(`work item ${id} is already ${task.state.toLowerCase()}`)
  }
  return task
}

/**
 * The owner did what the task asked: its request is COMMITED, and the next aggregation of the source
 * confirms it (FINISHED) or reports what differs (UNVERIFIABLE).
 */
export async function completeTask(ctx: EngineContext, id: string, comment?: string): Promise<WorkItem> {
  const task = await pendingTask(ctx, id)
  const now = ctx.now()
  await ctx.db.transaction(async (tx) => {
    if (!(await closeWorkItem(tx, id, 'Finished', comment ?? null, now))) {
      throw new ConflictError(`work item ${id} was closed meanwhile`)
    }
    await recordOutcomes(tx, [{ id: task.activityId, status: 'COMMITED', nextAttemptAt: 'never' }], now)
  })
  return task
}

/** The owner will not do it: the request FAILED, with the owner's comment as the reason. */
export async function rejectTask(ctx: EngineContext, id: string, comment: string): Promise<WorkItem> {
  const task = await pendingTask(ctx, id)
  const now = ctx.now()
  await ctx.db.transaction(async (tx) => {
    if (!(await closeWorkItem(tx, id, 'Rejected', comment, now))) {
      throw new ConflictError(`work item ${id} was closed meanwhile`)
    }
    const error = { at: now.toISOString(), attempt: 1, kind: 'REJECTED' as const, message: comment }
    await recordOutcomes(tx, [{ id: task.activityId, status: 'FAILED', completed: now, error }], now)
  })
  return task
}

/**
 * After a source was aggregated: each committed (manually done) request is compared with what the
 * source now reports. A created account is found by its planned id, or by correlation to the identity.
 */
export async function verifyCommitted(
  ctx: EngineContext,
  sourceId: string,
): Promise<{ finished: number; unverifiable: number }> {
  const committed = await listActivities(ctx.db, { sourceId, status: 'COMMITED' })
  if (committed.length === 0) return { finished: 0, unverifiable: 0 }
  const accounts = await loadAccountsToVerify(
    ctx.db,
    sourceId,
    committed.flatMap((a) => (a.nativeIdentity ? [a.nativeIdentity] : [])),
    committed.filter((a) => a.operation === 'Create').map((a) => a.identityId),
  )
  const byNative = new Map(accounts.map((a) => [a.nativeIdentity, a]))
  const now = ctx.now()
  const outcomes = committed.map((a) => {
    const account =
      (a.nativeIdentity ? byNative.get(a.nativeIdentity) : undefined) ??
      (a.operation === 'Create' ? accounts.find((x) => x.identityId === a.identityId) : undefined)
    const diff = differences(a.operation, account, a.items)
    return diff.length === 0
      ? { id: a.id, status: 'FINISHED' as const, completed: now }
      : {
          id: a.id,
          status: 'UNVERIFIABLE' as const,
          completed: now,
          error: {
            at: now.toISOString(),
            attempt: a.attempts,
            kind: 'UNVERIFIED' as const,
            message: `the source does not show it: ${diff.join('; ')}`,
          },
        }
  })
  await recordOutcomes(ctx.db, outcomes, now)
  const finished = outcomes.filter((o) => o.status === 'FINISHED').length
  return { finished, unverifiable: outcomes.length - finished }
}
