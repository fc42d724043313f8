import { InputError } from '../../domain/errors.js'
import type { ProvisioningStatus } from '../../domain/execution/account-activity.js'
import { completeTask, rejectTask } from '../../engine/manual-tasks.js'
import { listActivities } from '../../engine/queries/list-activities.js'
import { getWorkItem, listWorkItems } from '../../engine/queries/list-work-items.js'
import { retryActivities } from '../../engine/retry-activities.js'
import type { SettledSummary } from '../../engine/run-until-settled.js'
import { withEngine } from '../../app/open-engine.js'
import { activityJson } from '../../api/presenters/activity-json.js'
import { workItemJson } from '../../api/presenters/work-item-json.js'
import { formatTable, printJson } from '../print-table.js'

const STATUSES: readonly ProvisioningStatus[] = [
  'PENDING',
  'COMMITED',
  'FINISHED',
  'FAILED',
  'RETRY',
  'UNVERIFIABLE',
  'CANCELED',
]

export async function activitiesCommand(
  workspace: string,
  options: { identity?: string; source?: string; status?: string; json?: boolean },
): Promise<void> {
  const status = options.status?.toUpperCase()
  if (status !== undefined && !STATUSES.includes(status as ProvisioningStatus)) {
    throw new InputError(`--status must be one of ${STATUSES.join(', ')}`)
  }
  const { rows: activities } = await withEngine(workspace, (e) =>
    listActivities(e, {
      filters: {
        ...(options.identity !== undefined ? { identity: options.identity } : {}),
        ...(options.source !== undefined ? { source: options.source } : {}),
        ...(status !== undefined ? { status: status as ProvisioningStatus } : {}),
      },
    }),
  )
  if (options.json) return printJson(activities.map((a) => activityJson(a, a.sourceName)))
  process.stdout.write(
    formatTable(
      ['ID', 'TYPE', 'SOURCE', 'ACCOUNT', 'OPERATION', 'STATUS', 'ATTEMPTS', 'NEXT ATTEMPT', 'LAST ERROR'],
      activities.map((a) => [
        a.id,
        a.type,
        a.sourceName ?? a.sourceId,
        a.nativeIdentity ?? '(new)',
        `${a.operation}${a.items.length > 0 ? ` (${a.items.length})` : ''}`,
        a.status,
        String(a.attempts),
        a.nextAttemptAt ?? '',
        a.errors.at(-1)?.message ?? '',
      ]),
      48,
    ) + `\n${activities.length} account activities\n`,
  )
}

export async function retryCommand(
  workspace: string,
  id: string | undefined,
  options: { failed?: boolean; source?: string; json?: boolean },
): Promise<void> {
  if ((id === undefined) === (options.failed !== true)) {
    throw new InputError('give an activity id, or --failed (optionally with --source NAME)')
  }
  const summary = await withEngine(workspace, (e) =>
    retryActivities(e, {
      ...(id !== undefined ? { id } : {}),
      ...(options.source !== undefined ? { source: options.source } : {}),
    }),
  )
  if (options.json) return printJson(summary)
  process.stdout.write(`retried ${summary.retried}: ${settledLine(summary)}\n`)
}

export function settledLine(s: SettledSummary): string {
  return (
    `finished ${s.finished}, failed ${s.failed}, retrying ${s.retrying}, manual ${s.manual}` +
    (s.unverifiable > 0 ? `, unverifiable ${s.unverifiable}` : '') +
    s.sourceErrors.map((e) => `; source "${e.source}": ${e.message}`).join('')
  )
}

export async function tasksCommand(
  workspace: string,
  options: { owner?: string; all?: boolean; json?: boolean },
): Promise<void> {
  const { rows: tasks } = await withEngine(workspace, (e) =>
    listWorkItems(e, {
      filters: {
        ...(options.owner !== undefined ? { owner: options.owner } : {}),
        state: options.all ? 'all' : 'Pending',
      },
    }),
  )
  // Secret values are for the owner, in the task's detail only (`tasks show`).
  const masked = tasks.map((t) => workItemJson(t, undefined))
  if (options.json) return printJson(masked)
  process.stdout.write(
    formatTable(
      ['ID', 'STATE', 'OWNER', 'SOURCE', 'DESCRIPTION', 'ITEMS'],
      tasks.map((t) => [
        t.id,
        t.state,
        t.owner ?? '',
        t.sourceName ?? t.sourceId,
        t.description,
        String(t.remediationItems.length),
      ]),
      60,
    ) + `\n${tasks.length} work items\n`,
  )
}

/** One task in full, secret values included: what its owner needs to carry it out. */
export async function taskShowCommand(
  workspace: string,
  id: string,
  options: { json?: boolean },
): Promise<void> {
  // Secret values are decrypted here only, for the owner's eyes.
  const { task, secrets } = await withEngine(workspace, (e) => getWorkItem(e, id))
  if (options.json) return printJson(workItemJson(task, secrets))
  const lines = [
    `${task.description}  (${task.id}, ${task.state})`,
    `  owner   ${task.owner ?? '(none)'}`,
    ...task.remediationItems.map((i) => {
      // A task covering several requests names the account each line is about.
      const about =
        i.activityId !== undefined
          ? `${i.nativeIdentity ?? '(new)'}${i.identityName !== undefined ? ` (${i.identityName})` : ''}: `
          : ''
      if (i.attribute === null) return `  ${about}${i.operation} the account`
      const value = i.secret ? (secrets?.[i.attribute] ?? '(no longer shown: the task is closed)') : i.value
      const sign = i.operation === 'Add' ? '+' : i.operation === 'Remove' ? '-' : ' '
      return `  ${about}${sign} ${i.attribute} = ${Array.isArray(value) ? value.join(', ') : String(value ?? '')}`
    }),
    ...(task.comment ? [`  comment ${task.comment}`] : []),
  ]
  process.stdout.write(lines.join('\n') + '\n')
}

export async function taskCompleteCommand(
  workspace: string,
  id: string,
  options: { comment?: string },
): Promise<void> {
  const task = await withEngine(workspace, (e) => completeTask(e, id, options.comment))
  process.stdout.write(
    `completed ${task.id}: "${task.description}" is committed; the next aggregation verifies it\n`,
  )
}

export async function taskRejectCommand(
  workspace: string,
  id: string,
  options: { comment?: string },
): Promise<void> {
  if (!options.comment) throw new InputError('rejecting a work item needs --comment saying why')
  const comment = options.comment
  const task = await withEngine(workspace, (e) => rejectTask(e, id, comment))
  process.stdout.write(`rejected ${task.id}: "${task.description}" failed: ${comment}\n`)
}
