import { CronExpressionParser } from 'cron-parser'
import { z } from 'zod'
import { InputError } from '../errors.js'
import { MONTHS } from '../transforms/simple-date-format.js'
import { campaignSpecSchema, type CampaignSpec } from './campaign.js'

/** An ISO 8601 duration of days and weeks, months, years, hours (P2W, P14D, P1M, PT36H). */
const DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?)?$/

/**
 * A campaign template as created through `/v3/campaign-templates`: the campaign each generation creates
 * (without a deadline: `deadlineDuration` after the generation gives it), strict like a campaign.
 */
export const campaignTemplateSchema = z.strictObject({
  name: z.string().min(1).max(255),
  description: z.string().max(2000).nullish(),
  deadlineDuration: z
    .string()
    .regex(DURATION, 'an ISO 8601 duration such as P2W, P30D or P1M')
    // Each generation's deadline is this long after it; a zero or unrepresentable one makes every
    // generation fail (a deadline not in the future, or no date at all), so it is refused here.
    .refine((d) => usableDuration(d), 'a duration longer than zero that ends on a date (P2W, P30D, P1M)')
    .nullish(),
  campaign: campaignSpecSchema.omit({ deadline: true }).superRefine((c, ctx) => {
    // The name each generation gets must fit the campaign's own limit, or every generation fails: its
    // placeholders filled in for the longest date (%B September, %e 30).
    const longest = formatTemplateText(c.name, LONGEST_DATE).length
    if (longest > 255) {
      ctx.addIssue({
        code: 'custom',
        path: ['name'],
        message: `with its date placeholders filled in it can be ${longest} characters, over 255`,
      })
    }
  }),
  // Read-only fields a client may echo back: accepted and ignored.
  id: z.string().optional(),
  created: z.string().optional(),
  modified: z.string().optional(),
  scheduled: z.boolean().optional(),
  ownerRef: z.unknown().optional(),
})
export type CampaignTemplateSpec = z.infer<typeof campaignTemplateSchema>

const selector = z.strictObject({
  type: z.enum(['LIST', 'RANGE']),
  values: z.array(z.string().min(1).max(10)).min(1).max(31),
  interval: z.number().int().min(1).max(24).nullish(),
})

/** The reference's Schedule of a campaign template. */
export const scheduleSchema = z.strictObject({
  type: z.enum(['WEEKLY', 'MONTHLY', 'ANNUALLY', 'CALENDAR']),
  months: selector.nullish(),
  days: selector.nullish(),
  hours: selector,
  expiration: z.iso.datetime({ offset: true }).nullish(),
  timeZoneId: z.string().min(1).nullish(),
})
export type Schedule = z.infer<typeof scheduleSchema>

/** A stored template. */
export interface CampaignTemplate {
  readonly id: string
  readonly name: string
  readonly description: string | null
  readonly ownerId: string | null
  readonly deadlineDuration: string | null
  readonly campaign: Omit<CampaignSpec, 'deadline'>
  readonly schedule: Schedule | null
  readonly nextRun: string | null
  readonly lastGenerated: string | null
  readonly lastError: string | null
  readonly created: string
  readonly modified: string
}

const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT']

/**
 * The schedule's time zone, checked: cron-parser fails on an unknown one with a message about its own
 * dates ("CronDate: unhandled timestamp"), or, for a CALENDAR schedule, with an error that is no InputError.
 */
function timeZoneOf(schedule: Schedule): string {
  const tz = schedule.timeZoneId ?? 'UTC'
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz })
  } catch {
    throw new InputError(
      `schedule.timeZoneId: "${tz}" is not a time zone (an IANA name such as Europe/Paris)`,
    )
  }
  return tz
}

/**
 * When a schedule next generates a campaign after `after` (exclusive), or null once it expired. Hours and
 * days are read in the schedule's time zone (default UTC). Throws an InputError naming what is wrong.
 */
export function nextRun(schedule: Schedule, after: Date): Date | null {
  const tz = timeZoneOf(schedule)
  const expires = schedule.expiration ? Date.parse(schedule.expiration) : null
  let next: Date | null
  if (schedule.type === 'CALENDAR') {
    next = calendarNext(schedule, after, tz)
  } else {
    const cron = cronOf(schedule)
    try {
      next = CronExpressionParser.parse(cron, { tz, currentDate: after, strict: false }).next().toDate()
    } catch (err) {
      throw new InputError(`schedule: ${err instanceof Error ? err.message : String(err)}`)
    }
  }
  return next !== null && (expires === null || next.getTime() <= expires) ? next : null
}

/** The cron expression of a WEEKLY, MONTHLY or ANNUALLY schedule (minute 0 of each chosen hour). */
export function cronOf(schedule: Schedule): string {
  const hours = field(schedule.hours, 'hours', 0, 23)
  if (schedule.type === 'WEEKLY') {
    const days = needed(schedule.days, 'days', 'WEEKLY')
    const bad = days.values.filter((d) => !WEEKDAYS.includes(d))
    if (bad.length > 0) throw new InputError(`schedule.days: ${bad.join(', ')} — WEEKLY days are MON … SUN`)
    // Only the first two of a RANGE make the cron range: a third would be ignored without a word.
    if (days.type === 'RANGE' && days.values.length !== 2) {
      throw new InputError('schedule.days: a RANGE has two values, first and last')
    }
    return `0 ${hours} * * ${days.type === 'RANGE' ? `${days.values[0] ?? ''}-${days.values[1] ?? ''}` : days.values.join(',')}`
  }
  const days = monthDays(needed(schedule.days, 'days', schedule.type))
  if (schedule.type === 'MONTHLY') return `0 ${hours} ${days} * *`
  const months = field(needed(schedule.months, 'months', 'ANNUALLY'), 'months', 1, 12)
  return `0 ${hours} ${days} ${months} *`
}

