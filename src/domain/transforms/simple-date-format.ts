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

type Token = { readonly kind: 'literal'; readonly text: string } | { readonly kind: 'field'; readonly letter: string; readonly count: number }

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
    format: (ms) => format(tokens, new Date(ms)),
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
  for (let i = 0; i < pattern.length; ) {
    const c = pattern.charAt(i)
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        literal += "'"
        i += 2
        continue
      }
      let j = i + 1
      for (;;) {
        if (j >= pattern.length) throw new Error(`unterminated quote in date pattern ${JSON.stringify(pattern)}`)
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
      if (!FIELD_LETTERS.has(c)) throw new Error(`unsupported letter '${c}' in date pattern ${JSON.stringify(pattern)}`)
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

function format(tokens: readonly Token[], d: Date): string {
  let out = ''
  for (const t of tokens) {
    if (t.kind === 'literal') {
      out += t.text
      continue
    }
    const n = t.count
    const hour = d.getUTCHours()
    switch (t.letter) {
      case 'G':
        out += d.getUTCFullYear() > 0 ? 'AD' : 'BC'
        break
      case 'y': {
        const year = d.getUTCFullYear()
        out += n === 2 ? pad(year % 100, 2) : pad(year, n)
        break
      }
      case 'M':
      case 'L': {
        const m = d.getUTCMonth()
        out += n >= 4 ? MONTHS[m] : n === 3 ? MONTHS[m]?.slice(0, 3) : pad(m + 1, n)
        break
      }
      case 'd':
        out += pad(d.getUTCDate(), n)
        break
      case 'D':
        out += pad(dayOfYear(d), n)
        break
      case 'E': {
        const day = DAYS[d.getUTCDay()] ?? ''
        out += n >= 4 ? day : day.slice(0, 3)
        break
      }
      case 'u':
        out += pad(d.getUTCDay() === 0 ? 7 : d.getUTCDay(), n)
        break
      case 'a':
        out += hour < 12 ? 'AM' : 'PM'
        break
      case 'H':
        out += pad(hour, n)
        break
      case 'k':
        out += pad(hour === 0 ? 24 : hour, n)
        break
      case 'K':
        out += pad(hour % 12, n)
        break
      case 'h':
        out += pad(hour % 12 === 0 ? 12 : hour % 12, n)
        break
      case 'm':
        out += pad(d.getUTCMinutes(), n)
        break
      case 's':
        out += pad(d.getUTCSeconds(), n)
        break
      case 'S':
        out += pad(d.getUTCMilliseconds(), n)
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

function dayOfYear(d: Date): number {
  return Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1
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
      const m = /^\d+/.exec(text.slice(pos, abutting ? pos + t.count : undefined))
      if (m === null) return undefined
      const digits = m[0]
      pos += digits.length
      if (!setNumber(f, t.letter, t.count, digits, now)) return undefined
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
  if (f.bc) year = 1 - year
  let month = f.month ?? 1
  let day = f.day ?? 1
  if (f.dayOfYear !== undefined && f.month === undefined && f.day === undefined) {
    const d = new Date(Date.UTC(2000, 0, 1))
    d.setUTCFullYear(year, 0, f.dayOfYear)
    if (d.getUTCFullYear() !== year) return undefined
    month = d.getUTCMonth() + 1
    day = d.getUTCDate()
  }
  let hour = f.hour
  if (f.hour12 !== undefined) hour = f.hour12 + (f.pm === true ? 12 : 0)
  else if (f.pm === true && hour < 12) hour += 12
  const d = new Date(0)
  d.setUTCFullYear(year, month - 1, day)
  if (d.getUTCMonth() !== month - 1) return undefined // 31 April, 29 February of a common year
  d.setUTCHours(hour, f.minute, f.second, f.millis)
  const ms = d.getTime() - f.offsetMinutes * 60_000
  return Number.isFinite(ms) ? ms : undefined
}
