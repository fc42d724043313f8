import { createHash } from 'node:crypto'

/** JSON with object keys sorted, so equal values always serialise (and hash) the same. */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (Array.isArray(value)) return '[' + value.map(stableStringify).join(',') + ']'
  const obj = value as Record<string, unknown>
  const own = Object.keys(obj)
  // Connectors emit attributes in sorted order already: then plain JSON is the stable form (and fast).
  if (isSortedAndFlat(obj, own)) return JSON.stringify(obj)
  const keys = own.filter((k) => obj[k] !== undefined).sort()
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + stableStringify(obj[k])).join(',') + '}'
}

function isSortedAndFlat(obj: Record<string, unknown>, keys: readonly string[]): boolean {
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string
    if (i > 0 && (keys[i - 1] as string) >= k) return false
    const v = obj[k]
    if (v === undefined) return false
    if (v !== null && typeof v === 'object') {
      if (!Array.isArray(v)) return false
      for (const x of v) if (x !== null && typeof x === 'object') return false
    }
  }
  return true
}

/** A short content hash, used to tell changed accounts and identity inputs from unchanged ones. */
export function stableHash(value: unknown): string {
  return hashText(stableStringify(value))
}

export function hashText(text: string): string {
  return createHash('sha1').update(text).digest('base64url')
}
