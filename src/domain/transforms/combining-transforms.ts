import { compileEach } from './transform-errors.js'
import { isTransformDefinition, type Evaluator, type TransformNode } from './transform-node.js'
import type { TransformContext, TransformValue } from './transform-types.js'
import { quote } from './transform-value.js'

/**
 * Joins the non-null values with `separator`; all null gives null. Skipping nulls (rather than printing
 * "null" as Java string concatenation would) is our choice: the docs are silent, and a missing middle
 * name should not leave a hole.
 */
function joinValues(values: readonly Evaluator[], separator: string, ctx: TransformContext): TransformValue {
  let out: string | null = null
  for (const evaluate of values) {
    const v = evaluate(ctx)
    if (v === null) continue
    out = out === null ? v : out + separator + v
  }
  return out
}

/** `concat`: the values joined with no separator. */
export function compileConcat(node: TransformNode): Evaluator {
  const values = node.list('values')
  return (ctx) => joinValues(values, '', ctx)
}

/** `join`: the values joined with `separator` (default `,`). */
export function compileJoin(node: TransformNode): Evaluator {
  const values = node.list('values')
  const separator = node.string('separator', ',')
  return (ctx) => joinValues(values, separator, ctx)
}

/**
 * `firstValid`: the first value that is not null (an empty string is a value: the docs' example uses
 * `""` as the last resort). With `ignoreErrors`, a value that fails is skipped like a null one.
 */
export function compileFirstValid(node: TransformNode): Evaluator {
  const values = node.list('values')
  const ignoreErrors = node.boolean('ignoreErrors', false)
  if (!ignoreErrors) {
    return (ctx) => {
      for (const evaluate of values) {
        const v = evaluate(ctx)
        if (v !== null) return v
      }
      return null
    }
  }
  return (ctx) => {
    for (const evaluate of values) {
      try {
        const v = evaluate(ctx)
        if (v !== null) return v
      } catch {
        // ignoreErrors: a failing candidate counts as no value.
      }
    }
    return null
  }
}

/**
 * `lookup`: the `table` entry whose key equals the input (case-sensitive), else the `default` entry,
 * else an error. Table values are strings (a nested transform is accepted too).
 */
export function compileLookup(node: TransformNode): Evaluator {
  const table = node.require('table')
  if (typeof table !== 'object' || table === null || Array.isArray(table)) {
    throw node.error(`${node.attributePath('table')} must be an object of key → value`)
  }
  const entries = new Map<string, Evaluator>()
  // Every broken entry is reported, not only the first.
  compileEach(
    Object.entries(table as Record<string, unknown>).map(([key, value]) => () => {
      const path = node.attributePath(`table[${JSON.stringify(key)}]`)
      if (value === null || value === undefined) {
        throw node.error(`${path} has no value (write "" for an empty text)`)
      }
      if (typeof value === 'object' && !isTransformDefinition(value)) {
        throw node.error(`${path} must be a string or a transform`)
      }
      entries.set(key, node.compileValue(value, path))
    }),
  )
  const fallback = entries.get('default')
  const input = node.input()
  return (ctx) => {
    const key = input(ctx)
    const hit = key === null ? undefined : entries.get(key)
    if (hit !== undefined) return hit(ctx)
    if (fallback !== undefined) return fallback(ctx)
    throw node.error(`no entry for ${quote(key)} and no "default"`)
  }
}
