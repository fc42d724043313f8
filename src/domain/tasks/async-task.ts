/**
 * A task that runs in the background and keeps a status, as the reference's task-status: created
 * PENDING, RUNNING once launched, then completed with one of these statuses.
 */
export type CompletionStatus = 'SUCCESS' | 'WARNING' | 'ERROR' | 'TERMINATED'

/** What a task can be: a source aggregation (aggregate, process, apply when automatic). */
export type AsyncTaskKind = 'SOURCE_AGGREGATION'

/** A message a task leaves for whoever reads its status: warnings and errors, mostly. */
export interface TaskMessage {
  readonly type: 'INFO' | 'WARN' | 'ERROR'
  /** A stable key for the kind of message, e.g. `aggregation-failed`, `row-rejected`. */
  readonly key: string
  readonly text: string
}

export interface AsyncTask {
  readonly id: string
  readonly kind: AsyncTaskKind
  readonly name: string
  readonly description: string
  /** Who started it: a user's name, or `schedule` / `system`. */
  readonly launcher: string
  /** What it works on (a source's configuration id and name). */
  readonly target: { readonly id: string | null; readonly name: string }
  readonly created: string
  readonly launched: string | null
  readonly completed: string | null
  readonly completionStatus: CompletionStatus | null
  /** The step it is at (`Aggregating`, …), or how it ended. */
  readonly progress: string | null
  /** How many times a process has taken it up (more than one: an earlier process stopped mid-run). */
  readonly attempts: number
  readonly messages: readonly TaskMessage[]
  /** What it counted, by name (accounts created, identities updated, account requests, …). */
  readonly returns: Readonly<Record<string, number>>
}

/** PENDING until launched, RUNNING until completed, then its completion status. */
export function taskState(t: AsyncTask): 'PENDING' | 'RUNNING' | CompletionStatus {
  if (t.completionStatus !== null) return t.completionStatus
  return t.launched === null ? 'PENDING' : 'RUNNING'
}
