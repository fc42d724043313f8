import { createRequire } from 'node:module'
import type * as PhoneNumbers from 'libphonenumber-js/max'
import { findCountry } from './iso3166.js'
import { PHONE_REGIONS } from './phone-regions.js'
import { normalizeNames } from './normalize-names.js'
import { languageTag } from './rfc5646.js'
import type { Evaluator, TransformNode } from './transform-node.js'

/**
 * `e164phone`: the input as an E.164 number (`+15127772222`), read in `defaultRegion` (ISO 3166-1
 * alpha-2, default US) unless it carries its own country code. Not a valid number → null. Validation
 * uses libphonenumber's full metadata (Google's libphonenumber is what the reference uses).
 */
export function compileE164Phone(node: TransformNode): Evaluator {
  const region = node.string('defaultRegion', 'US').trim().toUpperCase()
  if (!PHONE_REGIONS.has(region)) {
    throw node.error(
      `${node.attributePath('defaultRegion')} ${JSON.stringify(region)} is not a known ISO 3166-1 alpha-2 region`,
    )
  }
  const input = node.input()
  return (ctx) => {
    const v = input(ctx)
    if (v === null) return null
    const phone = phoneNumbers().parsePhoneNumberFromString(v, region as PhoneNumbers.CountryCode)
    return phone !== undefined && phone.isValid() ? phone.number : null
  }
}

let loadedPhoneNumbers: typeof PhoneNumbers | undefined

/**
 * libphonenumber with its full metadata, loaded (synchronously, its CommonJS build) by the first number
 * an `e164phone` transform reads: it is hundreds of modules, and every command that reads the
 * configuration compiles the transforms, while few of them evaluate one.
 */
function phoneNumbers(): typeof PhoneNumbers {
  loadedPhoneNumbers ??= createRequire(import.meta.url)('libphonenumber-js/max') as typeof PhoneNumbers
  return loadedPhoneNumbers
}

const ISO3166_FORMATS = ['alpha2', 'alpha3', 'numeric'] as const

/** `iso3166`: a country code or name → its `alpha2` (default), `alpha3` or `numeric` code; unknown → null. */
export function compileIso3166(node: TransformNode): Evaluator {
  const format = node.string('format', 'alpha2')
  if (!(ISO3166_FORMATS as readonly string[]).includes(format)) {
    throw node.error(
      `${node.attributePath('format')} must be alpha2, alpha3 or numeric, got ${JSON.stringify(format)}`,
    )
  }
  const key = format as (typeof ISO3166_FORMATS)[number]
  const input = node.input()
  return (ctx) => {
    const v = input(ctx)
    if (v === null) return null
    return findCountry(v)?.[key] ?? null
  }
}

/** `rfc5646`: a language name or three-letter code → its tag (`Spanish` → `es`); unknown → null. */
export function compileRfc5646(node: TransformNode): Evaluator {
  const input = node.input()
  return (ctx) => {
    const v = input(ctx)
    return v === null ? null : (languageTag(v) ?? null)
  }
}

/** `normalizeNames`: proper capitalisation of names (see normalize-names.ts). */
export function compileNormalizeNames(node: TransformNode): Evaluator {
  const input = node.input()
  return (ctx) => {
    const v = input(ctx)
    return v === null ? null : normalizeNames(v)
  }
}
