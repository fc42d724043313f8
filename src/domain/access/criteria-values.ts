/**
 * How criteria read and compare attribute values. Shared by role membership criteria and access-profile
 * provisioning criteria so the two never disagree on what "equals" means.
 *
 * Text comparisons ignore case. The reference product's public documents say nothing explicit about
 * case for either kind of criteria; its collection filters and search are documented as "mostly
 * case-insensitive", and attribute data from directories differs in case freely ("Engineering" in HR,
 * "ENGINEERING" in AD), so a case-sensitive match would silently drop people from roles.
 */

/** Reads an attribute: the exact name first, else the first name equal ignoring case (LDAP names are). */
export function readAttribute(attributes: Readonly<Record<string, unknown>>, name: string): unknown {
  if (Object.hasOwn(attributes, name)) return attributes[name]
  const folded = fold(name)
  for (const key of Object.keys(attributes)) if (fold(key) === folded) return attributes[key]
  return undefined
}

/**
 * The non-empty values of an attribute, flattened: a multi-valued attribute gives each value, a missing,
 * null or empty one gives none (criteria treat "" like an absent attribute).
 */
export function attributeElements(value: unknown): unknown[] {
  if (value === null || value === undefined || value === '') return []
  if (Array.isArray(value)) return value.flatMap(attributeElements)
  return [value]
}

/** The same values as text, as criteria compare them and explanations show them. */
export function textValues(value: unknown): string[] {
  return attributeElements(value).map(asText)
}

export function asText(value: unknown): string {
  if (typeof value === 'string') return value
  if (value instanceof Date) return value.toISOString()
  if (typeof value === 'object') return JSON.stringify(value)
  return String(value)
}

/** Case folding for comparisons; locale-independent so results do not depend on the machine. */
export function fold(s: string): string {
  return s.toLowerCase()
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i
const HAS_ZONE = /(Z|[+-]\d{2}:?\d{2})$/i

/** The number a text denotes, or undefined; "" and " " are not 0 here, unlike Number(). */
export function asNumber(s: string): number | undefined {
  const t = s.trim()
  if (!NUMBER.test(t)) return undefined
  const n = Number(t)
  return Number.isFinite(n) ? n : undefined
}

/**
 * Milliseconds for an ISO 8601 date or date-time, or undefined. A date-time without a zone is read as
 * UTC (not the machine's zone, which is what Date.parse would do) so a plan is the same everywhere.
 */
export function asIsoDate(s: string): number | undefined {
  const t = s.trim()
  if (!ISO_DATE.test(t)) return undefined
  // Date.parse rolls "2024-02-30" over to 1 March; a day that does not exist is not a date.
  const [y, m, d] = t.slice(0, 10).split('-').map(Number) as [number, number, number]
  if (new Date(Date.UTC(y, m - 1, d)).getUTCDate() !== d) return undefined
  const ms = Date.parse(t.includes('T') && !HAS_ZONE.test(t) ? t + 'Z' : t)
  return Number.isNaN(ms) ? undefined : ms
}

/**
 * Orders an actual value against the criteria's value: as numbers when both are numbers, else as
 * instants when both are ISO dates, else as text ignoring case (UTF-16 code-unit order, like the
 * reference's Java string compare, rather than a locale's collation).
 */
export function compareOrdered(actual: string, expected: string): number {
  const a = asNumber(actual)
  const b = asNumber(expected)
  if (a !== undefined && b !== undefined) return Math.sign(a - b)
  const da = asIsoDate(actual)
  const db = asIsoDate(expected)
  if (da !== undefined && db !== undefined) return Math.sign(da - db)
  const fa = fold(actual)
  const fb = fold(expected)
  return fa < fb ? -1 : fa > fb ? 1 : 0
}
