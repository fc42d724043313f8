import type { AttributeValue } from '../model.js'

// A NUL or any surrogate: rare in real text, so the exact check below seldom runs.
// eslint-disable-next-line no-control-regex
const SUSPECT = /[\u0000\ud800-\udfff]/

/**
 * Why the store cannot hold this text, or undefined when it can. PostgreSQL text refuses a NUL
 * character, and its JSON functions refuse a NUL escape (`\u0000`) or a lone UTF-16 surrogate: such a
 * value, once stored, breaks every later query that reads the attribute it is in.
 */
export function unstorableText(value: string): string | undefined {
  if (!SUSPECT.test(value)) return undefined
  const nul = value.indexOf('\u0000')
  if (nul >= 0) return `holds a NUL character (\\0) at position ${nul + 1}`
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i)
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++
        continue
      }
    } else if (c < 0xdc00 || c > 0xdfff) continue
    return `holds a lone UTF-16 surrogate (U+${c.toString(16).toUpperCase()}) at position ${i + 1}`
  }
  return undefined
}

/** The first attribute value (of text or a list of text) the store cannot hold, with why. */
export function unstorableAttribute(
  attributes: Readonly<Record<string, AttributeValue>>,
): { readonly attribute: string; readonly problem: string } | undefined {
  for (const [attribute, value] of Object.entries(attributes)) {
    const problem =
      unstorableText(attribute) ??
      (typeof value === 'string'
        ? unstorableText(value)
        : Array.isArray(value)
          ? value.map((v) => unstorableText(v)).find((p) => p !== undefined)
          : undefined)
    if (problem !== undefined) return { attribute, problem }
  }
  return undefined
}

/** Text shown in a message or stored in a run's record: control characters and lone surrogates escaped. */
export function printable(value: string): string {
  return JSON.stringify(value).slice(1, -1)
}

/** The text with each lone surrogate replaced by U+FFFD, as a UTF-8 encoder writes it (String#toWellFormed). */
export function wellFormed(value: string): string {
  return value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd')
}
