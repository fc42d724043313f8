import { Compile, Helper, parse } from 'velocityjs'
import { JAVA_STRING_METHOD_HANDLER } from './java-string-methods.js'

type Ast = ReturnType<typeof parse>[number]
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

/** Parses a template; throws when its syntax is invalid. */
export function compileTemplate(source: string): CompiledTemplate {
  if (!source.includes('$') && !source.includes('#')) {
    return { source, constant: source, names: [], render: () => source }
  }
  const asts = parse(source)
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

  constructor(asts: ReturnType<typeof parse>) {
    super(asts, { escape: false, customMethodHandlers: [JAVA_STRING_METHOD_HANDLER] })
    const macros = {
      stop: (): string => {
        this.runState.stop = true
        return ''
      },
    }
    Object.defineProperty(macros, 'eval', { value: this.eval.bind(this) })
    this.#macros = macros
  }

  override render(context?: Record<string, unknown>): string {
    this.context = context ?? {}
    this.macros = this.#macros
    this.silence = false
    this.local = {}
    this.conditions = []
    this.defines = {}
    this.runState = { stop: false, break: false }
    return this.renderAstList()
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
