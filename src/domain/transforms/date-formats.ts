import { compileDatePattern, daysInMonth, utc, utcFields } from './simple-date-format.js'

/** Reads and writes instants (epoch milliseconds, UTC) in one format. */
export interface DateCodec {
  readonly name: string
  parse(text: string, now: () => number): number | undefined
  format(epochMs: number): string
}

const MAX_MS = 8.64e15
const WIN32_EPOCH_OFFSET_MS = 11_644_473_600_000n

const ISO =
  /^\s*([+-]?\d{4,6})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?\s*$/

/**
 * ISO 8601, read leniently: date only, date and time with or without seconds and fraction, `Z`, an
 * offset, or no zone (UTC). Covers what the reference's own transforms produce (`dateMath` writes
 * `yyyy-MM-dd'T'HH:mm`) and what sources send (`2020-10-28T12:00:00.000Z`, `...+0000`).
 */
export function parseIso8601(text: string): number | undefined {
  const fast = parseCanonicalIso(text)
  if (fast !== undefined) {
    return fast
  }
  const m = ISO.exec(text)
  if (m === null) {
    return undefined
  }
  const [, y, mo, d, h, mi, s, frac, zone] = m
  const year = Number(y)
  const month = Number(mo)
  const day = Number(d)
  const hour = Number(h ?? 0)
  const minute = Number(mi ?? 0)
  const second = Number(s ?? 0)
  if (
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month) ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return undefined
  }
  const millis = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'))
  let offset = 0
  if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
    const digits = zone.replace(':', '')
    offset =
      (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || 0)) * (zone.startsWith('-') ? -1 : 1)
  }
  const ms = utc(year, month, day, hour, minute, second, millis) - offset * 60_000
  return Math.abs(ms) <= MAX_MS ? ms : undefined
}

/**
 * The two shapes transforms hand each other — `yyyy-MM-ddTHH:mm:ss.SSSZ` (dateFormat's ISO8601) and
 * `yyyy-MM-ddTHH:mm` (dateMath) — read by position without a regex; undefined for anything else.
 */
function parseCanonicalIso(text: string): number | undefined {
  const n = text.length
  if (n !== 24 && n !== 16) {
    return undefined
  }
  if (text[4] !== '-' || text[7] !== '-' || text[10] !== 'T' || text[13] !== ':') {
    return undefined
  }
  if (n === 24 && (text[16] !== ':' || text[19] !== '.' || text[23] !== 'Z')) {
    return undefined
  }
  const num = (from: number, len: number): number => {
    let v = 0
    for (let i = from; i < from + len; i++) {
      const c = text.charCodeAt(i) - 48
      if (c < 0 || c > 9) {
        return NaN
      }
      v = v * 10 + c
    }
    return v
  }
  const year = num(0, 4)
  const month = num(5, 2)
  const day = num(8, 2)
  const hour = num(11, 2)
  const minute = num(14, 2)
  const second = n === 24 ? num(17, 2) : 0
  const millis = n === 24 ? num(20, 3) : 0
  if (
    !(
      year >= 0 &&
      month >= 1 &&
      month <= 12 &&
      day >= 1 &&
      hour <= 23 &&
      minute <= 59 &&
      second <= 59 &&
      millis >= 0
    ) ||
    day > daysInMonth(year, month)
  ) {
    return undefined
  }
  return utc(year, month, day, hour, minute, second, millis)
}

/**
 * `yyyy-MM-dd'T'HH:mm:ss.SSSX` in UTC, e.g. `1974-08-02T02:30:32.190Z`. The docs spell the ISO8601
 * format with `Z` (which Java writes as `+0000`) and print `-00` in their example; we write the `Z`
 * designator, which is what ISO 8601 and every other transform here read.
 */
export function formatIso8601(ms: number): string {
  const f = utcFields(ms)
  if (f.year < 0 || f.year > 9999) {
    return ISO8601_PATTERN.format(ms)
  }
  return `${pad(f.year, 4)}-${pad(f.month, 2)}-${pad(f.day, 2)}T${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}.${pad(f.millis, 3)}Z`
}
const ISO8601_PATTERN = compileDatePattern("yyyy-MM-dd'T'HH:mm:ss.SSSX")

function pad(n: number, width: number): string {
  const s = String(n)
  return s.length >= width ? s : '0'.repeat(width - s.length) + s
}

const ISO8601: DateCodec = { name: 'ISO8601', parse: parseIso8601, format: formatIso8601 }

const LDAP_PATTERN = compileDatePattern('yyyyMMddHHmmss.Z')
const GENERALIZED_TIME = /^\s*(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})?(?:[.,](\d*))?\s*(Z|[+-]\d{4})?\s*$/

/**
 * LDAP: written with the documented pattern `yyyyMMddHHmmss.Z`; read as any LDAP generalized time
 * (`20201028120000Z`, `20201028120000.0Z`, `20201028120000.+0000`, with or without a fraction).
 */
const LDAP: DateCodec = {
  name: 'LDAP',
  parse(text) {
    const m = GENERALIZED_TIME.exec(text)
    if (m === null) return undefined
    const [, y, mo, d, h, mi, s, frac, zone] = m
    const iso = `${y}-${mo}-${d}T${h}:${mi}:${s ?? '00'}${frac ? '.' + frac : ''}${zone ?? 'Z'}`
    return parseIso8601(iso)
  },
  format: (ms) => LDAP_PATTERN.format(ms),
}

const EPOCH_TIME_JAVA: DateCodec = {
  name: 'EPOCH_TIME_JAVA',
  parse(text) {
    const t = text.trim()
    if (!/^-?\d+$/.test(t)) return undefined
    const ms = Number(t)
    return Math.abs(ms) <= MAX_MS ? ms : undefined
  },
  format: (ms) => String(ms),
}

/** 100-nanosecond ticks since 1601-01-01 (Active Directory's `accountExpires`, `pwdLastSet`…). */
const EPOCH_TIME_WIN32: DateCodec = {
  name: 'EPOCH_TIME_WIN32',
  parse(text) {
    const t = text.trim()
    if (!/^\d+$/.test(t)) return undefined
    const ms = Number(BigInt(t) / 10_000n - WIN32_EPOCH_OFFSET_MS)
    return Math.abs(ms) <= MAX_MS ? ms : undefined
  },
  format: (ms) => ((BigInt(Math.trunc(ms)) + WIN32_EPOCH_OFFSET_MS) * 10_000n).toString(),
}

const PEOPLE_SOFT_PATTERN = compileDatePattern('MM/dd/yyyy')
const PEOPLE_SOFT: DateCodec = {
  name: 'PEOPLE_SOFT',
  parse: PEOPLE_SOFT_PATTERN.parse,
  format: PEOPLE_SOFT_PATTERN.format,
}

const NAMED: Readonly<Record<string, DateCodec>> = {
  ISO8601,
  LDAP,
  PEOPLE_SOFT,
  EPOCH_TIME_JAVA,
  EPOCH_TIME_WIN32,
}

/** A named format (ISO8601, LDAP, PEOPLE_SOFT, EPOCH_TIME_JAVA, EPOCH_TIME_WIN32) or a SimpleDateFormat pattern. */
export function dateCodec(format: string): DateCodec {
  const named = NAMED[format]
  if (named !== undefined) return named
  const pattern = compileDatePattern(format)
  return { name: format, parse: pattern.parse, format: pattern.format }
}
