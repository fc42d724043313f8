import { compileDatePattern } from './simple-date-format.js'

/** Reads and writes instants (epoch milliseconds, UTC) in one format. */
export interface DateCodec {
  readonly name: string
  parse(text: string, now: () => number): number | undefined
  format(epochMs: number): string
}

const MAX_MS = 8.64e15
const WIN32_EPOCH_OFFSET_MS = 11_644_473_600_000n

const ISO = /^\s*([+-]?\d{4,6})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?\s*$/

/**
 * ISO 8601, read leniently: date only, date and time with or without seconds and fraction, `Z`, an
 * offset, or no zone (UTC). Covers what the reference's own transforms produce (`dateMath` writes
 * `yyyy-MM-dd'T'HH:mm`) and what sources send (`2020-10-28T12:00:00.000Z`, `...+0000`).
 */
export function parseIso8601(text: string): number | undefined {
  const m = ISO.exec(text)
  if (m === null) return undefined
  const [, y, mo, d, h, mi, s, frac, zone] = m
  const date = new Date(0)
  const month = Number(mo) - 1
  date.setUTCFullYear(Number(y), month, Number(d))
  if (date.getUTCMonth() !== month || Number(mo) < 1) return undefined
  const hour = Number(h ?? 0)
  const minute = Number(mi ?? 0)
  const second = Number(s ?? 0)
  if (hour > 23 || minute > 59 || second > 59) return undefined
  date.setUTCHours(hour, minute, second, frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0')))
  let offset = 0
  if (zone !== undefined && zone.toUpperCase() !== 'Z') {
    const digits = zone.replace(':', '')
    offset = (Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || 0)) * (zone.startsWith('-') ? -1 : 1)
  }
  const ms = date.getTime() - offset * 60_000
  return Math.abs(ms) <= MAX_MS ? ms : undefined
}

/**
 * `yyyy-MM-dd'T'HH:mm:ss.SSSX` in UTC, e.g. `1974-08-02T02:30:32.190Z`. The docs spell the ISO8601
 * format with `Z` (which Java writes as `+0000`) and print `-00` in their example; we write the `Z`
 * designator, which is what ISO 8601 and every other transform here read.
 */
export function formatIso8601(ms: number): string {
  const year = new Date(ms).getUTCFullYear()
  if (year >= 0 && year <= 9999) return new Date(ms).toISOString()
  return compileDatePattern("yyyy-MM-dd'T'HH:mm:ss.SSSX").format(ms)
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
const PEOPLE_SOFT: DateCodec = { name: 'PEOPLE_SOFT', parse: PEOPLE_SOFT_PATTERN.parse, format: PEOPLE_SOFT_PATTERN.format }

const NAMED: Readonly<Record<string, DateCodec>> = { ISO8601, LDAP, PEOPLE_SOFT, EPOCH_TIME_JAVA, EPOCH_TIME_WIN32 }

/** A named format (ISO8601, LDAP, PEOPLE_SOFT, EPOCH_TIME_JAVA, EPOCH_TIME_WIN32) or a SimpleDateFormat pattern. */
export function dateCodec(format: string): DateCodec {
  const named = NAMED[format]
  if (named !== undefined) return named
  const pattern = compileDatePattern(format)
  return { name: format, parse: pattern.parse, format: pattern.format }
}
