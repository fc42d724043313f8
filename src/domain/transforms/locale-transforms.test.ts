import { getCountries } from 'libphonenumber-js/max'
import { describe, expect, it } from 'vitest'
import { compileTransform, evaluateTransform } from './compile-transform.js'
import { allCountries } from './iso3166.js'
import { normalizeNames } from './normalize-names.js'
import { PHONE_REGIONS } from './phone-regions.js'
import type { TransformDefinition } from './transform-types.js'

const st = (value: string): TransformDefinition => ({ type: 'static', attributes: { value } })

describe('e164phone', () => {
  it('knows the regions libphonenumber has metadata for (checked without loading it)', () => {
    expect([...PHONE_REGIONS].sort()).toEqual([...getCountries()].sort())
  })

  it.each([
    // The docs print "+1512459222" for this input, a typo: the number is +1 512 777 2222.
    ['docs: "512-777-2222" → +15127772222', { input: st('512-777-2222') }, '+15127772222'],
    ['docs: "779.284.2727" → +17792842727', { input: st('779.284.2727') }, '+17792842727'],
    [
      'docs: "0412345678" in AU → +61412345678',
      { input: st('0412345678'), defaultRegion: 'AU' },
      '+61412345678',
    ],
    ['docs (overview): "(512) 346-2000" → +15123462000', { input: '(512) 346-2000' }, '+15123462000'],
    [
      'an international number ignores the region',
      { input: '+44 20 7946 0958', defaultRegion: 'AU' },
      '+442079460958',
    ],
    ['a lower-case region is accepted', { input: '06 12 34 56 78', defaultRegion: 'fr' }, '+33612345678'],
    ['docs: not a valid number → null', { input: '123' }, null],
    ['text → null', { input: 'call me' }, null],
  ] as [string, Record<string, unknown>, string | null][])('%s', (_name, attributes, expected) => {
    expect(evaluateTransform({ type: 'e164phone', attributes }, {})).toBe(expected)
  })

  it('null input → null', () => {
    expect(
      evaluateTransform({ type: 'e164phone', name: 'Test E.164Phone Transform' }, { input: null }),
    ).toBeNull()
  })

  it('refuses an unknown region', () => {
    expect(() => compileTransform({ type: 'e164phone', attributes: { defaultRegion: 'XX' } })).toThrow(
      'e164phone: attributes.defaultRegion "XX" is not a known ISO 3166-1 alpha-2 region',
    )
  })
})

describe('iso3166', () => {
  it.each([
    ['docs: "United States of America" → US (default alpha2)', {}, 'United States of America', 'US'],
    ['docs: "ES" → 724 (numeric)', { format: 'numeric' }, 'ES', '724'],
    ['docs: alpha3 "ESP" → ES', {}, 'ESP', 'ES'],
    ['docs: numeric 724 → ESP (alpha3)', { format: 'alpha3' }, '724', 'ESP'],
    ['docs: English name "Spain" → ESP', { format: 'alpha3' }, 'Spain', 'ESP'],
    ['docs: native name "España" → ES', {}, 'España', 'ES'],
    ['native name "Deutschland" → DEU', { format: 'alpha3' }, 'Deutschland', 'DEU'],
    ['native name "日本" → JP', {}, '日本', 'JP'],
    ['official name, any case', {}, 'kingdom of spain', 'ES'],
    ['common name "South Korea"', {}, 'South Korea', 'KR'],
    ['short name with punctuation "Korea, Republic of"', { format: 'numeric' }, 'Korea, Republic of', '410'],
    ['numeric without leading zeros "36" → AUS', { format: 'alpha3' }, '36', 'AUS'],
    ['numeric output keeps leading zeros', { format: 'numeric' }, 'Australia', '036'],
    ['lower-case code "gb" → GBR', { format: 'alpha3' }, 'gb', 'GBR'],
    ['common alias "UK" → GB', {}, 'UK', 'GB'],
    ['"The Netherlands" → NL', {}, 'The Netherlands', 'NL'],
    ['"St Kitts and Nevis" → KN', {}, 'St Kitts and Nevis', 'KN'],
    ['docs: unknown → null', {}, 'Atlantis', null],
    ['unknown code → null', {}, 'ZZ', null],
  ])('%s', (_name, attributes, input, expected) => {
    expect(evaluateTransform({ type: 'iso3166', attributes }, { input })).toBe(expected)
  })

  it('the table holds all 249 countries, every code round-trips', () => {
    const countries = allCountries()
    expect(countries).toHaveLength(249)
    const compiled = compileTransform({ type: 'iso3166', attributes: { format: 'alpha3' } })
    for (const c of countries) expect(compiled.evaluate({ input: c.alpha2 })).toBe(c.alpha3)
  })

  it('refuses an unknown format', () => {
    expect(() => compileTransform({ type: 'iso3166', attributes: { format: 'alpha4' } })).toThrow(
      'iso3166: attributes.format must be alpha2, alpha3 or numeric, got "alpha4"',
    )
  })
})

