import { dateCodec, parseIso8601, type DateCodec } from './date-formats.js'
import { compileDateMathExpression, type DateMathExpression } from './date-math.js'
import { compileDatePattern } from './simple-date-format.js'
import { bindTemplate, templateError, type VariableCache } from './template-scope.js'
import { conditionValue } from './template-transforms.js'
import { isTransformDefinition, type Evaluator, type TransformNode } from './transform-node.js'
import type { TransformContext } from './transform-types.js'
import { quote } from './transform-value.js'

/** The injected clock, or the system's. */
export function nowMs(ctx: TransformContext): number {
  return ctx.now === undefined ? Date.now() : ctx.now().getTime()
}

function codec(node: TransformNode, key: string): DateCodec {
  const format = node.string(key, 'ISO8601')
  try {
    return dateCodec(format)
  } catch (err) {
    throw node.error(`${node.attributePath(key)}: ${err instanceof Error ? err.message : String(err)}`, err)
  }
}

/** `dateFormat`: parse the input with `inputFormat`, write it with `outputFormat` (both default ISO8601). */
export function compileDateFormat(node: TransformNode): Evaluator {
  const input = node.input()
  const from = codec(node, 'inputFormat')
  const to = codec(node, 'outputFormat')
  return (ctx) => {
    const v = input(ctx)
    if (v === null) return null
    const ms = from.parse(v, () => nowMs(ctx))
    if (ms === undefined) throw node.error(`${quote(v)} does not match the input format ${from.name}`)
    return to.format(ms)
  }
}

const DATE_MATH_OUTPUT = compileDatePattern("yyyy-MM-dd'T'HH:mm")

/**
 * `dateMath`: applies `expression` to the input (ISO 8601) or to `now` (which then wins over the input,
 * as documented) and writes `yyyy-MM-dd'T'HH:mm`. A null input gives null.
 */
export function compileDateMath(node: TransformNode): Evaluator {
  let expression: DateMathExpression
  try {
    expression = compileDateMathExpression(node.string('expression'))
  } catch (err) {
    throw node.error(err instanceof Error ? err.message : String(err), err)
  }
  const roundUp = node.boolean('roundUp', false)
  if (expression.usesNow) return (ctx) => DATE_MATH_OUTPUT.format(expression.apply(nowMs(ctx), roundUp))
  const input = node.input()
  return (ctx) => {
    const v = input(ctx)
    if (v === null) return null
    const ms = parseIso8601(v)
    if (ms === undefined) throw node.error(`input ${quote(v)} is not an ISO 8601 date`)
    return DATE_MATH_OUTPUT.format(expression.apply(ms, roundUp))
  }
}

type DateOperand = (ctx: TransformContext, cache: VariableCache | undefined) => number

const COMPARATORS: Readonly<Record<string, (a: number, b: number) => boolean>> = {
  LT: (a, b) => a < b,
  LTE: (a, b) => a <= b,
  GT: (a, b) => a > b,
  GTE: (a, b) => a >= b,
}

/**
 * `dateCompare`: `firstDate` OPERATOR `secondDate` (LT, LTE, GT, GTE in any case) → `positiveCondition`
 * or `negativeCondition`. Each date is `now`, a nested transform or a string (a Velocity template over
 * the named variables); both must be ISO 8601, and a null date is an error.
 */
export function compileDateCompare(node: TransformNode): Evaluator {
  const named = node.variables(DATE_COMPARE_SETTINGS)
  const operatorName = node.string('operator').trim().toUpperCase()
  const compare = COMPARATORS[operatorName]
  if (compare === undefined) {
    throw node.error(
      `${node.attributePath('operator')} must be one of LT, LTE, GT, GTE, got ${JSON.stringify(node.raw('operator'))}`,
    )
  }
  const first = dateOperand(node, 'firstDate', named)
  const second = dateOperand(node, 'secondDate', named)
  const positive = conditionValue(node, 'positiveCondition', named)
  const negative = conditionValue(node, 'negativeCondition', named)
  const shared = named.size > 0
  return (ctx) => {
    const cache: VariableCache | undefined = shared ? new Map() : undefined
    const result = compare(first(ctx, cache), second(ctx, cache))
    return (result ? positive : negative)(ctx, cache)
  }
}
const DATE_COMPARE_SETTINGS = new Set([
  'firstDate',
  'secondDate',
  'operator',
  'positiveCondition',
  'negativeCondition',
])

function dateOperand(node: TransformNode, key: string, named: ReadonlyMap<string, Evaluator>): DateOperand {
  const toMs = (v: string | null, ctx: TransformContext): number => {
    if (v === null) throw node.error(`${key} is null`)
    if (v.trim().toLowerCase() === 'now') return nowMs(ctx)
    const ms = parseIso8601(v)
    if (ms === undefined) throw node.error(`${key} ${quote(v)} is not an ISO 8601 date`)
    return ms
  }
  if (isTransformDefinition(node.require(key))) {
    const evaluate = node.value(key)
    return (ctx) => toMs(evaluate(ctx), ctx)
  }
  const template = bindTemplate(node, key, node.string(key), named)
  if (template.constant !== undefined) {
    const text = template.constant
    if (text.trim().toLowerCase() !== 'now' && parseIso8601(text) === undefined) {
      throw node.error(`${node.attributePath(key)} ${quote(text)} is neither "now" nor an ISO 8601 date`)
    }
    return (ctx) => toMs(text, ctx)
  }
  return (ctx, cache) => {
    let text: string
    try {
      text = template.render(ctx, cache)
    } catch (err) {
      throw templateError(node, key, err)
    }
    return toMs(text, ctx)
  }
}
