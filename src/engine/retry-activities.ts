import { ConflictError, NotFoundError } from '../domain/errors.js'
import { listActivities, retryNow } from '../store/activities.js'
import type { EngineContext } from './engine-context.js'
import { sourceNamesById, storedSourceId } from './queries/list-sources.js'
import { runUntilSettled, type SettledSummary } from './run-until-settled.js'

/**
 * Makes one failed or retrying activity, or every failed one (of a source), due now with a fresh set of
 * attempts, and executes until they settle. NotFoundError for an unknown activity or source;
 * ConflictError for an activity that is neither FAILED nor RETRY.
 */
export async function retryActivities(
  ctx: EngineContext,
  target: { readonly id?: string; readonly source?: string },
): Promise<{ readonly retried: number } & SettledSummary> {
  const sourceId =
    target.source !== undefined ? storedSourceId(await sourceNamesById(ctx), target.source) : undefined
  const ids = await retryNow(
    ctx.db,
    {
      ...(target.id !== undefined ? { ids: [target.id] } : {}),
      ...(sourceId !== undefined ? { sourceId } : {}),
    },
    ctx.now(),
  )
  if (target.id !== undefined && ids.length === 0) {
    const [found] = await listActivities(ctx.db, { ids: [target.id] })
    if (!found) throw new NotFoundError(`no account activity with id "${target.id}"`)
    throw new ConflictError(
      `account activity ${target.id} is ${found.status}: only FAILED or RETRY ones are retried`,
    )
  }
  return { retried: ids.length, ...(await runUntilSettled(ctx, ids)) }
}
