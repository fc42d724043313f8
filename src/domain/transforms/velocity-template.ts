import { Compile, Helper } from 'velocityjs'
import {
  JAVA_COLLECTION_METHOD_HANDLER,
  JAVA_LIST_METHOD_NAMES,
  JAVA_MAP_METHOD_NAMES,
} from './java-collection-methods.js'
import { JAVA_NUMBER_METHOD_HANDLER, JAVA_NUMBER_METHOD_NAMES } from './java-number-methods.js'
import { JAVA_STRING_METHOD_HANDLER, JAVA_STRING_METHOD_NAMES } from './java-string-methods.js'
import { parseVelocity, type VelocityAst as Ast } from './velocity-parse.js'
type RefTextAst = Parameters<typeof Helper.getRefText>[0]

interface ReferenceAst {
  readonly type: 'references'
  readonly id: string
  readonly leader: string
  readonly path?: readonly { readonly type: string; readonly id: unknown }[]
  readonly args?: unknown
}

/**
 * A reference rendered into the output was null or undefined. Templates run in Velocity's strict
 * reference mode: the reference product raises an error there (the `firstValid` docs show a static
 * `$identity.manager.attributes.networkDn` failing for identities without a manager) instead of
 * printing the reference's own text. `$!ref` (quiet reference) renders nothing instead.
 */
export class MissingReferenceError extends Error {
  constructor(readonly reference: string) {
    super(`${reference} has no value`)
    this.name = 'MissingReferenceError'
  }
}

/**
 * A template called a method or directive that Provisio does not provide. The reference product would
 * run it (or fail); rendering it as empty text would silently give a wrong value, so it is an error.
 */
export class UnsupportedTemplateError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UnsupportedTemplateError'
  }
}

/** A Velocity template parsed once and rendered many times. */
export interface CompiledTemplate {
  readonly source: string
  /** Set when the text holds no reference or directive: the value is then fixed. */
  readonly constant: string | undefined
  /** Top-level names the template reads (`$fn`, `${uniqueCounter}`, `$identity.x` → `identity`). */
  readonly names: readonly string[]
  /** Renders with the given variables; throws MissingReferenceError for a null reference in the output. */
  render(vars: Record<string, unknown>): string
}

/** Parses a template; throws VelocitySyntaxError when its syntax is invalid. */
export function compileTemplate(source: string): CompiledTemplate {
  if (!source.includes('$') && !source.includes('#')) {
    return { source, constant: source, names: [], render: () => source }
  }
  const asts = parseVelocity(source)
  if (asts.every((a) => typeof a === 'string')) {
    const text = asts.join('')
    return { source, constant: text, names: [], render: () => text }
  }
  const names = [...collectNames(asts, new Set<string>())]
  const simple = simpleParts(asts)
  if (simple !== undefined) {
    return { source, constant: undefined, names, render: (vars) => renderSimple(simple, vars) }
  }
  const template = new StrictTemplate(asts)
  return { source, constant: undefined, names, render: (vars) => template.render(vars) }
}

function collectNames(node: unknown, names: Set<string>): Set<string> {
  if (Array.isArray(node)) {
    for (const n of node) collectNames(n, names)
  } else if (typeof node === 'object' && node !== null) {
    const rec = node as Record<string, unknown>
    if (rec.type === 'references' && typeof rec.id === 'string') names.add(rec.id)
    for (const v of Object.values(rec)) if (typeof v === 'object') collectNames(v, names)
  }
  return names
}

// ---- Fast path: text and plain references (`$a`, `${a}`, `$!a`, `$a.b.c`), the shape of most templates
// (`$fn.$ln@example.com`, generator patterns). Rendering them is a string concatenation.

interface SimpleReference {
  readonly id: string
  readonly properties: readonly string[]
  readonly quiet: boolean
  readonly text: string
}
type SimplePart = string | SimpleReference

const BLOCKED_KEYS = new Set([
  '__proto__',
  'constructor',
  'prototype',
  '__defineGetter__',
  '__defineSetter__',
])

function simpleParts(asts: readonly Ast[]): SimplePart[] | undefined {
  const parts: SimplePart[] = []
  for (const a of asts) {
    if (typeof a === 'string') {
      parts.push(a)
      continue
    }
    const ref = a as unknown as ReferenceAst
    if (ref.type !== 'references' || ref.args !== undefined) return undefined
    const properties: string[] = []
    for (const p of ref.path ?? []) {
      if (p.type !== 'property' || typeof p.id !== 'string') return undefined
      properties.push(p.id)
    }
    parts.push({
      id: ref.id,
      properties,
      quiet: ref.leader === '$!',
      text: Helper.getRefText(a as RefTextAst),
    })
  }
  return parts
}

function renderSimple(parts: readonly SimplePart[], vars: Record<string, unknown>): string {
  let out = ''
  for (const p of parts) {
    if (typeof p === 'string') {
      out += p
      continue
    }
    let v: unknown = Object.hasOwn(vars, p.id) ? vars[p.id] : undefined
    for (const prop of p.properties) {
      if (v === null || v === undefined || BLOCKED_KEYS.has(prop)) {
        v = undefined
        break
      }
      v = (v as Record<string, unknown>)[prop]
    }
    if (v === null || v === undefined) {
      if (p.quiet) continue
      throw new MissingReferenceError(p.text)
    }
    out += formatValue(v)
  }
  return out
}

