/**
 * Java `SimpleDateFormat` patterns, formatted and parsed in UTC with English names, for `dateFormat`.
 * Supported letters: G y M L d D E u a H k K h m s S z Z X; text in single quotes; `''` for a quote.
 * Week-based letters (Y w W F) are refused rather than approximated.
 *
 * Parsing follows Java where users rely on it (trailing text after the pattern is ignored; a field's
 * letter count only fixes its width when another number directly follows; `yy` reads a two-digit year
 * within 80 years before and 20 after now) and is stricter where Java's default leniency hides bad
 * data: out-of-range fields (month 13, 31 April, hour 25) fail instead of rolling over.
 */

type Token =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'field'; readonly letter: string; readonly count: number }

/** A pattern compiled once. `parse` returns epoch milliseconds, or undefined when the text does not match. */
export interface DatePattern {
  readonly pattern: string
  format(epochMs: number): string
  parse(text: string, now: () => number): number | undefined
}

const FIELD_LETTERS = new Set('GyMLdDEuaHkKhmsSzZX')
const NUMERIC_LETTERS = new Set('yMLdDuHkKhmsS')
export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
]
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']

/** Compiles a pattern; throws an Error naming the problem when it is invalid. */
export function compileDatePattern(pattern: string): DatePattern {
  const tokens = tokenize(pattern)
  return {
    pattern,
    format: (ms) => format(tokens, ms),
    parse: (text, now) => parse(tokens, text, now),
  }
}

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = []
  let literal = ''
  const flush = (): void => {
    if (literal) tokens.push({ kind: 'literal', text: literal })
    literal = ''
  }
  for (let i = 0; i < pattern.length;) {
    const c = pattern.charAt(i)
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        literal += "'"
        i += 2
        continue
      }
      let j = i + 1
      for (;;) {
        if (j >= pattern.length) {
          throw new Error(`unterminated quote in date pattern ${JSON.stringify(pattern)}`)
        }
        if (pattern[j] === "'") {
          if (pattern[j + 1] === "'") {
            literal += "'"
            j += 2
            continue
          }
          break
        }
        literal += pattern[j]
        j++
      }
      i = j + 1
    } else if (/[A-Za-z]/.test(c)) {
      if (!FIELD_LETTERS.has(c)) {
        throw new Error(`unsupported letter '${c}' in date pattern ${JSON.stringify(pattern)}`)
      }
      let j = i
      while (pattern[j] === c) j++
      flush()
      tokens.push({ kind: 'field', letter: c, count: j - i })
      i = j
    } else {
      literal += c
      i++
    }
  }
  flush()
  return tokens
}

function pad(n: number, width: number): string {
  const s = String(Math.abs(n))
  return (n < 0 ? '-' : '') + (s.length >= width ? s : '0'.repeat(width - s.length) + s)
}

function format(tokens: readonly Token[], ms: number): string {
  const f = utcFields(ms)
  let out = ''
  for (const t of tokens) {
    if (t.kind === 'literal') {
      out += t.text
      continue
    }
    const n = t.count
    switch (t.letter) {
      case 'G':
        out += f.year > 0 ? 'AD' : 'BC'
        break
      case 'y':
        out += n === 2 ? pad(f.year % 100, 2) : pad(f.year, n)
        break
      case 'M':
      case 'L':
        out += n >= 4 ? MONTHS[f.month - 1] : n === 3 ? MONTHS[f.month - 1]?.slice(0, 3) : pad(f.month, n)
        break
      case 'd':
        out += pad(f.day, n)
        break
      case 'D':
        out += pad(f.dayOfYear, n)
        break
      case 'E': {
        const day = DAYS[f.weekday] ?? ''
        out += n >= 4 ? day : day.slice(0, 3)
        break
      }
      case 'u':
        out += pad(f.weekday === 0 ? 7 : f.weekday, n)
        break
      case 'a':
        out += f.hour < 12 ? 'AM' : 'PM'
        break
      case 'H':
        out += pad(f.hour, n)
        break
      case 'k':
        out += pad(f.hour === 0 ? 24 : f.hour, n)
        break
      case 'K':
        out += pad(f.hour % 12, n)
        break
      case 'h':
        out += pad(f.hour % 12 === 0 ? 12 : f.hour % 12, n)
        break
      case 'm':
        out += pad(f.minute, n)
        break
      case 's':
        out += pad(f.second, n)
        break
      case 'S':
        out += pad(f.millis, n)
        break
      // Everything is formatted in UTC.
      case 'z':
        out += n >= 4 ? 'Coordinated Universal Time' : 'UTC'
        break
      case 'Z':
        out += '+0000'
        break
      case 'X':
        out += 'Z'
        break
    }
  }
  return out
}

