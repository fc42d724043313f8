import {
  DIGITS,
  LOWER,
  randomLength,
  randomWithRequirements,
  SPECIAL,
  UPPER,
  type CharacterRequirement,
} from './random-transforms.js'
import type { Evaluator, TransformNode } from './transform-node.js'
import { toTransformValue } from './transform-value.js'
import {
  candidateFromRendered,
  generateUnique,
  uniqueSettings,
  type CandidatePattern,
} from './username-generator.js'

export const CLOUD_SERVICES_DEPLOYMENT_UTILITY = 'Cloud Services Deployment Utility'
export const CREATE_UNIQUE_ACCOUNT_ID = 'Create Unique Account ID'
export const CREATE_PASSWORD = 'Create Password'

/**
 * `rule`: the reference runs customer-written BeanShell rules here. We run none; we provide the built-in
 * ones: the Cloud Services Deployment Utility operations (getEndOfString, generateRandomString,
 * getReferenceIdentityAttribute) and the account-profile generators Create Unique Account ID and
 * Create Password. Any other rule name is refused when the transform is compiled.
 */
export function compileRule(node: TransformNode): Evaluator {
  const name = node.string('name')
  if (name === CLOUD_SERVICES_DEPLOYMENT_UTILITY) {
    const operation = node.string('operation')
    switch (operation) {
      case 'getEndOfString':
        return compileGetEndOfString(node)
      case 'generateRandomString':
        return compileGenerateRandomString(node)
      case 'getReferenceIdentityAttribute':
        return compileGetReferenceIdentityAttribute(node)
      default:
        throw node.error(
          `${CLOUD_SERVICES_DEPLOYMENT_UTILITY} has no operation ${JSON.stringify(operation)} (getEndOfString, generateRandomString, getReferenceIdentityAttribute)`,
        )
    }
  }
  if (name === CREATE_UNIQUE_ACCOUNT_ID) return compileCreateUniqueAccountId(node)
  if (name === CREATE_PASSWORD) return compileCreatePassword(node)
  throw node.error(`rule ${JSON.stringify(name)} is not available (only built-in operations are supported)`)
}

/** The last `numChars` characters; null when the input is shorter (as documented) or null. */
function compileGetEndOfString(node: TransformNode): Evaluator {
  const numChars = node.integer('numChars')
  if (numChars < 0) throw node.error(`${node.attributePath('numChars')} must not be negative`)
  const input = node.input()
  return (ctx) => {
    const v = input(ctx)
    if (v === null || numChars > v.length) return null
    return v.slice(v.length - numChars)
  }
}

/**
 * `length` (≤ 450) characters: letters, plus digits and/or the documented special characters when
 * enabled. At least one character of each enabled kind is included (when the length allows), so the
 * result meets the basic complexity the docs use it for.
 */
function compileGenerateRandomString(node: TransformNode): Evaluator {
  const length = randomLength(node)
  // The docs make both flags required ("you must set this value to true or false").
  node.require('includeNumbers')
  node.require('includeSpecialChars')
  const numbers = node.boolean('includeNumbers', false)
  const special = node.boolean('includeSpecialChars', false)
  const requirements: CharacterRequirement[] = [{ alphabet: UPPER + LOWER, min: 1 }]
  if (numbers) requirements.push({ alphabet: DIGITS, min: 1 })
  if (special) requirements.push({ alphabet: SPECIAL, min: 1 })
  const fill = requirements.map((r) => r.alphabet).join('')
  const required = requirements.slice(0, length)
  return (ctx) => randomWithRequirements(ctx, length, required, fill)
}

/** Another identity's attribute: `uid` is a user name, or `manager` for the identity's manager. */
function compileGetReferenceIdentityAttribute(node: TransformNode): Evaluator {
  const uid = node.string('uid')
  const attributeName = node.string('attributeName')
  if (uid === 'manager') return (ctx) => toTransformValue(ctx.manager?.[attributeName])
  return (ctx) => toTransformValue(ctx.findIdentity?.(uid)?.[attributeName])
}

