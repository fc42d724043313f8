/**
 * The `normalizeNames` rules, as documented: every part of a name split at spaces, hyphens and
 * apostrophes gets a capital first letter and lower-case rest; `Mc` and `Mac` prefixes of patronymic
 * surnames capitalise the next letter (McDonald, MacDonald); the particles von, del, of, de, la and y
 * are lower case; Roman-numeral generational suffixes are upper case (III).
 *
 * Where the docs are silent: the first word of the text is never turned into a particle or a numeral
 * ("De Niro", "Vi"); `Mac` only applies to names of six letters or more that do not end in a, c, i, o,
 * z or j and are not a known exception (Mack, Macy, Machado, Macias…), the rule Lingua::EN::NameCase
 * uses, since MacHado would be wrong. A `Mc`/`Mac` prefix followed by a hyphen or apostrophe takes the
 * whole word and leaves the rest lower case ("mac-donalds" → "Mac-donalds", "mc-donalds" →
 * "Mc-donalds"), which is what the reference gives on a tenant (vscode-sailpoint-identitynow issue #73)
 * while "jean-baptiste" still becomes "Jean-Baptiste".
 */
const PARTICLES = new Set(['von', 'del', 'of', 'de', 'la', 'y'])
const MAC_BEFORE_PUNCTUATION = /^(mc|mac)(?=[-'’])/
const ROMAN = /^(?:i{1,3}|iv|vi{0,3}|ix|xi{0,3}|xiv|xv)$/i
const MAC_EXCEPTIONS = new Set([
  'macedo',
  'macevicius',
  'machado',
  'machar',
  'machin',
  'machlin',
  'macias',
  'maciulis',
  'mackie',
  'mackle',
  'macklin',
  'mackmin',
  'macquarie',
  'macomber',
  'macin',
  'mackintosh',
  'macken',
  'machen',
  'machiel',
  'macisaac',
  'macion',
  'mackenzie',
  'macaluso',
  'macari',
  'macchi',
])

export function normalizeNames(text: string): string {
  let wordIndex = 0
  return text.replace(/[^\s]+/g, (word) => normalizeWord(word, wordIndex++ === 0))
}

function normalizeWord(word: string, first: boolean): string {
  const lower = word.toLowerCase()
  if (!first && PARTICLES.has(lower)) return lower
  if (!first && ROMAN.test(word)) return word.toUpperCase()
  const prefix = MAC_BEFORE_PUNCTUATION.exec(lower)
  if (prefix !== null) return capitalise(prefix[1] ?? '') + lower.slice(prefix[1]?.length ?? 0)
  // Split at hyphens and apostrophes, keeping them.
  return lower
    .split(/([-'’])/)
    .map((part, i) => (i % 2 === 1 ? part : capitalise(part)))
    .join('')
}

function capitalise(part: string): string {
  if (part === '') return part
  if (/^mc\p{L}/u.test(part) && part.length > 3) return 'Mc' + part.charAt(2).toUpperCase() + part.slice(3)
  if (/^mac\p{L}{3,}$/u.test(part) && !/[acizoj]$/.test(part) && !MAC_EXCEPTIONS.has(part)) {
    return 'Mac' + part.charAt(3).toUpperCase() + part.slice(4)
  }
  return part.charAt(0).toUpperCase() + part.slice(1)
}
