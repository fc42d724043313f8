import { bindTemplate, templateError, type VariableCache } from './template-scope.js'
import type { Evaluator, TransformNode } from './transform-node.js'
import type { TransformContext } from './transform-types.js'
import { MissingReferenceError } from './velocity-template.js'

/** The reference caps `cloudMaxUniqueChecks` at 50; we also use 50 when it is not set (the docs give no default). */
export const MAX_UNIQUE_CHECKS = 50

/** A pattern ready for one evaluation: the candidate for a counter value (`''` first, then `1`, `2`…). */
export type CandidateFor = (counter: string) => string

/** One generator pattern. `prepare` gives the candidate builder, or the reason the pattern is skipped. */
export interface CandidatePattern {
  readonly source: string
  readonly hasCounter: boolean
  prepare(ctx: TransformContext, cache: VariableCache | undefined): CandidateFor | string
}

export interface UniqueSettings {
  readonly maxSize: number | undefined
  readonly maxChecks: number
}

/**
 * `cloudMaxSize` and `cloudMaxUniqueChecks`: account-profile field attributes in the reference; read from
 * the transform's own attributes first, then from the field's (CompileTransformOptions.fieldAttributes).
 */
export function uniqueSettings(node: TransformNode): UniqueSettings {
  const read = (key: string): number | undefined => {
    const v = node.has(key) ? node.raw(key) : node.session.fieldAttributes[key]
    if (v === undefined || v === null || v === '') return undefined
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : NaN
    if (!Number.isSafeInteger(n) || n < 1) {
      throw node.error(`${key} must be a positive integer, got ${JSON.stringify(v)}`)
    }
    return n
  }
  const maxChecks = read('cloudMaxUniqueChecks') ?? MAX_UNIQUE_CHECKS
  if (maxChecks > MAX_UNIQUE_CHECKS) {
    throw node.error(`cloudMaxUniqueChecks must be at most ${MAX_UNIQUE_CHECKS}, got ${maxChecks}`)
  }
  return { maxSize: read('cloudMaxSize'), maxChecks }
}

/**
 * Truncates to `cloudMaxSize` before the uniqueness check. Characters are cut before the counter, not
 * after it (beyond the reference, which cuts the end): `verylonglastname` + `1` at size 16 becomes
 * `verylonglastnam1`, not `verylonglastname` again.
 */
function fit(prefix: string, counter: string, suffix: string, maxSize: number | undefined): string {
  const total = prefix.length + counter.length + suffix.length
  if (maxSize === undefined || total <= maxSize) return prefix + counter + suffix
  const kept = prefix.slice(0, Math.max(0, prefix.length - (total - maxSize)))
  return (kept + counter + suffix).slice(0, maxSize)
}

/** Builds a candidate function from a value rendered with `marker` where the counter goes. */
export function candidateFromRendered(
  rendered: string,
  marker: string,
  maxSize: number | undefined,
): CandidateFor {
  const at = rendered.indexOf(marker)
  if (at < 0) {
    const value = fit(rendered, '', '', maxSize)
    return () => value
  }
  const prefix = rendered.slice(0, at)
  const suffix = rendered
    .slice(at + marker.length)
    .split(marker)
    .join('')
  return (counter) => fit(prefix, counter, suffix, maxSize)
}

/**
 * Tries the patterns in order, each candidate checked with `ctx.isUnique` (absent: every value is
 * unique). A pattern with the counter counts up from empty to `maxChecks` and is the last pattern tried,
 * as documented. Exhaustion is an error mentioning IllegalStateException, like the reference.
 */
export function generateUnique(
  node: TransformNode,
  patterns: readonly CandidatePattern[],
  settings: UniqueSettings,
  ctx: TransformContext,
  cache: VariableCache | undefined,
): string {
  const isUnique = ctx.isUnique ?? (() => true)
  const skipped: string[] = []
  let checks = 0
  for (const pattern of patterns) {
    const candidate = pattern.prepare(ctx, cache)
    if (typeof candidate === 'string') {
      skipped.push(candidate)
      continue
    }
    if (!pattern.hasCounter) {
      const value = candidate('')
      checks++
      if (isUnique(value)) return value
      continue
    }
    for (let counter = 0; counter <= settings.maxChecks; counter++) {
      const value = candidate(counter === 0 ? '' : String(counter))
      checks++
      if (isUnique(value)) return value
    }
    throw node.error(
      `IllegalStateException: no unique value for pattern ${JSON.stringify(pattern.source)} after ${checks} checks (cloudMaxUniqueChecks ${settings.maxChecks})`,
    )
  }
  if (checks === 0) throw node.error(`no pattern could be used: ${skipped.join('; ')}`)
  throw node.error(
    `IllegalStateException: no unique value after ${checks} checks and no pattern with $uniqueCounter left`,
  )
}

const GENERATOR_SETTINGS = new Set([
  'patterns',
  'sourceCheck',
  'cloudMaxSize',
  'cloudMaxUniqueChecks',
  'cloudRequired',
])
// A character no name or template will contain, rendered where the counter goes.
const COUNTER_MARKER = '\u0000counter\u0000'

/**
 * `usernameGenerator`: Velocity `patterns` over the named variables, `$uniqueCounter` / `${uniqueCounter}`
 * reserved for the counter. A pattern whose variables are null or empty is skipped (so
 * `$fn.$mi.$ln` is passed over for someone without a middle name), which the docs leave unsaid.
 * `sourceCheck` is accepted; the uniqueness check is whatever `ctx.isUnique` does.
 */
export function compileUsernameGenerator(node: TransformNode): Evaluator {
  const raw = node.require('patterns')
  if (!Array.isArray(raw) || raw.length === 0) {
    throw node.error(`${node.attributePath('patterns')} must be a non-empty array of strings`)
  }
  const named = node.variables(GENERATOR_SETTINGS)
  const settings = uniqueSettings(node)
  node.boolean('sourceCheck', false)
  const patterns = raw.map((source: unknown, i): CandidatePattern => {
    const key = `patterns[${i}]`
    if (typeof source !== 'string') throw node.error(`${node.attributePath(key)} must be a string`)
    const template = bindTemplate(node, key, source, named)
    const hasCounter = template.names.includes('uniqueCounter')
    const needed = template.names.filter((n) => n !== 'uniqueCounter')
    return {
      source,
      hasCounter,
      prepare(ctx, cache) {
        const vars = template.variables(ctx, cache)
        for (const name of needed) {
          const v = vars[name]
          if (named.has(name) && (v === undefined || v === '')) {
            return `${JSON.stringify(source)} skipped: $${name} is empty`
          }
        }
        let rendered: string
        try {
          rendered = template.render(ctx, cache, { uniqueCounter: COUNTER_MARKER })
        } catch (err) {
          if (err instanceof MissingReferenceError) {
            return `${JSON.stringify(source)} skipped: ${err.reference} has no value`
          }
          throw templateError(node, key, err)
        }
        return candidateFromRendered(rendered, COUNTER_MARKER, settings.maxSize)
      },
    }
  })
  const shared = named.size > 0
  return (ctx) => generateUnique(node, patterns, settings, ctx, shared ? new Map() : undefined)
}
