/**
 * `dateMath` expressions: an optional leading `now`, then operations applied left to right —
 * `+Nu` / `-Nu` add or subtract N units, `/u` rounds to the unit — with units y M w d h m s.
 * Rounding truncates; with `roundUp` it truncates and then adds one unit (the docs' definition).
 * Weeks cannot be a rounding unit (an error, as documented). Months and years keep the day of month
 * when it exists and clamp it otherwise (31 January + 1M = 28/29 February). All in UTC.
 */
export interface DateMathExpression {
  readonly usesNow: boolean
  apply(baseMs: number, roundUp: boolean): number
}

type Unit = 'y' | 'M' | 'w' | 'd' | 'h' | 'm' | 's'
type Operation =
  | { readonly op: 'add'; readonly amount: number; readonly unit: Unit }
  | { readonly op: 'round'; readonly unit: Unit }

const FIXED_MS: Readonly<Record<string, number>> = {
  w: 604_800_000,
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
  s: 1_000,
}

/** Parses an expression; throws an Error naming the problem when it is invalid. */
export function compileDateMathExpression(expression: string): DateMathExpression {
  let rest = expression.trim()
  const usesNow = rest.startsWith('now')
  if (usesNow) rest = rest.slice(3)
  const ops: Operation[] = []
  while (rest.length > 0) {
    const m = /^\s*(?:([+-])\s*(\d+)\s*([yMwdhms])|\/\s*([yMwdhms]))/.exec(rest)
    if (m === null) {
      throw new Error(`cannot read ${JSON.stringify(rest)} in expression ${JSON.stringify(expression)}`)
    }
    if (m[4] !== undefined) {
      if (m[4] === 'w') {
        throw new Error(
          `rounding by week ("/w") is not supported in expression ${JSON.stringify(expression)}`,
        )
      }
      ops.push({ op: 'round', unit: m[4] as Unit })
    } else {
      ops.push({ op: 'add', amount: Number(m[2]) * (m[1] === '-' ? -1 : 1), unit: m[3] as Unit })
    }
    rest = rest.slice(m[0].length).trimStart()
  }
  if (!usesNow && ops.length === 0) {
    throw new Error(`expression ${JSON.stringify(expression)} has no operation`)
  }
  return {
    usesNow,
    apply(baseMs, roundUp) {
      let ms = baseMs
      for (const o of ops) ms = o.op === 'add' ? add(ms, o.amount, o.unit) : round(ms, o.unit, roundUp)
      return ms
    },
  }
}

function add(ms: number, amount: number, unit: Unit): number {
  if (unit === 'y') return addMonths(ms, amount * 12)
  if (unit === 'M') return addMonths(ms, amount)
  return ms + amount * (FIXED_MS[unit] ?? 0)
}

function addMonths(ms: number, months: number): number {
  const d = new Date(ms)
  const day = d.getUTCDate()
  d.setUTCDate(1)
  d.setUTCMonth(d.getUTCMonth() + months)
  const last = new Date(Date.UTC(2000, d.getUTCMonth() + 1, 0))
  last.setUTCFullYear(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)
  d.setUTCDate(Math.min(day, last.getUTCDate()))
  return d.getTime()
}

function round(ms: number, unit: Unit, up: boolean): number {
  const d = new Date(ms)
  switch (unit) {
    case 'y':
      d.setUTCMonth(0, 1)
      d.setUTCHours(0, 0, 0, 0)
      break
    case 'M':
      d.setUTCDate(1)
      d.setUTCHours(0, 0, 0, 0)
      break
    case 'd':
      d.setUTCHours(0, 0, 0, 0)
      break
    case 'h':
      d.setUTCMinutes(0, 0, 0)
      break
    case 'm':
      d.setUTCSeconds(0, 0)
      break
    case 's':
      d.setUTCMilliseconds(0)
      break
    default:
      break
  }
  return up ? add(d.getTime(), 1, unit) : d.getTime()
}
