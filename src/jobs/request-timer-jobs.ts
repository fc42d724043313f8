import type { PgBoss } from 'pg-boss'
import { coerceError } from '../domain/errors.js'
import { REQUEST_TIMERS_QUEUE } from './job-payloads.js'
import { scheduleJob, workJobs } from './typed-jobs.js'

/**
 * Runs the access requests' timers once a minute on the durable queue: pg-boss's cron puts one job a
 * minute for all processes on the database, so a restart loses no date and two workers never run the
 * same minute twice. What is due is read from the store each time (dates, reminders sent), never held
 * in memory.
 */
export async function installRequestTimers(
  boss: PgBoss,
  run: () => Promise<string>,
  log: (line: string) => void,
): Promise<void> {
  await boss.createQueue(REQUEST_TIMERS_QUEUE, { retryLimit: 0 })
  await scheduleJob(boss, REQUEST_TIMERS_QUEUE, '* * * * *', {})
  await workJobs(
    boss,
    REQUEST_TIMERS_QUEUE,
    {},
    async () => {
      try {
        const summary = await run()
        if (summary !== '') log(`access request timers: ${summary}`)
      } catch (err) {
        log(`access request timers: failed: ${coerceError(err).message}`)
        throw err
      }
    },
    log,
  )
}
