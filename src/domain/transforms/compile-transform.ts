import { TransformError } from '../errors.js'
import { TRANSFORM_COMPILERS } from './transform-registry.js'
import {
  isTransformDefinition,
  TransformNode,
  type CompileSession,
  type Evaluator,
} from './transform-node.js'
import type {
  CompiledTransform,
  TransformContext,
  TransformDefinition,
  TransformResolver,
  TransformValue,
} from './transform-types.js'

export interface CompileTransformOptions {
  /** Finds the workspace's named transforms, for `reference`. */
  readonly resolve?: TransformResolver
  /**
   * The attributes of the account-profile field the transform computes (`cloudMaxSize`,
   * `cloudMaxUniqueChecks`, `template`…), which the generators read; the reference keeps them on the
   * field, beside the transform.
   */
  readonly fieldAttributes?: Readonly<Record<string, unknown>>
}

/**
 * Compiles a transform definition once: every attribute is checked, nested transforms (at any depth)
 * and references are compiled, templates parsed and regexes built, so `evaluate` only computes.
 * Throws a TransformError for the first problem found.
 */
export function compileTransform(
  def: TransformDefinition,
  options: CompileTransformOptions = {},
): CompiledTransform {
  const session = new Session(options)
  const evaluate = session.compile(def, '')
  const type = def.type
  return {
    type,
    evaluate(ctx: TransformContext): TransformValue {
      try {
        return evaluate(ctx)
      } catch (err) {
        if (err instanceof TransformError) throw err
        // Anything else (a method call inside a template, a regex replacement) still gets the one-line form.
        const detail = err instanceof Error ? err.message : String(err)
        throw new TransformError(`${type}: ${detail}`, { cause: err })
      }
    },
  }
}

/** Compiles and evaluates in one call: for one-off evaluations (a preview); compile once for many. */
export function evaluateTransform(
  def: TransformDefinition,
  ctx: TransformContext,
  options?: CompileTransformOptions,
): TransformValue {
  return compileTransform(def, options).evaluate(ctx)
}

class Session implements CompileSession {
  readonly fieldAttributes: Readonly<Record<string, unknown>>
  readonly #resolve: TransformResolver | undefined
  // Each referenced transform is compiled once per compilation, however often it is referenced.
  readonly #references = new Map<string, Evaluator>()
  readonly #referenceStack: string[] = []

  constructor(options: CompileTransformOptions) {
    this.#resolve = options.resolve
    this.fieldAttributes = options.fieldAttributes ?? {}
  }

  compile(def: TransformDefinition, path: string): Evaluator {
    if (!isTransformDefinition(def)) {
      throw new TransformError(
        `transform${path ? ` at ${path.slice(0, -1)}` : ''} must be an object with a string "type"`,
      )
    }
    const compiler = Object.hasOwn(TRANSFORM_COMPILERS, def.type) ? TRANSFORM_COMPILERS[def.type] : undefined
    if (compiler === undefined) {
      throw new TransformError(
        `unknown transform type ${JSON.stringify(def.type)}${path ? ` at ${path.slice(0, -1)}` : ''}`,
      )
    }
    return compiler(new TransformNode(def, path, this))
  }

  compileReference(id: string, node: TransformNode): Evaluator {
    const done = this.#references.get(id)
    if (done !== undefined) return done
    if (this.#referenceStack.includes(id)) {
      throw node.error(
        `reference cycle: ${[...this.#referenceStack, id].map((x) => JSON.stringify(x)).join(' → ')}`,
      )
    }
    if (this.#resolve === undefined) {
      throw node.error(`cannot resolve ${JSON.stringify(id)}: no transform resolver was given`)
    }
    const def = this.#resolve(id)
    if (def === undefined) throw node.error(`no transform named ${JSON.stringify(id)}`)
    this.#referenceStack.push(id)
    try {
      // A referenced transform's paths start at its own root.
      const evaluate = this.compile(def, '')
      this.#references.set(id, evaluate)
      return evaluate
    } finally {
      this.#referenceStack.pop()
    }
  }
}
