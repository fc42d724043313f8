import { findSource } from '../domain/config/workspace-config.js'
import { coerceError, NotFoundError } from '../domain/errors.js'
import { newId } from '../domain/new-id.js'
import type { AsyncTask, CompletionStatus, TaskMessage } from '../domain/tasks/async-task.js'
import {
  addAsyncTaskMessages,
  finishAsyncTask,
  getAsyncTask,
  insertAsyncTask,
  markAsyncTaskLaunched,
  setAsyncTaskProgress,
} from '../store/async-tasks.js'
import type { EngineContext } from './engine-context.js'
import { refreshSource, type RefreshResult, type RefreshStep } from './refresh-source.js'

/** Row errors listed one by one on a task; the rest are counted in one message. */
const LISTED_ROW_ERRORS = 20

const STEP_PROGRESS: Readonly<Record<RefreshStep, string>> = {
  aggregate: 'Aggregating accounts',
  process: 'Processing identities',
  apply: 'Applying the plan',
}

/**
 * Records a source aggregation to run in the background (aggregate, process, apply when automatic) and
 * returns it PENDING; the caller puts its id on the queue. NotFoundError when there is no such source.
 */
export async function submitSourceAggregation(
  ctx: EngineContext,
  sourceName: string,
  launcher: string,
): Promise<AsyncTask> {
  const source = findSource(ctx.config, sourceName)
  if (!source) throw new NotFoundError(`no source named "${sourceName}"`)
  const id = newId()
  await insertAsyncTask(ctx.db, {
    id,
    kind: 'SOURCE_AGGREGATION',
    name: 'Cloud Account Aggregation',
    description: `Aggregate from the source "${source.name}", process the identities, apply what changed`,
    launcher,
    target: { id: source.id ?? null, name: source.name },
    created: ctx.now(),
  })
  return taskById(ctx, id)
}

/**
 * Runs a source-aggregation task and records how it ended: SUCCESS, WARNING (rows rejected, identities or
 * plan items in error) or ERROR with the failure's message. A failure is recorded on the task, never
 * thrown; only a store that cannot record it throws. A task that completed already is returned as it is
 * (a job delivered twice runs once); one an earlier process left running is run again — an aggregation
 * compares the source with what is stored, so running it again is safe. NotFoundError for an unknown id.
 */
export async function runSourceAggregationTask(
  ctx: EngineContext,
  taskId: string,
  options: { file?: string } = {},
): Promise<AsyncTask> {
  const task = await taskById(ctx, taskId)
  if (task.completed !== null) return task
  const attempt = await markAsyncTaskLaunched(ctx.db, taskId, ctx.now())
  if (attempt === null) return taskById(ctx, taskId)
  if (attempt > 1) {
    await addAsyncTaskMessages(ctx.db, taskId, [
      {
        type: 'WARN',
        key: 'restarted',
        text: `attempt ${attempt}: the process running the previous attempt stopped before it completed`,
      },
    ])
  }
  let result: RefreshResult
  try {
    result = await refreshSource(ctx, task.target.id ?? task.target.name, {
      ...options,
      onStep: (step) => setAsyncTaskProgress(ctx.db, taskId, STEP_PROGRESS[step]),
    })
  } catch (err) {
    await finishAsyncTask(ctx.db, taskId, {
      completed: ctx.now(),
      status: 'ERROR',
      progress: 'Failed',
      messages: [{ type: 'ERROR', key: 'aggregation-failed', text: coerceError(err).message }],
      returns: {},
    })
    return taskById(ctx, taskId)
  }
  const messages = messagesOf(result)
  const status: CompletionStatus = messages.some((m) => m.type !== 'INFO') ? 'WARNING' : 'SUCCESS'
  await finishAsyncTask(ctx.db, taskId, {
    completed: ctx.now(),
    status,
    progress: 'Completed',
    messages,
    returns: returnsOf(result),
  })
  return taskById(ctx, taskId)
}

/**
 * Marks a task ERROR when no process will run it any more: every attempt's process stopped mid-run, or
 * its job could not be queued. A task that completed keeps its outcome.
 */
export async function abandonTask(ctx: EngineContext, taskId: string, reason: string): Promise<AsyncTask> {
  await taskById(ctx, taskId)
  await finishAsyncTask(ctx.db, taskId, {
    completed: ctx.now(),
    status: 'ERROR',
    progress: 'Failed',
    messages: [{ type: 'ERROR', key: 'abandoned', text: reason }],
    returns: {},
  })
  return taskById(ctx, taskId)
}

/** One task by id; NotFoundError when there is none. */
export async function taskById(ctx: EngineContext, taskId: string): Promise<AsyncTask> {
  const task = await getAsyncTask(ctx.db, taskId)
  if (!task) throw new NotFoundError(`no task with id "${taskId}"`)
  return task
}

function messagesOf(r: RefreshResult): TaskMessage[] {
  const messages: TaskMessage[] = []
  const rows = r.aggregated.rowErrors
  for (const e of rows.slice(0, LISTED_ROW_ERRORS)) {
    const where = e.line !== undefined ? `line ${e.line}: ` : ''
    messages.push({ type: 'WARN', key: 'row-rejected', text: `${where}${e.message}` })
  }
  if (rows.length > LISTED_ROW_ERRORS) {
    messages.push({
      type: 'WARN',
      key: 'row-rejected',
      text: `${rows.length - LISTED_ROW_ERRORS} more rows rejected`,
    })
  }
  const accountErrors = r.aggregated.accounts.errors
  if (rows.length === 0 && accountErrors > 0) {
    messages.push({ type: 'WARN', key: 'row-rejected', text: `${accountErrors} accounts could not be read` })
  }
  const identityErrors = r.processed.identities.errors
  if (identityErrors > 0) {
    messages.push({ type: 'WARN', key: 'identity-errors', text: `${identityErrors} identities in error` })
  }
  const planErrors = r.applied?.summary.errors ?? 0
  if (planErrors > 0) {
    messages.push({ type: 'WARN', key: 'plan-errors', text: `${planErrors} plan items in error` })
  }
  return messages
}

function returnsOf(r: RefreshResult): Record<string, number> {
  const a = r.aggregated.accounts
  const i = r.processed.identities
  return {
    total: a.created + a.updated + a.unchanged,
    created: a.created,
    updated: a.updated,
    unchanged: a.unchanged,
    deleted: a.deleted,
    rejected: Math.max(a.errors, r.aggregated.rowErrors.length),
    entitlementsDiscovered: r.aggregated.entitlementsDiscovered,
    correlated: r.aggregated.correlated,
    uncorrelated: r.aggregated.uncorrelated,
    identitiesCreated: i.created,
    identitiesUpdated: i.updated,
    identityErrors: i.errors,
    accountRequests: r.applied?.accountRequests ?? 0,
  }
}
