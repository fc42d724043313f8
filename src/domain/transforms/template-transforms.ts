import { bindTemplate, templateError, type BoundTemplate, type VariableCache } from './template-scope.js'
import { constant, isTransformDefinition, type Evaluator, type TransformNode } from './transform-node.js'
import type { TransformContext, TransformValue } from './transform-types.js'

/** `static`: a fixed string, or a Velocity template over the named variables. */
export function compileStatic(node: TransformNode): Evaluator {
  if (isTransformDefinition(node.require('value'))) return node.value('value')
  const template = bindTemplate(node, 'value', node.string('value'), node.variables(STATIC_SETTINGS))
  // A value without `$` or `#` is compiled to a constant: nothing is parsed or rendered per evaluation.
  if (template.constant !== undefined) return constant(template.constant)
  return (ctx) => {
    try {
      return template.render(ctx)
    } catch (err) {
      throw templateError(node, 'value', err)
    }
  }
}
const STATIC_SETTINGS = new Set(['value'])

/**
 * `conditional`: `expression` is rendered (Velocity), then read as `ValueA eq ValueB` (the only operator;
 * case-sensitive; operands trimmed). A null operand is an error, as in the reference product
 * (IllegalArgumentException). The chosen condition is itself a template or a nested transform.
 */
export function compileConditional(node: TransformNode): Evaluator {
  const named = node.variables(CONDITIONAL_SETTINGS)
  const source = node.string('expression')
  if (!EQ.test(source)) {
    throw node.error(
      `expression must have the form "ValueA eq ValueB" (only eq is supported), got ${JSON.stringify(source)}`,
    )
  }
  const expression = bindTemplate(node, 'expression', source, named)
  const positive = conditionValue(node, 'positiveCondition', named)
  const negative = conditionValue(node, 'negativeCondition', named)
  const decide = (text: string): boolean => {
    const m = EQ.exec(text)
    if (m === null) {
      throw node.error(
        `IllegalArgumentException: expression ${JSON.stringify(text)} is not "ValueA eq ValueB"`,
      )
    }
    return text.slice(0, m.index).trim() === text.slice(m.index + m[0].length).trim()
  }
  if (expression.constant !== undefined) {
    const branch = decide(expression.constant) ? positive : negative
    return (ctx) => branch(ctx, undefined)
  }
  const shared = named.size > 0
  return (ctx) => {
    const cache: VariableCache | undefined = shared ? new Map() : undefined
    let text: string
    try {
      text = expression.render(ctx, cache)
    } catch (err) {
      throw templateError(node, 'expression', err, 'IllegalArgumentException: ')
    }
    return (decide(text) ? positive : negative)(ctx, cache)
  }
}
const CONDITIONAL_SETTINGS = new Set(['expression', 'positiveCondition', 'negativeCondition'])
const EQ = /\s+eq\s+/

type Branch = (ctx: TransformContext, cache: VariableCache | undefined) => TransformValue

/** A positive/negative condition: a nested transform, or a string rendered as a template. */
export function conditionValue(
  node: TransformNode,
  key: string,
  named: ReadonlyMap<string, Evaluator>,
): Branch {
  if (isTransformDefinition(node.require(key))) {
    const evaluate = node.value(key)
    return (ctx) => evaluate(ctx)
  }
  const template: BoundTemplate = bindTemplate(node, key, node.string(key), named)
  if (template.constant !== undefined) {
    const value = template.constant
    return () => value
  }
  return (ctx, cache) => {
    try {
      return template.render(ctx, cache)
    } catch (err) {
      throw templateError(node, key, err)
    }
  }
}