export interface UtcFields {
  readonly year: number
  /** 1–12 */
  readonly month: number
  readonly day: number
  readonly hour: number
  readonly minute: number
  readonly second: number
  readonly millis: number
  /** 0 = Sunday */
  readonly weekday: number
  readonly dayOfYear: number
}

/**
 * The UTC calendar fields of an instant, by arithmetic (H. Hinnant's civil-from-days): several times
 * faster than a Date and its getters, and formatting dates is on the hot path of identity processing.
 */
export function utcFields(ms: number): UtcFields {
  const days = Math.floor(ms / 86_400_000)
  let rest = ms - days * 86_400_000
  const hour = Math.floor(rest / 3_600_000)
  rest -= hour * 3_600_000
  const minute = Math.floor(rest / 60_000)
  rest -= minute * 60_000
  const second = Math.floor(rest / 1000)
  const millis = rest - second * 1000
  const z = days + 719_468
  const era = Math.floor(z / 146_097)
  const doe = z - era * 146_097
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  )
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0)
  // doy counts from 1 March (0) to the end of February (365); make it a day of the calendar year.
  const dayOfYear = month >= 3 ? doy + 60 + (isLeapYear(year) ? 1 : 0) : doy - 305
  return {
    year,
    month,
    day,
    hour,
    minute,
    second,
    millis,
    weekday: (((days + 4) % 7) + 7) % 7,
    dayOfYear,
  }
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57
}

interface Fields {
  year?: number
  month?: number
  day?: number
  dayOfYear?: number
  hour: number
  hour12?: number
  pm?: boolean
  minute: number
  second: number
  millis: number
  offsetMinutes: number
  bc: boolean
}

function parse(tokens: readonly Token[], text: string, now: () => number): number | undefined {
  const f: Fields = { hour: 0, minute: 0, second: 0, millis: 0, offsetMinutes: 0, bc: false }
  let pos = 0
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]
    if (t === undefined) break
    if (t.kind === 'literal') {
      if (!text.startsWith(t.text, pos)) return undefined
      pos += t.text.length
      continue
    }
    const next = tokens[i + 1]
    const abutting = next !== undefined && next.kind === 'field' && NUMERIC_LETTERS.has(next.letter)
    const textual = (t.letter === 'M' || t.letter === 'L') && t.count >= 3
    if (NUMERIC_LETTERS.has(t.letter) && !textual) {
      const end = abutting ? Math.min(text.length, pos + t.count) : text.length
      let stop = pos
      while (stop < end && isDigit(text.charCodeAt(stop))) stop++
      if (stop === pos) {
        return undefined
      }
      const digits = text.slice(pos, stop)
      pos = stop
      if (!setNumber(f, t.letter, t.count, digits, now)) {
        return undefined
      }
      continue
    }
    const rest = text.slice(pos)
    let used: number | undefined
    switch (t.letter) {
      case 'M':
      case 'L': {
        const hit = matchName(rest, MONTHS)
        if (hit !== undefined) {
          f.month = hit.index + 1
          used = hit.length
        }
        break
      }
      case 'E':
        used = matchName(rest, DAYS)?.length
        break
      case 'a': {
        const m = /^(AM|PM)/i.exec(rest)
        if (m?.[1] !== undefined) {
          f.pm = m[1].toUpperCase() === 'PM'
          used = 2
        }
        break
      }
      case 'G': {
        const m = /^(AD|BC)/i.exec(rest)
        if (m?.[1] !== undefined) {
          f.bc = m[1].toUpperCase() === 'BC'
          used = 2
        }
        break
      }
      default: {
        const zone = parseZone(rest)
        if (zone !== undefined) {
          f.offsetMinutes = zone.offsetMinutes
          used = zone.length
        }
      }
    }
    if (used === undefined) return undefined
    pos += used
  }
  return build(f)
}

