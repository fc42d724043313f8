import type { PgBoss } from 'pg-boss'
import type { ScheduleConfig } from '../domain/config/config-schemas.js'
import { coerceError } from '../domain/errors.js'
import type { ScheduleQueue } from './job-payloads.js'
import { scheduleJob, workJobs } from './typed-jobs.js'

/** The queue that carries one configured schedule's runs. */
export function scheduleQueue(s: ScheduleConfig, index: number): ScheduleQueue {
  const label = s.task === 'aggregate' ? `aggregate.${s.source ?? ''}` : 'process'
  return `schedule.${index}.${label}`.replace(/[^A-Za-z0-9._-]/g, '_') as ScheduleQueue
}

/** Runs the task a schedule names; the caller supplies the use cases, so jobs stay free of engine wiring. */
export type ScheduleRunner = (s: ScheduleConfig) => Promise<string>

/**
 * Registers the workspace's schedules in pg-boss (cron, time zone) and a worker for each; schedules
 * that are no longer configured are removed. Runs that fail are logged and recorded as failed jobs.
 */
export async function installSchedules(
  boss: PgBoss,
  schedules: readonly ScheduleConfig[],
  run: ScheduleRunner,
  log: (line: string) => void,
): Promise<string[]> {
  const wanted = schedules.map((s, i) => ({ s, queue: scheduleQueue(s, i) }))
  for (const existing of await boss.getSchedules()) {
    if (existing.name.startsWith('schedule.') && !wanted.some((w) => w.queue === existing.name)) {
      await boss.unschedule(existing.name)
    }
  }
  for (const { s, queue } of wanted) {
    // A scheduled run is not retried: the next occurrence comes anyway, and a failed run is logged.
    await boss.createQueue(queue, { retryLimit: 0 })
    await scheduleJob(boss, queue, s.cron, { task: s.task, source: s.source ?? null }, { tz: s.timeZone })
    await workJobs(
      boss,
      queue,
      {},
      async () => {
        try {
          log(`${s.name ?? queue}: ${await run(s)}`)
        } catch (err) {
          log(`${s.name ?? queue}: failed: ${coerceError(err).message}`)
          throw err
        }
      },
      log,
    )
  }
  return wanted.map((w) => w.queue)
}
