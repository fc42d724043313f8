import type { AsyncTask, AsyncTaskKind, CompletionStatus, TaskMessage } from '../domain/tasks/async-task.js'
import type { Db } from './db.js'
import { iso } from './iso-time.js'
import { countRows, limitClause, orderClause, type Page } from './paging.js'

/** What a task is when it is asked for. */
export interface NewAsyncTask {
  readonly id: string
  readonly kind: AsyncTaskKind
  readonly name: string
  readonly description: string
  readonly launcher: string
  readonly target: { readonly id: string | null; readonly name: string }
  readonly created: Date
}

/** How a task ended. */
export interface TaskOutcome {
  readonly completed: Date
  readonly status: CompletionStatus
  readonly progress: string
  readonly messages: readonly TaskMessage[]
  readonly returns: Readonly<Record<string, number>>
}

export interface AsyncTaskFilter {
  readonly id?: string
  readonly kind?: AsyncTaskKind
  /** Only tasks not completed yet (pending or running). */
  readonly open?: boolean
}

export type AsyncTaskSortField = 'created' | 'completed' | 'id'

const COLUMNS: Readonly<Record<AsyncTaskSortField, string>> = {
  created: 'created',
  completed: 'completed',
  id: 'id',
}

interface Row {
  id: string
  kind: AsyncTaskKind
  name: string
  description: string
  launcher: string
  target_id: string | null
  target_name: string
  created: Date | string
  launched: Date | string | null
  completed: Date | string | null
  completion_status: CompletionStatus | null
  progress: string | null
  attempts: number
  messages: TaskMessage[] | string
  returns: Record<string, number> | string
}

export async function insertAsyncTask(db: Db, t: NewAsyncTask): Promise<void> {
  await db.query(
    `INSERT INTO async_tasks (id, kind, name, description, launcher, target_id, target_name, created, progress)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'Pending')`,
    [t.id, t.kind, t.name, t.description, t.launcher, t.target.id, t.target.name, t.created.toISOString()],
  )
}

/**
 * Records that a process took the task up (again, when an earlier one stopped mid-run); the number of
 * that attempt, or null when the task has completed already (a job delivered twice runs once).
 */
export async function markAsyncTaskLaunched(db: Db, id: string, at: Date): Promise<number | null> {
  const rows = await db.query<{ attempts: number }>(
    `UPDATE async_tasks SET launched = $2, attempts = attempts + 1, progress = 'Launched'
     WHERE id = $1 AND completed IS NULL RETURNING attempts`,
    [id, at.toISOString()],
  )
  return rows[0] ? Number(rows[0].attempts) : null
}

/** Records the step a running task is at. */
export async function setAsyncTaskProgress(db: Db, id: string, progress: string): Promise<void> {
  await db.query('UPDATE async_tasks SET progress = $2 WHERE id = $1 AND completed IS NULL', [id, progress])
}

/**
 * Records how a task ended, messages added to those it has. The first outcome stays: false when the
 * task had completed already.
 */
export async function finishAsyncTask(db: Db, id: string, outcome: TaskOutcome): Promise<boolean> {
  const rows = await db.query<{ id: string }>(
    `UPDATE async_tasks
     SET completed = $2, completion_status = $3, progress = $4, messages = messages || $5::jsonb, returns = $6::jsonb
     WHERE id = $1 AND completed IS NULL RETURNING id`,
    [
      id,
      outcome.completed.toISOString(),
      outcome.status,
      outcome.progress,
      JSON.stringify(outcome.messages),
      JSON.stringify(outcome.returns),
    ],
  )
  return rows.length > 0
}

/** Adds messages to a task that has not completed (e.g. that an earlier attempt stopped). */
export async function addAsyncTaskMessages(
  db: Db,
  id: string,
  messages: readonly TaskMessage[],
): Promise<void> {
  await db.query(
    'UPDATE async_tasks SET messages = messages || $2::jsonb WHERE id = $1 AND completed IS NULL',
    [id, JSON.stringify(messages)],
  )
}

export async function getAsyncTask(db: Db, id: string): Promise<AsyncTask | undefined> {
  const [task] = await listAsyncTasks(db, { id })
  return task
}

const WHERE = `WHERE ($1::text IS NULL OR id = $1) AND ($2::text IS NULL OR kind = $2)
  AND ($3::boolean IS NOT TRUE OR completed IS NULL)`

function params(filter: AsyncTaskFilter): unknown[] {
  return [filter.id ?? null, filter.kind ?? null, filter.open === true]
}

export async function countAsyncTasks(db: Db, filter: AsyncTaskFilter = {}): Promise<number> {
  return countRows(db, `FROM async_tasks ${WHERE}`, params(filter))
}

/** Tasks newest first (or in a page's order). */
export async function listAsyncTasks(
  db: Db,
  filter: AsyncTaskFilter = {},
  page?: Page<AsyncTaskSortField>,
): Promise<AsyncTask[]> {
  const values = params(filter)
  const order = orderClause(page?.sort, COLUMNS, 'created DESC, id DESC', 'id')
  const rows = await db.query<Row>(
    `SELECT id, kind, name, description, launcher, target_id, target_name, created, launched, completed,
       completion_status, progress, attempts, messages, returns
     FROM async_tasks ${WHERE} ${order}${limitClause(page, values)}`,
    values,
  )
  return rows.map(toTask)
}

function toTask(r: Row): AsyncTask {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    description: r.description,
    launcher: r.launcher,
    target: { id: r.target_id, name: r.target_name },
    created: iso(r.created),
    launched: r.launched === null ? null : iso(r.launched),
    completed: r.completed === null ? null : iso(r.completed),
    completionStatus: r.completion_status,
    progress: r.progress,
    attempts: Number(r.attempts),
    messages: typeof r.messages === 'string' ? (JSON.parse(r.messages) as TaskMessage[]) : r.messages,
    returns: typeof r.returns === 'string' ? (JSON.parse(r.returns) as Record<string, number>) : r.returns,
  }
}