function setNumber(f: Fields, letter: string, count: number, digits: string, now: () => number): boolean {
  const v = Number(digits)
  switch (letter) {
    case 'y':
      if (count <= 2 && digits.length === 2) {
        const start = new Date(now()).getUTCFullYear() - 80
        let year = Math.floor(start / 100) * 100 + v
        if (year < start) year += 100
        f.year = year
      } else f.year = v
      return true
    case 'M':
    case 'L':
      f.month = v
      return v >= 1 && v <= 12
    case 'd':
      f.day = v
      return v >= 1 && v <= 31
    case 'D':
      f.dayOfYear = v
      return v >= 1 && v <= 366
    case 'u':
      return v >= 1 && v <= 7
    case 'H':
      f.hour = v
      return v <= 23
    case 'k':
      f.hour = v === 24 ? 0 : v
      return v >= 1 && v <= 24
    case 'K':
      f.hour12 = v
      return v <= 11
    case 'h':
      f.hour12 = v === 12 ? 0 : v
      return v >= 1 && v <= 12
    case 'm':
      f.minute = v
      return v <= 59
    case 's':
      f.second = v
      return v <= 59
    case 'S':
      // Java counts S as milliseconds whatever the width; a longer fraction (microseconds) is read as the
      // fraction it is, which is what such data means.
      f.millis = digits.length > 3 ? Number(digits.slice(0, 3)) : v
      return true
  }
  return false
}

function matchName(text: string, names: readonly string[]): { index: number; length: number } | undefined {
  const lower = text.toLowerCase()
  for (let i = 0; i < names.length; i++) {
    const full = names[i]?.toLowerCase() ?? ''
    if (lower.startsWith(full)) return { index: i, length: full.length }
  }
  for (let i = 0; i < names.length; i++) {
    const short = names[i]?.slice(0, 3).toLowerCase() ?? ''
    if (lower.startsWith(short)) return { index: i, length: 3 }
  }
  return undefined
}

const ZONE_ABBREVIATIONS: Readonly<Record<string, number>> = {
  UTC: 0,
  UT: 0,
  GMT: 0,
  Z: 0,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
  CET: 60,
  CEST: 120,
  EET: 120,
  EEST: 180,
  WET: 0,
  WEST: 60,
  BST: 60,
  IST: 330,
  JST: 540,
  AEST: 600,
  AEDT: 660,
}

/** A zone at the start of `text`: `Z`, `+hh`, `+hhmm`, `+hh:mm`, `GMT+hh:mm`, `UTC`, or an abbreviation. */
export function parseZone(text: string): { offsetMinutes: number; length: number } | undefined {
  const offset = /^(GMT|UTC)?([+-])(\d{2})(?::?(\d{2}))?/.exec(text)
  if (offset !== null) {
    const minutes = Number(offset[3]) * 60 + Number(offset[4] ?? 0)
    return { offsetMinutes: offset[2] === '-' ? -minutes : minutes, length: offset[0].length }
  }
  const name = /^[A-Za-z]{1,4}/.exec(text)
  if (name === null) return undefined
  // Longest abbreviation first (CEST before CET, UTC before UT).
  for (let len = name[0].length; len > 0; len--) {
    const abbr = name[0].slice(0, len).toUpperCase()
    const minutes = ZONE_ABBREVIATIONS[abbr]
    if (minutes !== undefined) return { offsetMinutes: minutes, length: len }
  }
  return undefined
}

function build(f: Fields): number | undefined {
  let year = f.year ?? 1970
  if (f.bc) {
    year = 1 - year
  }
  let month = f.month ?? 1
  let day = f.day ?? 1
  if (f.dayOfYear !== undefined && f.month === undefined && f.day === undefined) {
    if (f.dayOfYear > (isLeapYear(year) ? 366 : 365)) {
      return undefined
    }
    const d = new Date(utc(year, 1, f.dayOfYear))
    month = d.getUTCMonth() + 1
    day = d.getUTCDate()
  }
  if (day > daysInMonth(year, month)) {
    return undefined // 31 April, 29 February of a common year
  }
  let hour = f.hour
  if (f.hour12 !== undefined) {
    hour = f.hour12 + (f.pm === true ? 12 : 0)
  } else if (f.pm === true && hour < 12) {
    hour += 12
  }
  const ms = utc(year, month, day, hour, f.minute, f.second, f.millis) - f.offsetMinutes * 60_000
  return Number.isFinite(ms) ? ms : undefined
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

export function daysInMonth(year: number, month: number): number {
  return month === 2
    ? isLeapYear(year)
      ? 29
      : 28
    : month === 4 || month === 6 || month === 9 || month === 11
      ? 30
      : 31
}

/** Date.UTC, without its mapping of years 0–99 to 1900–1999. */
export function utc(
  year: number,
  month: number,
  day: number,
  hour = 0,
  minute = 0,
  second = 0,
  millis = 0,
): number {
  if (year >= 100) {
    return Date.UTC(year, month - 1, day, hour, minute, second, millis)
  }
  const d = new Date(Date.UTC(2000, month - 1, day, hour, minute, second, millis))
  d.setUTCFullYear(year)
  return d.getTime()
}