function needed<T>(v: T | null | undefined, name: string, type: string): T {
  if (v === undefined || v === null) {
    throw new InputError(`schedule.${name}: a ${type} schedule names its ${name}`)
  }
  return v
}

function field(s: z.infer<typeof selector>, name: string, min: number, max: number): string {
  const numbers = s.values.map((v) => whole(v, `schedule.${name}`, min, max))
  // An interval steps through a RANGE; on a LIST it would be kept and never used.
  if (s.type === 'LIST' && s.interval != null) {
    throw new InputError(`schedule.${name}.interval: an interval goes with a RANGE, not a LIST`)
  }
  if (s.type === 'RANGE') {
    if (numbers.length !== 2) throw new InputError(`schedule.${name}: a RANGE has two values, first and last`)
    return `${numbers[0] ?? min}-${numbers[1] ?? max}${s.interval ? `/${s.interval}` : ''}`
  }
  return numbers.join(',')
}

/** A number as written: digits only (Number alone reads "0x9" as 9, " 9" and "9.0" too). */
function whole(v: string, path: string, min: number, max: number): number {
  const n = Number(v)
  if (!/^\d{1,2}$/.test(v) || n < min || n > max) throw new InputError(`${path}: "${v}" is not ${min}–${max}`)
  return n
}

function monthDays(s: z.infer<typeof selector>): string {
  if (s.type === 'LIST' && s.values.includes('L')) {
    if (s.values.length > 1) throw new InputError('schedule.days: "L" (the last day) stands alone')
    return 'L'
  }
  return field(s, 'days', 1, 31)
}

/** CALENDAR: the days are dates (YYYY-MM-DD), at the first hour listed. */
function calendarNext(schedule: Schedule, after: Date, tz: string): Date | null {
  const days = needed(schedule.days, 'days', 'CALENDAR').values
  const hour = whole(schedule.hours.values[0] ?? '', 'schedule.hours', 0, 23)
  let best: Date | null = null
  for (const d of days) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d)) {
      throw new InputError(`schedule.days: "${d}" — CALENDAR days are dates, YYYY-MM-DD`)
    }
    const [y, m, day] = d.split('-').map(Number) as [number, number, number]
    // Date.UTC rolls 2031-02-31 over into March; cron-parser throws on it (a 500): name the day instead.
    const midnight = new Date(Date.UTC(y, m - 1, day))
    if (midnight.getUTCMonth() !== m - 1 || midnight.getUTCDate() !== day) {
      throw new InputError(`schedule.days: "${d}" is not a date`)
    }
    const expression = CronExpressionParser.parse(`0 ${hour} ${day} ${m} *`, {
      tz,
      currentDate: new Date(midnight.getTime() - 2 * 86_400_000),
      strict: false,
    })
    const at = expression.next().toDate()
    if (at.getTime() > after.getTime() && (best === null || at < best)) best = at
  }
  return best
}

/** Adds an ISO 8601 duration (as DURATION accepts) to a date, in UTC. */
export function addDuration(from: Date, duration: string): Date {
  const m = DURATION.exec(duration)
  if (!m) throw new InputError(`deadlineDuration: "${duration}" is not an ISO 8601 duration such as P2W`)
  const n = (i: number): number => Number((m[i] ?? '0').slice(0, -1) || 0)
  const d = new Date(from)
  d.setUTCFullYear(d.getUTCFullYear() + n(1), d.getUTCMonth() + n(2), d.getUTCDate() + 7 * n(3) + n(4))
  d.setUTCHours(d.getUTCHours() + n(6), d.getUTCMinutes() + n(7))
  if (Number.isNaN(d.getTime())) {
    throw new InputError(`deadlineDuration: "${duration}" ends past the last date there is`)
  }
  return d
}

/** Whether a duration (as DURATION accepts) is longer than zero and ends on a date. */
function usableDuration(duration: string): boolean {
  const from = new Date(0)
  try {
    return addDuration(from, duration).getTime() > from.getTime()
  } catch {
    return false
  }
}

/** The date whose placeholders fill in longest: September (the longest month name), the 30th. */
const LONGEST_DATE = new Date('2030-09-30T23:59:00Z')

/**
 * A generated campaign's name or description: the template's, with date placeholders as the reference
 * formats them (java.util.Formatter's date suffixes): %Y year, %y two digits, %m month, %B / %b its name,
 * %d day, %e day without zero, %H hour, %M minute, %F date (YYYY-MM-DD), %% a percent sign. UTC.
 */
export function formatTemplateText(text: string, at: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0')
  const month = at.getUTCMonth()
  const parts: Record<string, string> = {
    Y: String(at.getUTCFullYear()),
    y: two(at.getUTCFullYear() % 100),
    m: two(month + 1),
    B: MONTHS[month] as string,
    b: (MONTHS[month] as string).slice(0, 3),
    d: two(at.getUTCDate()),
    e: String(at.getUTCDate()),
    H: two(at.getUTCHours()),
    M: two(at.getUTCMinutes()),
    F: at.toISOString().slice(0, 10),
    '%': '%',
  }
  return text.replace(/%([YymBbdeHMF%])/g, (_, k: string) => parts[k] as string)
}
