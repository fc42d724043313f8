import type { PgBoss } from 'pg-boss'
import { coerceError } from '../domain/errors.js'
import { ABANDONED_AGGREGATION_QUEUE, SOURCE_AGGREGATION_QUEUE } from './job-payloads.js'
import { sendJob, workJobs } from './typed-jobs.js'

/**
 * A task's job whose process stops sending heartbeats (it died) is taken up again by another process,
 * once; when that one dies too, the job goes to the abandoned queue, whose worker marks the task ERROR.
 */
const HEARTBEAT_SECONDS = 60
const RETRIES_AFTER_A_DEAD_PROCESS = 1
/** The longest a source aggregation may run, even with a live process. */
const LONGEST_RUN_SECONDS = 6 * 3600

/** Creates the queues of source-aggregation tasks (once per database; again is harmless). */
export async function createSourceAggregationQueues(boss: PgBoss): Promise<void> {
  await boss.createQueue(ABANDONED_AGGREGATION_QUEUE, { retryLimit: 2 })
  await boss.createQueue(SOURCE_AGGREGATION_QUEUE, {
    retryLimit: RETRIES_AFTER_A_DEAD_PROCESS,
    heartbeatSeconds: HEARTBEAT_SECONDS,
    expireInSeconds: LONGEST_RUN_SECONDS,
    deadLetter: ABANDONED_AGGREGATION_QUEUE,
  })
}

/** Puts a recorded task on the queue; any `serve` or `worker` on the database takes it up. */
export async function sendSourceAggregation(boss: PgBoss, taskId: string): Promise<string> {
  await createSourceAggregationQueues(boss)
  const jobId = await sendJob(boss, SOURCE_AGGREGATION_QUEUE, { taskId })
  if (jobId === null) throw new Error(`the queue did not take the job of task ${taskId}`)
  return jobId
}

export interface SourceAggregationWork {
  /** Runs the task and records its outcome; returns a line for the log. Throws only when it cannot record. */
  readonly run: (taskId: string) => Promise<string>
  /** Marks the task ERROR: every process that took it up stopped before it completed. */
  readonly abandon: (taskId: string) => Promise<void>
  readonly log: (line: string) => void
}

/** Works source-aggregation tasks in this process, one at a time, and their abandoned jobs. */
export async function startSourceAggregations(boss: PgBoss, work: SourceAggregationWork): Promise<void> {
  await createSourceAggregationQueues(boss)
  await workJobs(
    boss,
    SOURCE_AGGREGATION_QUEUE,
    { localConcurrency: 1, pollingIntervalSeconds: 1 },
    async (job) => {
      try {
        work.log(`${await work.run(job.data.taskId)} [job ${job.id}]`)
      } catch (err) {
        work.log(`task ${job.data.taskId} could not be recorded: ${coerceError(err).message}`)
        throw err
      }
    },
    work.log,
  )
  await workJobs(
    boss,
    ABANDONED_AGGREGATION_QUEUE,
    { pollingIntervalSeconds: 5 },
    async (job) => {
      await work.abandon(job.data.taskId)
      work.log(`task ${job.data.taskId}: abandoned (its processes stopped) [job ${job.id}]`)
    },
    work.log,
  )
}
