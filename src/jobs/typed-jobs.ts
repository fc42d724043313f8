import type { PgBoss, ScheduleOptions, SendOptions, WorkOptions } from 'pg-boss'
import { coerceError } from '../domain/errors.js'
import {
  parsePayload,
  type JobPayloads,
  type JobQueue,
  type REQUEST_TIMERS_QUEUE,
  type ScheduleQueue,
} from './job-payloads.js'

/** Sends a job whose payload is the one its queue carries. */
export function sendJob<Q extends JobQueue>(
  boss: PgBoss,
  queue: Q,
  data: JobPayloads[Q],
  options: SendOptions = {},
): Promise<string | null> {
  return boss.send(queue, data, options)
}

/** Schedules a cron job whose payload is the one its schedule queue carries. */
export function scheduleJob<Q extends ScheduleQueue | typeof REQUEST_TIMERS_QUEUE>(
  boss: PgBoss,
  queue: Q,
  cron: string,
  data: JobPayloads[Q],
  options: ScheduleOptions = {},
): Promise<void> {
  return boss.schedule(queue, cron, data, options)
}

/** The job in hand: its id (for the log) and its checked payload. */
export interface TypedJob<Q extends JobQueue> {
  readonly id: string
  readonly data: JobPayloads[Q]
  /** Earlier attempts of this job (pg-boss's retries). */
  readonly retryCount: number
}

/**
 * Works a queue's jobs one at a time per worker, each payload checked first. A malformed payload fails
 * its job at once with a message naming the queue and the wrong fields (to the queue's dead letter, if it
 * has one), and the worker goes on; a handler that throws fails the job, which the queue retries by its
 * own policy.
 */
export function workJobs<Q extends JobQueue>(
  boss: PgBoss,
  queue: Q,
  options: Omit<WorkOptions, 'batchSize' | 'perJobResults' | 'transactional' | 'includeMetadata'>,
  handle: (job: TypedJob<Q>) => Promise<void>,
  log: (line: string) => void,
): Promise<string> {
  return boss.work<unknown>(
    queue,
    { ...options, batchSize: 1, perJobResults: true, includeMetadata: true },
    async (jobs) => {
      const results = []
      for (const job of jobs) {
        let data: JobPayloads[Q]
        try {
          data = parsePayload(queue, job.data)
        } catch (err) {
          const message = coerceError(err).message
          log(`job ${job.id}: ${message}`)
          results.push({ id: job.id, status: 'deadletter' as const, output: { message } })
          continue
        }
        await handle({ id: job.id, data, retryCount: job.retryCount })
        results.push({ id: job.id, status: 'completed' as const })
      }
      return results
    },
  )
}
