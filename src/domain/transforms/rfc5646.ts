import { normalizeName } from './iso3166.js'
import { RFC5646_TABLE } from './rfc5646-table.js'

let table: Map<string, string> | undefined

function load(): Map<string, string> {
  const map = new Map<string, string>()
  const tags = new Map<string, string>()
  for (const line of RFC5646_TABLE.split('\n')) {
    const [key, tag] = line.split('|')
    if (key === undefined || tag === undefined) continue
    map.set(normalizeName(key), tag)
    tags.set(tag.toLowerCase(), tag)
  }
  // A tag given as input yields itself (`es` → `es`, `en_us` → `en_US`): the docs only list names and
  // three-letter codes, but a source that already holds the tag should not lose it.
  for (const [lower, tag] of tags) if (!map.has(lower)) map.set(lower, tag)
  return map
}

/**
 * The RFC 5646 tag for a language name (`Spanish`, `English (United States)`) or three-letter code
 * (`SPA`), from the reference's conversion table; case and accents are ignored. Undefined when unknown.
 */
export function languageTag(text: string): string | undefined {
  table ??= load()
  const t = text.trim()
  return table.get(normalizeName(t)) ?? table.get(t.toLowerCase())
}
