import { ISO3166_TABLE } from './iso3166-table.js'

export interface Country {
  readonly alpha2: string
  readonly alpha3: string
  readonly numeric: string
}

/** Lower case, accents and punctuation dropped, spaces collapsed: "Korea, Republic of" → "korea republic of". */
export function normalizeName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
}

let codes: Map<string, Country> | undefined
let englishNames: Map<string, Country> | undefined
let nativeNames: Map<string, Country> | undefined
const countries: Country[] = []

function load(): void {
  codes = new Map()
  englishNames = new Map()
  for (const line of ISO3166_TABLE.split('\n')) {
    const [alpha2, alpha3, numeric, ...names] = line.split('|')
    if (alpha2 === undefined || alpha3 === undefined || numeric === undefined) continue
    const c: Country = { alpha2, alpha3, numeric }
    countries.push(c)
    codes.set(alpha2, c)
    codes.set(alpha3, c)
    codes.set(numeric, c)
    for (const n of names) if (!englishNames.has(normalizeName(n))) englishNames.set(normalizeName(n), c)
  }
  const english = new Intl.DisplayNames(['en'], { type: 'region' })
  for (const c of countries) addName(englishNames, english, c)
  for (const [alias, alpha2] of Object.entries(ALIASES)) {
    const c = codes.get(alpha2)
    if (c !== undefined) englishNames.set(normalizeName(alias), c)
  }
}

// Names people write that neither ISO nor ICU's English list spells that way.
const ALIASES: Readonly<Record<string, string>> = {
  UK: 'GB',
  'U.K.': 'GB',
  'Great Britain': 'GB',
  Britain: 'GB',
  'U.S.': 'US',
  'U.S.A.': 'US',
  'Ivory Coast': 'CI',
  Burma: 'MM',
  Macedonia: 'MK',
  Turkey: 'TR',
  'East Timor': 'TL',
  Vatican: 'VA',
  Palestine: 'PS',
  Macau: 'MO',
  'DR Congo': 'CD',
  'Democratic Republic of the Congo': 'CD',
  'Congo-Kinshasa': 'CD',
  'Congo-Brazzaville': 'CG',
}

// Languages whose country names we recognise ("the native name for the country", e.g. España). ICU
// (built into Node) supplies the names, so no table is shipped for them. Built on first miss.
const NATIVE_LANGUAGES =
  'es fr de it pt nl sv da nb nn fi is pl cs sk sl hr sr bs hu ro bg el tr ru uk be et lv lt ga cy mt sq mk ka hy az kk uz ' +
  'ar he fa ur hi bn ta te mr gu kn ml pa th vi id ms fil zh ja ko sw am af zu xh ca eu gl lb fo mn ne si km lo my ps ky tg tk so ha yo ig'

function addName(map: Map<string, Country>, names: Intl.DisplayNames, c: Country): void {
  try {
    const n = names.of(c.alpha2)
    if (n !== undefined && n !== c.alpha2) {
      const key = normalizeName(n)
      if (key && !map.has(key)) map.set(key, c)
    }
  } catch {
    // A region ICU does not know: its English name from the table still works.
  }
}

function loadNative(): Map<string, Country> {
  const map = new Map<string, Country>()
  for (const lang of NATIVE_LANGUAGES.split(' ')) {
    let names: Intl.DisplayNames
    try {
      names = new Intl.DisplayNames([lang], { type: 'region', fallback: 'none' })
    } catch {
      continue
    }
    for (const c of countries) addName(map, names, c)
  }
  return map
}

/**
 * The country a text names: an alpha-2, alpha-3 or numeric code (any case, numeric with or without
 * leading zeros), an English name (short, official or common), or its name in one of many languages.
 */
export function findCountry(text: string): Country | undefined {
  if (codes === undefined || englishNames === undefined) load()
  const t = text.trim()
  if (t === '') return undefined
  const code = /^\d{1,3}$/.test(t) ? t.padStart(3, '0') : t.toUpperCase()
  const byCode = codes?.get(code)
  if (byCode !== undefined) return byCode
  const key = normalizeName(t)
  for (const variant of nameVariants(key)) {
    const english = englishNames?.get(variant)
    if (english !== undefined) return english
  }
  nativeNames ??= loadNative()
  return nativeNames.get(key)
}

/** "the netherlands" → also "netherlands"; "st kitts and nevis" → also "saint kitts and nevis". */
function nameVariants(key: string): string[] {
  const variants = [key]
  if (key.startsWith('the ')) variants.push(key.slice(4))
  for (const v of [...variants]) {
    if (/(^| )st /.test(v)) variants.push(v.replace(/(^| )st /g, '$1saint '))
  }
  return variants
}

/** For tests: every country of the table. */
export function allCountries(): readonly Country[] {
  if (codes === undefined) load()
  return countries
}
