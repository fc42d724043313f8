/**
 * Methods of `java.lang.Integer` / `java.lang.Double` that Velocity templates written for the
 * reference product call on numbers. Velocity lets a template call a class's static methods through any
 * instance, so published transforms write `#set($n = 0)$n.parseInt($text)` to turn text into a number,
 * and `$n.max($a, $b)`. A whole number is an Integer (a literal, `#set($n = 5)`), anything else a Double.
 */
type NumberMethod = (n: number, args: readonly unknown[]) => unknown

const INT_MIN = -2147483648
const INT_MAX = 2147483647
const LONG_MIN = -(2n ** 63n)
const LONG_MAX = 2n ** 63n - 1n

/** Java's NumberFormatException, with Java's own message, so a bad input names the text. */
export class NumberFormatError extends Error {
  constructor(input: unknown) {
    super(
      `NumberFormatException: For input string: ${input === null || input === undefined ? 'null' : JSON.stringify(String(input))}`,
    )
    this.name = 'NumberFormatError'
  }
}

/** `Integer.parseInt` / `Long.parseLong`: an optional sign and digits of the radix, nothing else. */
function parseWhole(input: unknown, radixArg: unknown, min: bigint, max: bigint): number {
  if (typeof input !== 'string' && typeof input !== 'number') throw new NumberFormatError(input)
  const text = String(input)
  const radix = radixArg === undefined ? 10 : Number(radixArg)
  if (!Number.isInteger(radix) || radix < 2 || radix > 36) throw new NumberFormatError(input)
  const digits = '0123456789abcdefghijklmnopqrstuvwxyz'.slice(0, radix)
  const m = /^([+-]?)(.+)$/.exec(text)
  const body = m?.[2]?.toLowerCase() ?? ''
  if (body === '' || [...body].some((c) => !digits.includes(c))) throw new NumberFormatError(input)
  let value = 0n
  for (const c of body) value = value * BigInt(radix) + BigInt(digits.indexOf(c))
  if (m?.[1] === '-') value = -value
  if (value < min || value > max) throw new NumberFormatError(input)
  return Number(value)
}

/** `Double.parseDouble`: Java's decimal syntax (leading and trailing spaces allowed), no hex, no "". */
function parseDecimal(input: unknown): number {
  if (typeof input === 'number') return input
  if (typeof input !== 'string') throw new NumberFormatError(input)
  const text = input.trim()
  if (/^[+-]?(NaN|Infinity)$/.test(text)) return Number(text.replace(/^\+/, ''))
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?$/.test(text)) throw new NumberFormatError(input)
  return Number(text.replace(/[fFdD]$/, ''))
}

function asNumber(v: unknown): number {
  if (typeof v === 'number') return v
  throw new TypeError(`expected a number, got ${v === null || v === undefined ? 'null' : JSON.stringify(v)}`)
}

const METHODS: Readonly<Record<string, NumberMethod>> = {
  // static parsers and converters, reachable through an instance
  parseInt: (_n, [s, radix]) => parseWhole(s, radix, BigInt(INT_MIN), BigInt(INT_MAX)),
  parseLong: (_n, [s, radix]) => parseWhole(s, radix, LONG_MIN, LONG_MAX),
  parseDouble: (_n, [s]) => parseDecimal(s),
  valueOf: (n: number, [s, radix]: readonly unknown[]) =>
    typeof s === 'number'
      ? s
      : Number.isInteger(n)
        ? parseWhole(s, radix, BigInt(INT_MIN), BigInt(INT_MAX))
        : parseDecimal(s),
  max: (_n, [a, b]) => Math.max(asNumber(a), asNumber(b)),
  min: (_n, [a, b]) => Math.min(asNumber(a), asNumber(b)),
  sum: (_n, [a, b]) => asNumber(a) + asNumber(b),
  abs: (n, args) => Math.abs(args.length > 0 ? asNumber(args[0]) : n),
  signum: (n, args) => Math.sign(args.length > 0 ? asNumber(args[0]) : n),
  compare: (_n, [a, b]) => Math.sign(asNumber(a) - asNumber(b)),
  toHexString: (n, args) => ((args.length > 0 ? asNumber(args[0]) : n) >>> 0).toString(16),
  toBinaryString: (n, args) => ((args.length > 0 ? asNumber(args[0]) : n) >>> 0).toString(2),
  toOctalString: (n, args) => ((args.length > 0 ? asNumber(args[0]) : n) >>> 0).toString(8),
  // instance methods
  toString: (n: number, args: readonly unknown[]) =>
    args.length > 0 ? String(asNumber(args[0])) : String(n),
  intValue: (n) => Math.trunc(n) | 0,
  longValue: (n) => Math.trunc(n),
  doubleValue: (n) => n,
  floatValue: (n) => n,
  compareTo: (n, [o]) => Math.sign(n - asNumber(o)),
  equals: (n, [o]) => typeof o === 'number' && n === o,
  hashCode: (n) => n | 0,
  isNaN: (n) => Number.isNaN(n),
  isInfinite: (n) => n === Infinity || n === -Infinity,
}

interface MethodCall {
  readonly property: string
  readonly context: unknown
  readonly params: unknown[]
}

/** The number methods available to templates, by name (for the unsupported-method check). */
export const JAVA_NUMBER_METHOD_NAMES: ReadonlySet<string> = new Set(Object.keys(METHODS))

/** velocityjs `customMethodHandlers` entry that routes the methods above when called on a number. */
export const JAVA_NUMBER_METHOD_HANDLER = {
  uid: 'provisio: java.lang.Integer',
  match: ({ property, context }: MethodCall): boolean =>
    typeof context === 'number' && Object.hasOwn(METHODS, property),
  resolve: ({ property, context, params }: MethodCall): unknown => {
    const method = METHODS[property]
    return method === undefined ? undefined : method(context as number, params)
  },
}