/** Velocity's (and velocityjs's) rendering of non-strings: lists as `[a, b]`, maps as `{k=v}`. */
function formatValue(v: unknown): string {
  if (typeof v === 'string') return v
  if (Array.isArray(v)) return '[' + v.map(formatValue).join(', ') + ']'
  if (typeof v === 'object' && v !== null) {
    return (
      '{' +
      Object.entries(v)
        .map(([k, x]) => `${k}=${formatValue(x)}`)
        .join(', ') +
      '}'
    )
  }
  return String(v)
}

// ---- Full Velocity through velocityjs, with strict references and state reset between renders (a
// compiled template is rendered many times, and #stop/#foreach leave state on the instance).

class StrictTemplate extends Compile {
  readonly #macros: Record<string, () => string>

  constructor(asts: Ast[]) {
    super(asts, {
      escape: false,
      customMethodHandlers: [
        JAVA_STRING_METHOD_HANDLER,
        JAVA_NUMBER_METHOD_HANDLER,
        JAVA_COLLECTION_METHOD_HANDLER,
      ],
    })
    const macros = {
      stop: (): string => {
        this.runState.stop = true
        return ''
      },
    }
    Object.defineProperty(macros, 'eval', { value: this.eval.bind(this) })
    // Velocity 1.7's name for velocityjs's #eval.
    Object.defineProperty(macros, 'evaluate', { value: this.eval.bind(this) })
    this.#macros = macros
  }

  override render(context?: Record<string, unknown>): string {
    this.context = context ?? {}
    this.macros = this.#macros
    this.silence = false
    this.local = {}
    this.conditions = []
    this.defines = {}
    // Velocity 1.7 ends the innermost #foreach at #break, leaving the rest of that iteration unrendered
    // (outside a #foreach, the whole template); velocityjs only skips the following iterations. Its
    // renderer stops a list at `stop`, so `stop` reads true while a #break is pending.
    let stopped = false
    let broken = false
    this.runState = {
      get stop() {
        return stopped || broken
      },
      set stop(v: boolean) {
        stopped = v
      },
      get break() {
        return broken
      },
      set break(v: boolean) {
        broken = v
      },
    }
    return this.renderAstList()
  }

  /** Only the Java methods listed in docs/transforms.md: anything else fails instead of rendering "". */
  getPropMethod(property: { readonly id: string }, baseRef: unknown, ast: Ast): unknown {
    if (!supportsMethod(baseRef, property.id)) {
      const text = Helper.getRefText(ast as RefTextAst)
      throw new UnsupportedTemplateError(
        `${text} calls ${property.id}(), which is not supported on ${javaTypeName(baseRef)}`,
      )
    }
    return velocityGetPropMethod.call(this, property, baseRef, ast)
  }

  // Text rendered at run time ("$a #if…" strings, #evaluate) goes through the same checking parser.
  protected override evalStr(source: string): string {
    return this.renderAstList(parseVelocity(source), this.contextId)
  }

  protected override eval(source: string | Ast[], local?: object, contextId?: string): string {
    const asts = typeof source === 'string' ? parseVelocity(source) : source
    const evaluate = super.eval as unknown as (s: Ast[], l?: object, c?: string) => string
    return evaluate.call(this, asts, local, contextId)
  }

  protected override getMacro(ast: Ast, ...rest: unknown[]): string {
    const id = (ast as unknown as { readonly id?: string }).id ?? ''
    if (!Object.hasOwn(this.macrosStore, id) && !Object.hasOwn(this.#macros, id)) {
      throw new UnsupportedTemplateError(
        `#${id} is not a supported directive or a macro defined in the template`,
      )
    }
    return (super.getMacro as (ast: Ast, ...rest: unknown[]) => string).call(this, ast, ...rest)
  }

  protected override getReferences(ast: Ast, isVal?: boolean): string {
    if (isVal !== true) return super.getReferences(ast, isVal)
    const value: unknown = super.getReferences(ast, false)
    if (value === undefined || value === null) {
      if ((ast as unknown as ReferenceAst).leader === '$!') return ''
      throw new MissingReferenceError(Helper.getRefText(ast as RefTextAst))
    }
    return formatValue(value)
  }
}

// velocityjs mixes its method lookup into Compile's prototype; its type declarations omit it.
const velocityGetPropMethod = (
  Compile.prototype as unknown as {
    getPropMethod: (this: Compile, property: unknown, baseRef: unknown, ast: unknown) => unknown
  }
).getPropMethod

const BOOLEAN_METHOD_NAMES: ReadonlySet<string> = new Set(['toString', 'booleanValue', 'equals'])

function supportsMethod(receiver: unknown, name: string): boolean {
  if (typeof receiver === 'string') return JAVA_STRING_METHOD_NAMES.has(name)
  if (typeof receiver === 'number') return JAVA_NUMBER_METHOD_NAMES.has(name)
  if (typeof receiver === 'boolean') return BOOLEAN_METHOD_NAMES.has(name)
  if (Array.isArray(receiver)) return JAVA_LIST_METHOD_NAMES.has(name)
  if (typeof receiver === 'object' && receiver !== null) {
    // A function the context provides (`$identity.getAttribute('x')`), a map method, or a bean getter.
    const own = (receiver as Record<string, unknown>)[name]
    if (Object.hasOwn(receiver, name) && typeof own === 'function') return true
    return JAVA_MAP_METHOD_NAMES.has(name) || /^(get|is)[A-Z]/.test(name)
  }
  return false
}

function javaTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'string') return 'a string (java.lang.String)'
  if (typeof v === 'number') return `a number (java.lang.${Number.isInteger(v) ? 'Integer' : 'Double'})`
  if (typeof v === 'boolean') return 'a boolean (java.lang.Boolean)'
  if (Array.isArray(v)) return 'a list (java.util.List)'
  return 'a map (java.util.Map)'
}
