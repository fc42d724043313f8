/** Helpers that turn column values into attribute values and back, shared by both kinds of target. */

/** A column value as an attribute value: undefined for NULL (the attribute is absent), text for dates. */
export function attributeValue(value: unknown): unknown {
  if (value === null || value === undefined) return undefined
  if (value instanceof Date) return value.toISOString()
  if (Buffer.isBuffer(value)) return value.toString('base64')
  if (Array.isArray(value)) return value.map(attributeValue)
  return value
}

/** The values of a possibly multi-valued value, as text (group ids are compared as text). */
export function textList(value: unknown): string[] {
  if (value === null || value === undefined) return []
  return (Array.isArray(value) ? value : [value]).filter((v) => v !== null && v !== undefined).map(String)
}

/** The first value as text, or undefined. */
export function firstText(value: unknown): string | undefined {
  return textList(value)[0]
}

/** Whether a flag column says yes: a boolean, or the usual spellings of one in text or numeric columns. */
export function isTrue(value: unknown): boolean {
  if (typeof value === 'boolean') return value
  if (typeof value === 'number') return value !== 0
  return typeof value === 'string' && /^(?:t|true|y|yes|1)$/i.test(value.trim())
}

/** `values` without repeats, in their first order. */
export function distinct(values: readonly string[]): string[] {
  return [...new Set(values)]
}
