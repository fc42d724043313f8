import { userInfo } from 'node:os'
import { taskState, type AsyncTask } from '../../domain/tasks/async-task.js'
import { InputError } from '../../domain/errors.js'
import { getTask, listTasks } from '../../engine/queries/list-tasks.js'
import { wholeNumberOption } from '../whole-number-option.js'
import { withEngine } from '../../app/open-engine.js'
import { submitSourceAggregationTask } from '../../app/source-aggregation-tasks.js'
import { loadAccountsJson, taskStatusJson } from '../../api/presenters/task-status-json.js'
import { formatTable, printJson } from '../print-table.js'

/**
 * `aggregate SOURCE --async`: records a source-aggregation task and queues it; a `serve` or `worker`
 * process on the database runs it (on the embedded database: the next one to start).
 */
export async function aggregateAsyncCommand(
  workspace: string,
  source: string,
  options: { file?: string; json?: boolean },
): Promise<void> {
  if (options.file !== undefined) {
    throw new InputError('--file cannot be used with --async: the task reads the source as configured')
  }
  const task = await withEngine(workspace, (e) => submitSourceAggregationTask(e, source, launcher()))
  if (options.json) return printJson(loadAccountsJson(task))
  process.stdout.write(
    `${task.id}\n` +
      `queued: aggregate "${task.target.name}"; a running serve or worker takes it up ` +
      `(provisio task status ${task.id})\n`,
  )
}

export async function taskStatusCommand(
  workspace: string,
  id: string,
  options: { json?: boolean },
): Promise<void> {
  const task = await withEngine(workspace, (e) => getTask(e, id))
  if (options.json) return printJson(taskStatusJson(task))
  const lines = [
    `task ${task.id}: ${task.name} of "${task.target.name}"`,
    `state: ${taskState(task)}${task.progress ? ` (${task.progress})` : ''}`,
    `launcher: ${task.launcher}`,
    `created: ${task.created}`,
    `launched: ${task.launched ?? '-'}`,
    `completed: ${task.completed ?? '-'}`,
  ]
  const counts = Object.entries(task.returns)
  if (counts.length > 0) lines.push(`counts: ${counts.map(([k, v]) => `${k} ${v}`).join(', ')}`)
  for (const m of task.messages) lines.push(`${m.type}: ${m.text}`)
  process.stdout.write(lines.join('\n') + '\n')
}

export async function taskListCommand(
  workspace: string,
  options: { open?: boolean; limit?: string; json?: boolean },
): Promise<void> {
  const limit = options.limit === undefined ? 50 : wholeNumberOption('--limit', options.limit, 1)
  const { rows, total } = await withEngine(workspace, (e) =>
    listTasks(e, { limit, count: true, filters: options.open ? { open: true } : {} }),
  )
  if (options.json) return printJson(rows.map(taskStatusJson))
  process.stdout.write(
    formatTable(
      ['ID', 'TASK', 'SOURCE', 'STATE', 'LAUNCHER', 'CREATED', 'COMPLETED', 'MESSAGE'],
      rows.map((t) => [
        t.id,
        t.name,
        t.target.name,
        taskState(t),
        t.launcher,
        t.created,
        t.completed ?? '',
        lastMessage(t),
      ]),
      48,
    ) + `\n${rows.length} of ${total ?? rows.length} tasks, newest first\n`,
  )
}

function lastMessage(t: AsyncTask): string {
  return t.messages.at(-1)?.text ?? ''
}

/** Who asks, as the reference's `launcher`: the operating system's user name. */
function launcher(): string {
  try {
    return userInfo().username
  } catch {
    return process.env['USER'] ?? 'cli'
  }
}