describe('rfc5646', () => {
  it.each([
    ['docs: "Spanish" → es', 'Spanish', 'es'],
    ['docs: "SPA" → es', 'SPA', 'es'],
    ['docs table: "English (United States)" → en_US', 'English (United States)', 'en_US'],
    ['docs table: "Hebrew" → iw (Java legacy code)', 'Hebrew', 'iw'],
    [
      'docs table: "Serbian (Cyrillic) (Serbia and Montenegro)" → sr_SP_#Cyrl',
      'Serbian (Cyrillic) (Serbia and Montenegro)',
      'sr_SP_#Cyrl',
    ],
    ['docs table: "Norwegian (Bokmål) (Norway)" → nb_NO', 'Norwegian (Bokmål) (Norway)', 'nb_NO'],
    ['docs table: "ZUL" → zu', 'ZUL', 'zu'],
    ['case-insensitive', 'german (switzerland)', 'de_CH'],
    ['a tag yields itself', 'en_us', 'en_US'],
    ['docs: unknown → null', 'Klingon', null],
  ])('%s', (_name, input, expected) => {
    expect(evaluateTransform({ type: 'rfc5646' }, { input })).toBe(expected)
  })
})

describe('normalizeNames', () => {
  it('docs: "jOHN VON SmITh" → "John von Smith"', () => {
    expect(
      evaluateTransform({ type: 'normalizeNames', attributes: { input: st('jOHN VON SmITh') } }, {}),
    ).toBe('John von Smith')
  })

  it('docs: "Dr. JOHN D. O\'BRIEN" → "Dr. John D. O\'Brien"', () => {
    expect(evaluateTransform({ type: 'normalizeNames' }, { input: "Dr. JOHN D. O'BRIEN" })).toBe(
      "Dr. John D. O'Brien",
    )
  })

  it.each([
    ['MC → Mc (docs)', 'ronald MCDONALD', 'Ronald McDonald'],
    ['MAC → Mac (docs)', 'angus MACDONALD', 'Angus MacDonald'],
    ['Mac is not applied to Machado or Mack', 'ana MACHADO-MACK', 'Ana Machado-Mack'],
    [
      'particles del, de, la, y, of (docs)',
      'MARIA DEL CARMEN DE LA CRUZ Y LOPEZ',
      'Maria del Carmen de la Cruz y Lopez',
    ],
    ['"of" (docs)', 'earl OF GRANTHAM', 'Earl of Grantham'],
    ['roman numeral suffix (docs: iii → III)', 'john smith iii', 'John Smith III'],
    ['hyphens', 'mary-jane WATSON-PARKER', 'Mary-Jane Watson-Parker'],
    ['Mac before a hyphen takes the word (tenant, vscode issue #73)', 'mac-donalds', 'Mac-donalds'],
    ['Mc before a hyphen takes the word', 'ann MC-DONALDS', 'Ann Mc-donalds'],
    ['the first word is never a particle or a numeral', 'de niro', 'De Niro'],
    ['accented letters', 'ÉLODIE ÇAKIR', 'Élodie Çakir'],
    ['spacing is kept', '  ann   lee ', '  Ann   Lee '],
  ])('%s', (_name, input, expected) => {
    expect(normalizeNames(input)).toBe(expected)
  })

  it('null input → null', () => {
    expect(evaluateTransform({ type: 'normalizeNames' }, {})).toBeNull()
  })
})
