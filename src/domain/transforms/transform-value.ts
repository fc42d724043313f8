import type { TransformValue } from './transform-types.js'

/**
 * Turns anything an input, an identity attribute or an account attribute may hold into the string a
 * transform works on. Transforms are string operations in the reference product too; the choices for
 * non-strings are ours:
 * - `null` / `undefined` → `null` (no value);
 * - numbers, bigints and booleans → their decimal / `true` / `false` text;
 * - a `Date` → its ISO 8601 text in UTC;
 * - an array (a multi-valued attribute) → its non-null elements converted one by one and joined with
 *   `,` (the `join` transform's default separator); an empty array → `null`;
 * - any other object → its JSON text.
 */
export function toTransformValue(value: unknown): TransformValue {
  if (typeof value === 'string') return value
  if (value === null || value === undefined) return null
  switch (typeof value) {
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value)
    case 'object':
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString()
      if (Array.isArray(value)) return joinValues(value)
      return JSON.stringify(value)
    default:
      return String(value)
  }
}

function joinValues(values: readonly unknown[]): TransformValue {
  const parts: string[] = []
  for (const v of values) {
    const s = toTransformValue(v)
    if (s !== null) parts.push(s)
  }
  return parts.length === 0 ? null : parts.join(',')
}

/** Pretty-prints a value inside an error message (`"abc"`, or `null`). */
export function quote(value: TransformValue | undefined): string {
  return value === null || value === undefined ? 'null' : JSON.stringify(value)
}
