import type { PgBoss } from 'pg-boss'
import { installSchedules, type ScheduleRunner } from '../jobs/schedules.js'
import { installRequestTimers } from '../jobs/request-timer-jobs.js'
import { startQueue } from '../jobs/start-queue.js'
import { campaignTimerSummary, runCampaignTimers } from '../engine/certifications/run-campaign-timers.js'
import { runRequestTimers, timerSummary } from '../engine/requests/run-request-timers.js'
import type { OpenEngine } from './open-engine.js'
import { startNotificationSender } from './start-notification-sender.js'
import { startTaskRunner } from './source-aggregation-tasks.js'
import { startExecutor, type ExecutorSettings } from './start-executor.js'

/**
 * The long-running part of the runtime: the durable queue, the executor, the asynchronous tasks, the
 * notification sender and (for `serve`) the schedules.
 */
export interface Services {
  readonly boss: PgBoss
  /** The queues of the installed schedules (none for a worker). */
  readonly schedules: readonly string[]
  /** Stops taking work, lets running jobs finish (up to 20 s), and closes the engine. */
  stop(): Promise<void>
  /** Stops at once without waiting for jobs, and closes the engine: for a start-up that failed half-way. */
  abort(): Promise<void>
}

export interface ServicesOptions {
  readonly executor: ExecutorSettings
  /** Runs the configured schedules with this runner; without it, no schedule is installed. */
  readonly runSchedule?: ScheduleRunner
  readonly log: (line: string) => void
}

/**
 * Starts the queue on the engine's store, then the schedules and the executor on it: what `serve` and
 * `worker` run, so both start and stop the same way. The engine is closed by `stop` and `abort`.
 */
export async function startServices(engine: OpenEngine, options: ServicesOptions): Promise<Services> {
  const boss = await startQueue(engine.store, options.log)
  let stopExecutor: () => void = () => undefined
  let stopSender: () => Promise<void> = async () => undefined
  const abort = async (): Promise<void> => {
    stopExecutor()
    // Not awaited: an abort does not wait for a mail server.
    void stopSender()
    await boss.stop({ graceful: false }).catch(() => undefined)
    await engine.close()
  }
  try {
    const schedules = options.runSchedule
      ? await installSchedules(boss, engine.config.settings.schedules, options.runSchedule, options.log)
      : []
    // `provisio worker` processes on the same server share the executor's work.
    stopExecutor = await startExecutor(engine, boss, options.executor, options.log)
    // Source aggregations asked for with `aggregate --async` (and later the API), by any process on the database.
    await startTaskRunner(engine, boss, options.log)
    // Access requests' dates, reminders and escalations, once a minute for all processes on the database;
    // Campaigns' reminders, escalations, past-due completion and remediation follow-up, on the same clock.
    await installRequestTimers(
      boss,
      async () =>
        [timerSummary(await runRequestTimers(engine)), campaignTimerSummary(await runCampaignTimers(engine))]
          .filter(Boolean)
          .join(', '),
      options.log,
    )
    // Email notifications queued by any process on the database (docs/notifications.md).
    stopSender = startNotificationSender(engine, options.log)
    return {
      boss,
      schedules,
      abort,
      stop: async () => {
        stopExecutor()
        try {
          await stopSender()
          await boss.stop({ graceful: true, timeout: 20_000 })
        } finally {
          await engine.close()
        }
      },
    }
  } catch (err) {
    await abort()
    throw err
  }
}
