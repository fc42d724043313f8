import type { AsyncTask, TaskMessage } from '../../domain/tasks/async-task.js'

/** What each count of a source aggregation's `attributes` is, in the reference's `returns` list. */
const AGGREGATION_RETURNS: readonly { readonly name: string; readonly attributeName: string }[] = [
  { name: 'TASK_OUT_ACCOUNT_AGGREGATION_TOTAL', attributeName: 'total' },
  { name: 'TASK_OUT_ACCOUNT_AGGREGATION_CREATED', attributeName: 'created' },
  { name: 'TASK_OUT_ACCOUNT_AGGREGATION_UPDATED', attributeName: 'updated' },
  { name: 'TASK_OUT_UNCHANGED_ACCOUNTS', attributeName: 'unchanged' },
  { name: 'TASK_OUT_ACCOUNT_AGGREGATION_DELETED', attributeName: 'deleted' },
  { name: 'TASK_OUT_ACCOUNT_AGGREGATION_REJECTED', attributeName: 'rejected' },
  { name: 'TASK_OUT_ENTITLEMENTS_DISCOVERED', attributeName: 'entitlementsDiscovered' },
  { name: 'TASK_OUT_ACCOUNTS_CORRELATED', attributeName: 'correlated' },
  { name: 'TASK_OUT_ACCOUNTS_UNCORRELATED', attributeName: 'uncorrelated' },
  { name: 'TASK_OUT_IDENTITIES_CREATED', attributeName: 'identitiesCreated' },
  { name: 'TASK_OUT_IDENTITIES_UPDATED', attributeName: 'identitiesUpdated' },
  { name: 'TASK_OUT_IDENTITY_ERRORS', attributeName: 'identityErrors' },
  { name: 'TASK_OUT_ACCOUNT_REQUESTS', attributeName: 'accountRequests' },
]

/**
 * A task in the reference's task-status shape (`GET /task-status/{id}`): the counts are in `attributes`,
 * and `returns` names them; `completionStatus` is null until the task completes, and `progress` says
 * which step it is at.
 */
export function taskStatusJson(t: AsyncTask): object {
  return {
    id: t.id,
    type: 'QUEUED_TASK',
    uniqueName: t.name,
    description: t.description,
    parentName: null,
    launcher: t.launcher,
    target: { id: t.target.id, type: 'SOURCE', name: t.target.name },
    created: t.created,
    modified: t.completed ?? t.launched ?? t.created,
    launched: t.launched,
    completed: t.completed,
    completionStatus: t.completionStatus,
    messages: t.messages.map(messageJson),
    returns: t.completed !== null && t.completionStatus !== 'ERROR' ? AGGREGATION_RETURNS : [],
    attributes: { sourceName: t.target.name, attempts: t.attempts, ...t.returns },
    progress: t.progress,
    percentComplete: t.completed !== null ? 100 : 0,
  }
}

/** The answer to `POST /sources/{id}/load-accounts`: the task just queued, in the reference's shape. */
export function loadAccountsJson(t: AsyncTask): object {
  return {
    success: true,
    task: {
      id: t.id,
      type: 'QUEUED_TASK',
      name: t.name,
      description: t.description,
      launcher: t.launcher,
      created: t.created,
      launched: t.launched,
      completed: t.completed,
      completionStatus: t.completionStatus,
      parentName: null,
      messages: t.messages.map(messageJson),
      progress: t.progress,
      attributes: { sourceName: t.target.name, ...(t.target.id !== null ? { sourceId: t.target.id } : {}) },
      returns: AGGREGATION_RETURNS.map((r) => ({ displayLabel: r.name, attributeName: r.attributeName })),
    },
  }
}

function messageJson(m: TaskMessage): object {
  return { type: m.type, localizedText: { locale: 'en-US', message: m.text }, key: m.key, parameters: [] }
}
