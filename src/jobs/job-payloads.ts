import { z } from 'zod'

/** The queue whose jobs each say "work through this source's due account activities". */
export const PROVISION_QUEUE = 'provision'
/** The queue of source-aggregation tasks (`aggregate --async`, later `POST /v3/sources/{id}/load-accounts`). */
export const SOURCE_AGGREGATION_QUEUE = 'source-aggregation'
/** Where a source-aggregation job goes when every attempt's process died: its task is then marked ERROR. */
export const ABANDONED_AGGREGATION_QUEUE = 'source-aggregation.abandoned'

/** Every minute: access requests' start and end dates, approval reminders and escalations (engine/requests). */
export const REQUEST_TIMERS_QUEUE = 'request-timers'

/** What a schedule's cron job carries: the task it runs (the worker reads the schedule itself). */
export interface SchedulePayload {
  readonly task: 'aggregate' | 'process'
  readonly source: string | null
}

/** A configured schedule's queue: `schedule.<index>.<label>` (jobs/schedules.ts names them). */
export type ScheduleQueue = `schedule.${string}`

/** The payload of every queue's jobs, by queue name: what `sendJob` accepts and `workJobs` hands over. */
export interface JobPayloads {
  readonly [PROVISION_QUEUE]: { readonly sourceId: string }
  readonly [SOURCE_AGGREGATION_QUEUE]: { readonly taskId: string }
  readonly [ABANDONED_AGGREGATION_QUEUE]: { readonly taskId: string }
  readonly [REQUEST_TIMERS_QUEUE]: Readonly<Record<string, never>>
  readonly [schedule: ScheduleQueue]: SchedulePayload
}

export type JobQueue = keyof JobPayloads

const id = z.string().min(1)
const taskPayload = z.object({ taskId: id })
const schedulePayload = z.object({ task: z.enum(['aggregate', 'process']), source: z.string().nullable() })

/** The schema each queue's payloads are checked against on receipt. */
function schemaOf(queue: JobQueue): z.ZodType {
  if (queue === PROVISION_QUEUE) return z.object({ sourceId: id })
  if (queue === SOURCE_AGGREGATION_QUEUE || queue === ABANDONED_AGGREGATION_QUEUE) return taskPayload
  if (queue === REQUEST_TIMERS_QUEUE) return z.object({})
  return schedulePayload
}

/**
 * A job's payload checked against its queue's schema: another version of Provisio, or a hand-made job,
 * may have put anything there. Throws MalformedJobError, naming the queue and each wrong field.
 */
export function parsePayload<Q extends JobQueue>(queue: Q, data: unknown): JobPayloads[Q] {
  const parsed = schemaOf(queue).safeParse(data)
  if (parsed.success) return parsed.data as JobPayloads[Q]
  const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(payload)'}: ${i.message}`)
  throw new MalformedJobError(`malformed payload for queue "${queue}": ${problems.join('; ')}`)
}

/** A job whose payload is not what its queue carries: failed at once, never retried. */
export class MalformedJobError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'MalformedJobError'
  }
}
