import type { AsyncTask } from '../../domain/tasks/async-task.js'
import {
  countAsyncTasks,
  listAsyncTasks,
  type AsyncTaskFilter,
  type AsyncTaskSortField,
} from '../../store/async-tasks.js'
import type { EngineContext } from '../engine-context.js'
import { pageOf, resultOf, type Query, type QueryResult } from './query.js'

export type { AsyncTask } from '../../domain/tasks/async-task.js'
export { taskById as getTask } from '../refresh-task.js'

export type TaskFilters = Omit<AsyncTaskFilter, 'id'>

const FIELDS: readonly AsyncTaskSortField[] = ['created', 'completed', 'id']

/** Asynchronous tasks, newest first unless sorted otherwise. */
export async function listTasks(
  ctx: EngineContext,
  query: Query<TaskFilters, AsyncTaskSortField> = {},
): Promise<QueryResult<AsyncTask>> {
  const filter = query.filters ?? {}
  const rows = await listAsyncTasks(ctx.db, filter, pageOf(query, FIELDS))
  return resultOf(query, rows, () => countAsyncTasks(ctx.db, filter))
}
