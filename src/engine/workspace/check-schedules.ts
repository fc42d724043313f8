import type { ScheduleConfig } from '../../domain/config/config-schemas.js'
import type { ConfigProblem } from '../../domain/errors.js'
const SETTINGS_FILE = 'provisio.yaml'

/**
 * Each schedule's cron expression and time zone are ones `provisio serve` can install: they are read by
 * pg-boss's own parser (previewSchedule, the check its schedule() makes), so `validate` accepts exactly what
 * the scheduler will. The expression must also have the five fields the documentation promises: the parser
 * would read `0 8 *` as something else than the user meant (every minute of hour 8? of every hour?).
 */
export async function checkSchedules(schedules: readonly ScheduleConfig[]): Promise<ConfigProblem[]> {
  if (schedules.length === 0) return []
  const problems: ConfigProblem[] = []
  // PgBoss.previewSchedule only hands the expression to its Timekeeper: that module alone is loaded, not
  // the whole queue (with its telemetry, hundreds of modules), since every command that reads the
  // configuration checks the schedules. Never started: previewSchedule is pure arithmetic, and it
  // touches neither the database nor the manager it is built with.
  const { default: Timekeeper } = await import('pg-boss/dist/timekeeper.js')
  const boss = new Timekeeper(undefined as never, undefined as never, {} as never)
  schedules.forEach((s, i) => {
    const report = (field: string, message: string): void =>
      void problems.push({
        file: SETTINGS_FILE,
        object: 'workspace',
        path: `schedules[${i}].${field}`,
        message,
      })
    const fields = s.cron.trim().split(/\s+/)
    if (fields.length !== 5) {
      report(
        'cron',
        `"${s.cron}" has ${fields.length} field${fields.length === 1 ? '' : 's'}: a cron expression has 5 (minute hour day-of-month month day-of-week)`,
      )
      return
    }
    try {
      boss.previewSchedule(s.cron, { tz: s.timeZone, count: 1, from: new Date(0) })
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      // The time zone is checked by its schema (Intl); name the field the parser blames.
      if (/time ?zone/i.test(message)) report('timeZone', message)
      else report('cron', `"${s.cron}" is not a valid cron expression: ${message}`)
    }
  })
  return problems
}
