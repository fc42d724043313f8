import { InputError } from '../../domain/errors.js'
import {
  completionStatusOf,
  executionStatusOf,
  type AccountActivity,
  type ProvisioningStatus,
} from '../../domain/execution/account-activity.js'
import { completeTask, rejectTask } from '../../engine/manual-tasks.js'
import { listActivities } from '../../engine/queries/list-activities.js'
import { getWorkItem, listWorkItems, type WorkItemRow } from '../../engine/queries/list-work-items.js'
import { retryActivities } from '../../engine/retry-activities.js'
import type { SettledSummary } from '../../engine/run-until-settled.js'
import { withEngine } from '../../app/open-engine.js'
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

/** An activity in the reference's shape (`/account-activities`); secret values never appear. */
export function activityJson(a: AccountActivity, sourceName: string | undefined): object {
  return {
    id: a.id,
    type: a.type,
    created: a.created,
    completed: a.completed,
    executionStatus: executionStatusOf(a.status),
    completionStatus: completionStatusOf(a.status),
    targetIdentity: { id: a.identityId },
    source: { id: a.sourceId, name: sourceName ?? null },
    operation: a.operation,
    attempts: a.attempts,
    nextAttempt: a.nextAttemptAt,
    // Enable, Disable and Delete change no attribute; their one item names the account all the same, as
    // the reference's items do (operation ENABLE, DISABLE, DELETE), so every activity says which account.
    items:
      a.items.length === 0 && a.operation !== 'Create' && a.operation !== 'Modify'
        ? [
            {
              operation: a.operation,
              attribute: null,
              value: null,
              nativeIdentity: a.nativeIdentity,
              sourceId: a.sourceId,
              provisioningStatus: a.status,
            },
          ]
        : a.items.map((i) => ({
            operation: i.operation,
            attribute: i.attribute,
            value: i.secret ? null : i.value,
            ...(i.secret ? { secret: true } : {}),
            nativeIdentity: a.nativeIdentity,
            sourceId: a.sourceId,
            provisioningStatus: a.status,
          })),
    provisioningStatus: a.status,
    errors: a.errors,
    reasons: a.reasons,
  }
}

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
  if (options.json) return printJson(activities.map((a) => activityJson(a, a.sourceName ?? undefined)))
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
  const masked = tasks.map((t) => taskJson(t, undefined))
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

/** `secrets`: the task's secret values, opened (null once closed); undefined masks them. */
function taskJson(t: WorkItemRow, secrets: Readonly<Record<string, string>> | null | undefined): object {
  return {
    id: t.id,
    type: t.type,
    state: t.state,
    owner: t.owner,
    source: { id: t.sourceId, name: t.sourceName },
    activityId: t.activityId,
    description: t.description,
    remediationItems: t.remediationItems.map((i) => ({
      operation: i.operation,
      attribute: i.attribute,
      value: i.secret ? (secrets === undefined ? '********' : (secrets?.[i.attribute] ?? null)) : i.value,
      ...(i.secret ? { secret: true } : {}),
    })),
    comment: t.comment,
    created: t.created,
    completed: t.completed,
  }
}

/** One task in full, secret values included: what its owner needs to carry it out. */
export async function taskShowCommand(
  workspace: string,
  id: string,
  options: { json?: boolean },
): Promise<void> {
  // Secret values are decrypted here only, for the owner's eyes.
  const { task, secrets } = await withEngine(workspace, (e) => getWorkItem(e, id))
  if (options.json) return printJson(taskJson(task, secrets))
  const lines = [
    `${task.description}  (${task.id}, ${task.state})`,
    `  owner   ${task.owner ?? '(none)'}`,
    ...task.remediationItems.map((i) => {
      const value = i.secret ? (secrets?.[i.attribute] ?? '(no longer shown: the task is closed)') : i.value
      const sign = i.operation === 'Add' ? '+' : i.operation === 'Remove' ? '-' : ' '
      return `  ${sign} ${i.attribute} = ${Array.isArray(value) ? value.join(', ') : String(value ?? '')}`
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
