import { TransformError } from '../errors.js'
import type { Evaluator, TransformNode } from './transform-node.js'
import type { TransformContext, TransformValue } from './transform-types.js'
import { compileTemplate, MissingReferenceError, type CompiledTemplate } from './velocity-template.js'

/** Values of named variables already evaluated during one evaluation (several templates may share them). */
export type VariableCache = Map<string, TransformValue>

type Resolver = (ctx: TransformContext, cache: VariableCache | undefined) => unknown

/**
 * A Velocity template bound to where its names come from, in this order: the transform's named
 * variables (other keys of `attributes`, evaluated lazily, only when the template reads them), values
 * given by the caller (`uniqueCounter`), fields evaluated earlier in the same account profile
 * (`ctx.fields`), then `$identity` and `$manager`.
 */
export interface BoundTemplate {
  readonly source: string
  readonly constant: string | undefined
  readonly names: readonly string[]
  /** The Velocity context for one evaluation: only the names the template reads, nulls left out. */
  variables(ctx: TransformContext, cache?: VariableCache): Record<string, unknown>
  render(ctx: TransformContext, cache?: VariableCache, extra?: Readonly<Record<string, unknown>>): string
}

/** Compiles a template attribute of `node`; a syntax error is a TransformError naming the attribute. */
export function bindTemplate(
  node: TransformNode,
  attribute: string,
  source: string,
  named: ReadonlyMap<string, Evaluator>,
): BoundTemplate {
  let template: CompiledTemplate
  try {
    template = compileTemplate(source)
  } catch (err) {
    const detail = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err)
    throw node.error(`${node.attributePath(attribute)} is not a valid Velocity template: ${detail}`, err)
  }
  const resolvers = template.names.map((name): [string, Resolver] => [name, resolverFor(name, named)])
  const variables = (ctx: TransformContext, cache?: VariableCache): Record<string, unknown> => {
    const vars: Record<string, unknown> = {}
    for (const [name, resolve] of resolvers) {
      const v = resolve(ctx, cache)
      if (v !== null && v !== undefined) vars[name] = v
    }
    return vars
  }
  return {
    source,
    constant: template.constant,
    names: template.names,
    variables,
    render(ctx, cache, extra) {
      if (template.constant !== undefined) return template.constant
      const vars = variables(ctx, cache)
      if (extra !== undefined) Object.assign(vars, extra)
      return template.render(vars)
    },
  }
}

function resolverFor(name: string, named: ReadonlyMap<string, Evaluator>): Resolver {
  const evaluate = named.get(name)
  if (evaluate !== undefined) {
    return (ctx, cache) => {
      if (cache === undefined) return evaluate(ctx)
      if (cache.has(name)) return cache.get(name)
      const v = evaluate(ctx)
      cache.set(name, v)
      return v
    }
  }
  return (ctx) => {
    const fields = ctx.fields
    if (fields !== undefined && Object.hasOwn(fields, name)) return fields[name]
    if (name === 'identity') {
      return ctx.identity === undefined ? undefined : identityView(ctx.identity, ctx.manager)
    }
    if (name === 'manager') return ctx.manager ? identityView(ctx.manager, undefined) : undefined
    return undefined
  }
}

/**
 * What `$identity` is in a template: the attributes by name (`$identity.department`), plus the Java
 * accessors templates written for the reference product use (`$identity.attributes.x`,
 * `$identity.getAttribute('x')`) and `$identity.manager` (the manager's view, when the context has one).
 */
function identityView(
  attributes: Readonly<Record<string, unknown>>,
  manager: Readonly<Record<string, unknown>> | null | undefined,
): Record<string, unknown> {
  const view: Record<string, unknown> = {
    ...attributes,
    attributes,
    getAttribute: (key: unknown) => (typeof key === 'string' ? attributes[key] : undefined),
  }
  if (manager !== undefined) view.manager = manager === null ? undefined : identityView(manager, undefined)
  return view
}

/** Maps a rendering failure to the transform's error (a null reference, or a failing method call). */
export function templateError(
  node: TransformNode,
  attribute: string,
  err: unknown,
  prefix = '',
): TransformError {
  // A nested variable's own failure already names its transform and problem.
  if (err instanceof TransformError) return err
  if (err instanceof MissingReferenceError) {
    const hint = err.reference.endsWith('-') ? ` (Velocity reads "-" as part of a name: write \${name}-)` : ''
    return node.error(`${prefix}${err.reference} in ${attribute} has no value${hint}`, err)
  }
  const detail = err instanceof Error ? err.message : String(err)
  return node.error(`${prefix}${attribute} could not be rendered: ${detail}`, err)
}
