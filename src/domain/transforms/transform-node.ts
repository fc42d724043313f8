import { TransformError } from '../errors.js'
import { compileEach } from './transform-errors.js'
import type { TransformContext, TransformDefinition, TransformValue } from './transform-types.js'
import { toTransformValue } from './transform-value.js'

/** A compiled transform body: a plain function, so nested evaluation is one call per level. */
export type Evaluator = (ctx: TransformContext) => TransformValue

/** What a node needs from the compilation it belongs to (nested transforms, references, field settings). */
export interface CompileSession {
  /** Compiles a nested definition found at `path` (e.g. `attributes.values[1].`). */
  compile(def: TransformDefinition, path: string): Evaluator
  /** Compiles (once) the workspace transform a `reference` names; detects cycles. */
  compileReference(id: string, node: TransformNode): Evaluator
  /** The account-profile field's own attributes (`cloudMaxSize`, `cloudMaxUniqueChecks`, `template`). */
  readonly fieldAttributes: Readonly<Record<string, unknown>>
}

/** The shape test used everywhere: an object with a string `type` is a (nested) transform. */
export function isTransformDefinition(value: unknown): value is TransformDefinition {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { type?: unknown }).type === 'string'
  )
}

const implicitInput: Evaluator = (ctx) => toTransformValue(ctx.input)

export function constant(value: TransformValue): Evaluator {
  return () => value
}

/**
 * One transform definition being compiled: typed readers for its attributes that fail with a
 * `TransformError` naming the transform type and the attribute path, and compilers for the values
 * that may be nested transforms.
 */
export class TransformNode {
  readonly type: string
  readonly attributes: Readonly<Record<string, unknown>>

  constructor(
    readonly definition: TransformDefinition,
    /** Where this definition sits inside the root one: `''` for the root, `attributes.input.` below it. */
    readonly path: string,
    readonly session: CompileSession,
  ) {
    this.type = definition.type
    const attrs: unknown = definition.attributes
    if (attrs !== undefined && attrs !== null && (typeof attrs !== 'object' || Array.isArray(attrs))) {
      throw new TransformError(`${this.type}: ${path}attributes must be an object`)
    }
    this.attributes = (attrs as Readonly<Record<string, unknown>> | null | undefined) ?? {}
  }

  attributePath(key: string): string {
    return `${this.path}attributes.${key}`
  }

  error(problem: string, cause?: unknown): TransformError {
    return new TransformError(`${this.type}: ${problem}`, cause === undefined ? undefined : { cause })
  }

  has(key: string): boolean {
    const v = this.attributes[key]
    return v !== undefined && v !== null
  }

  raw(key: string): unknown {
    return this.attributes[key]
  }

  require(key: string): unknown {
    const v = this.attributes[key]
    if (v === undefined || v === null) {
      throw this.error(`missing required attribute ${this.attributePath(key)}`)
    }
    return v
  }

  /** A plain string setting; numbers and booleans are accepted as their text (JSON configs mix them). */
  string(key: string, fallback?: string): string {
    if (!this.has(key)) {
      if (fallback !== undefined) return fallback
      this.require(key)
    }
    const v = this.attributes[key]
    if (typeof v === 'string') return v
    if (typeof v === 'number' || typeof v === 'boolean') return String(v)
    throw this.error(`${this.attributePath(key)} must be a string`)
  }

  /** An integer setting, given as a number or as a numeric string (`"length": "8"` is the docs' style). */
  integer(key: string, fallback?: number): number {
    if (!this.has(key)) {
      if (fallback !== undefined) return fallback
      this.require(key)
    }
    const v = this.attributes[key]
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? Number(v) : NaN
    if (!Number.isSafeInteger(n)) {
      throw this.error(`${this.attributePath(key)} must be an integer, got ${JSON.stringify(v)}`)
    }
    return n
  }

  /** A boolean setting, given as a boolean or as `"true"` / `"false"` (any case). */
  boolean(key: string, fallback: boolean): boolean {
    if (!this.has(key)) return fallback
    const v = this.attributes[key]
    if (typeof v === 'boolean') return v
    if (typeof v === 'string') {
      const s = v.trim().toLowerCase()
      if (s === 'true') return true
      if (s === 'false') return false
    }
    throw this.error(`${this.attributePath(key)} must be true or false, got ${JSON.stringify(v)}`)
  }

  /** A required value that may be a literal or a nested transform. */
  value(key: string): Evaluator {
    return this.compileValue(this.require(key), this.attributePath(key))
  }

  optionalValue(key: string): Evaluator | undefined {
    const v = this.attributes[key]
    return v === undefined ? undefined : this.compileValue(v, this.attributePath(key))
  }

  /** The explicit `input` attribute when present (not null), otherwise the implicit input (`ctx.input`). */
  input(): Evaluator {
    return this.has('input') ? this.value('input') : implicitInput
  }

  /** A required array of literals and nested transforms (`values` of concat, join, firstValid). */
  list(key: string): Evaluator[] {
    const v = this.require(key)
    if (!Array.isArray(v)) throw this.error(`${this.attributePath(key)} must be an array`)
    return compileEach(
      v.map((item: unknown, i) => () => this.compileValue(item, `${this.attributePath(key)}[${i}]`)),
    )
  }

  /**
   * The named variables of `static`, `conditional`, `usernameGenerator`, `rule`…: every attribute that
   * is not one of the type's own settings, compiled as a literal or a nested transform.
   */
  variables(reserved: ReadonlySet<string>): Map<string, Evaluator> {
    const vars = new Map<string, Evaluator>()
    compileEach(
      Object.entries(this.attributes).map(([key, v]) => () => {
        if (reserved.has(key) || key === 'input' || key === 'requiresPeriodicRefresh') return
        if (
          v === undefined ||
          v === null ||
          typeof v === 'string' ||
          typeof v === 'number' ||
          typeof v === 'boolean'
        ) {
          vars.set(key, constant(toTransformValue(v)))
        } else if (isTransformDefinition(v)) {
          vars.set(key, this.session.compile(v, `${this.attributePath(key)}.`))
        }
        // Other shapes (maps, lists of settings) are not variables; they are ignored like unknown settings.
      }),
    )
    return vars
  }

  compileValue(value: unknown, path: string): Evaluator {
    if (isTransformDefinition(value)) return this.session.compile(value, `${path}.`)
    if (value === null || value === undefined) return constant(null)
    if (typeof value === 'object' && !Array.isArray(value)) {
      throw this.error(`${path} must be a string or a transform (an object with a "type")`)
    }
    return constant(toTransformValue(value))
  }
}