const COUNTER_MARKER = '\u0000counter\u0000'

/**
 * Create Unique Account ID: the field's `template` (`$(firstname).$(lastname)$(uniqueCounter)`), each
 * `$(name)` replaced by the identity attribute (or an earlier field of the profile), the counter counting
 * up until `ctx.isUnique` accepts the value, within `cloudMaxUniqueChecks`, truncated to `cloudMaxSize`.
 */
function compileCreateUniqueAccountId(node: TransformNode): Evaluator {
  const source = node.has('template') ? node.raw('template') : node.session.fieldAttributes.template
  if (typeof source !== 'string' || source === '') {
    throw node.error(
      `${CREATE_UNIQUE_ACCOUNT_ID} needs a "template" (field attribute), e.g. "$(firstname).$(lastname)$(uniqueCounter)"`,
    )
  }
  const settings = uniqueSettings(node)
  const parts = source.split(/\$\(([^)]+)\)/)
  const pattern: CandidatePattern = {
    source,
    hasCounter: parts.some((p, i) => i % 2 === 1 && p === 'uniqueCounter'),
    prepare(ctx) {
      let rendered = ''
      for (let i = 0; i < parts.length; i++) {
        const part = parts[i] ?? ''
        if (i % 2 === 0) {
          rendered += part
          continue
        }
        if (part === 'uniqueCounter') {
          rendered += COUNTER_MARKER
          continue
        }
        const fields = ctx.fields
        const raw = fields !== undefined && Object.hasOwn(fields, part) ? fields[part] : ctx.identity?.[part]
        const v = toTransformValue(raw)
        if (v === null || v === '') return `identity attribute ${JSON.stringify(part)} is empty`
        rendered += v
      }
      return candidateFromRendered(rendered, COUNTER_MARKER, settings.maxSize)
    },
  }
  return (ctx) => generateUnique(node, [pattern], settings, ctx, undefined)
}

/**
 * Create Password: a random password meeting a policy given as attributes (the reference reads the
 * source's password policy; we take it from the transform or field attributes): `length` (default 12,
 * at most 450), `minUpper`, `minLower`, `minNumeric` (each default 1) and `minSpecial` (default 0).
 * Special characters are used only when `minSpecial` > 0, since many systems refuse some of them.
 */
function compileCreatePassword(node: TransformNode): Evaluator {
  const setting = (key: string, fallback: number): number => {
    const v = node.has(key) ? node.integer(key) : (fieldInteger(node, key) ?? fallback)
    if (v < 0) throw node.error(`${CREATE_PASSWORD}: ${key} must not be negative`)
    return v
  }
  const length = setting('length', 12)
  if (length < 1 || length > 450) {
    throw node.error(`${CREATE_PASSWORD}: length must be between 1 and 450, got ${length}`)
  }
  const requirements: CharacterRequirement[] = [
    { alphabet: UPPER, min: setting('minUpper', 1) },
    { alphabet: LOWER, min: setting('minLower', 1) },
    { alphabet: DIGITS, min: setting('minNumeric', 1) },
    { alphabet: SPECIAL, min: setting('minSpecial', 0) },
  ]
  const required = requirements.reduce((n, r) => n + r.min, 0)
  if (required > length) {
    throw node.error(`${CREATE_PASSWORD}: the minimums add up to ${required}, more than length ${length}`)
  }
  const fill = UPPER + LOWER + DIGITS + (requirements[3]?.min ? SPECIAL : '')
  return (ctx) => randomWithRequirements(ctx, length, requirements, fill)
}

function fieldInteger(node: TransformNode, key: string): number | undefined {
  const v = node.session.fieldAttributes[key]
  if (v === undefined || v === null) return undefined
  const n = typeof v === 'number' ? v : Number(v)
  if (!Number.isSafeInteger(n)) {
    throw node.error(`${CREATE_PASSWORD}: field attribute ${key} must be an integer`)
  }
  return n
}
