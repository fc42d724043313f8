import Handlebars from 'handlebars'
import { nearestName } from '../config/nearest-name.js'
import { COMMON_FIELDS, shapeOf, type FieldSpecs } from './notification-fields.js'

/**
 * Notification templates are Handlebars (https://handlebarsjs.com): `{{requestedFor.displayName}}`,
 * `{{#if comment}}…{{/if}}`, `{{#with item}}…{{/with}}`, and one helper of Provisio's, `eq`
 * (`{{#if (eq requestType "REVOKE_ACCESS")}}`). Templates render in strict mode with only known helpers;
 * before that, checkTemplate walks a template's syntax tree, so a misspelt variable, even in a branch no
 * message has taken yet, is an error when the workspace loads.
 */

/** The parts of a template: the subject line, the text body, and optionally an HTML body. */
export interface TemplateSource {
  readonly subject: string
  readonly body: string
  readonly html?: string | undefined
}

export type TemplatePart = 'subject' | 'body' | 'html'

/** A workspace's template for a kind: replaces the kind's default, subject and body (and html) together. */
export interface WorkspaceTemplate extends TemplateSource {
  readonly kind: string
}

export interface TemplateProblem {
  readonly part: TemplatePart
  /** The line in that part's text, when known. */
  readonly line?: number
  readonly message: string
}

/** A rendered message. */
export interface RenderedMessage {
  readonly subject: string
  readonly body: string
  readonly html: string | null
}

// An environment of our own: a helper or partial registered elsewhere in the process does not leak in.
const handlebars = Handlebars.create()
handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b)

const HELPERS = ['eq', 'lookup'] as const
const BLOCK_HELPERS = ['if', 'unless', 'with', 'each'] as const

function compileOptions(part: TemplatePart): CompileOptions {
  return {
    strict: true,
    knownHelpersOnly: true,
    knownHelpers: { eq: true },
    // Subjects and text bodies are text: `&` stays `&`. HTML bodies escape every value.
    noEscape: part !== 'html',
  }
}

/** Every problem of a template for a kind with these fields: syntax, unknown helpers, unknown variables. */
export function checkTemplate(source: TemplateSource, fields: FieldSpecs): TemplateProblem[] {
  const problems: TemplateProblem[] = []
  const root = rootShape(fields)
  for (const part of ['subject', 'body', 'html'] as const) {
    const text = source[part]
    if (text === undefined) continue
    let program: hbs.AST.Program
    try {
      program = handlebars.parse(text)
    } catch (err) {
      problems.push(syntaxProblem(part, err))
      continue
    }
    const found: TemplateProblem[] = []
    walkProgram(program, [{ shape: root, params: [], inEach: false }], part, found)
    if (found.length === 0) {
      try {
        // Compiling finds what the walk does not look for (a helper used in a way Handlebars refuses).
        handlebars.precompile(text, compileOptions(part))
      } catch (err) {
        found.push(syntaxProblem(part, err))
      }
    }
    problems.push(...found)
  }
  return problems
}

const compiled = new Map<string, HandlebarsTemplateDelegate>()

function compiledPart(part: TemplatePart, text: string): HandlebarsTemplateDelegate {
  // Templates are few (the kinds' defaults and a workspace's files): compiled once per process.
  const key = `${part}\0${text}`
  let found = compiled.get(key)
  if (found === undefined) {
    found = handlebars.compile(text, compileOptions(part))
    compiled.set(key, found)
  }
  return found
}

/**
 * Renders a template with its data. Throws (a Handlebars exception naming the variable) when the template
 * reaches into a field the data holds as null, such as `{{approver.name}}` with no approver.
 */
export function renderTemplate(
  source: TemplateSource,
  context: Readonly<Record<string, unknown>>,
): RenderedMessage {
  const run = (part: TemplatePart, text: string): string => compiledPart(part, text)(context)
  return {
    // A subject is one header line: whatever line breaks the template or the data hold become spaces.
    subject: run('subject', source.subject).replace(/\s+/g, ' ').trim(),
    // Optional sections leave blank lines behind: at most one in a row.
    body:
      run('body', source.body)
        .replace(/[ \t]+\n/g, '\n')
        .replace(/\n{3,}/g, '\n\n')
        .trim() + '\n',
    html: source.html === undefined ? null : run('html', source.html),
  }
}

/** What a name resolves to: an object with known fields, a plain value, or anything (inside `#each`). */
type Shape =
  | { readonly kind: 'object'; readonly fields: ReadonlyMap<string, Shape> }
  | { readonly kind: 'value' }
  | { readonly kind: 'any' }

const VALUE: Shape = { kind: 'value' }
const ANY: Shape = { kind: 'any' }

function objectShape(names: readonly string[]): Shape {
  return { kind: 'object', fields: new Map(names.map((n) => [n, VALUE])) }
}

function rootShape(fields: FieldSpecs): Shape {
  const all = { ...COMMON_FIELDS, ...fields }
  return {
    kind: 'object',
    fields: new Map(
      Object.entries(all).map(([name, spec]) => {
        const shape = shapeOf(spec.type)
        return [name, shape ? objectShape(shape) : VALUE]
      }),
    ),
  }
}

interface Scope {
  readonly shape: Shape
  /** Block parameters (`{{#each x as |value key|}}`): names of anything. */
  readonly params: readonly string[]
  readonly inEach: boolean
}

function walkProgram(
  program: hbs.AST.Program | undefined,
  scopes: readonly Scope[],
  part: TemplatePart,
  out: TemplateProblem[],
): void {
  for (const statement of program?.body ?? []) walkStatement(statement, scopes, part, out)
}

function walkStatement(
  node: hbs.AST.Statement,
  scopes: readonly Scope[],
  part: TemplatePart,
  out: TemplateProblem[],
): void {
  const line = node.loc?.start.line
  const problem = (message: string): void => {
    out.push({ part, ...(line !== undefined ? { line } : {}), message })
  }
  switch (node.type) {
    case 'ContentStatement':
    case 'CommentStatement':
      return
    case 'MustacheStatement': {
      const m = node as hbs.AST.MustacheStatement
      if (m.path.type !== 'PathExpression') return
      const path = m.path as hbs.AST.PathExpression
      if (m.params.length === 0 && m.hash === undefined) {
        checkPath(path, scopes, problem)
        return
      }
      checkCall(path, m.params, m.hash, scopes, problem)
      return
    }
    case 'BlockStatement': {
      const b = node as hbs.AST.BlockStatement
      const name = helperName(b.path)
      if (name === undefined || !(BLOCK_HELPERS as readonly string[]).includes(name)) {
        problem(
          `unknown block {{#${b.path.original}}}: use {{#if}}, {{#unless}}, {{#with}} or {{#each}}` +
            (name !== undefined ? didYouMean(name, BLOCK_HELPERS) : ''),
        )
        return
      }
      if (b.params.length !== 1) {
        problem(`{{#${name}}} takes one value, not ${b.params.length}`)
        return
      }
      for (const p of b.params) checkExpression(p, scopes, problem)
      checkHash(b.hash, scopes, problem)
      const inner = b.program?.blockParams ?? []
      const current = scopes[scopes.length - 1] as Scope
      if (name === 'with') {
        const param = b.params[0] as hbs.AST.Expression
        const shape = param.type === 'PathExpression' ? resolve(param as hbs.AST.PathExpression, scopes) : ANY
        walkProgram(
          b.program,
          [...scopes, { shape: shape ?? ANY, params: inner, inEach: current.inEach }],
          part,
          out,
        )
      } else if (name === 'each') {
        walkProgram(b.program, [...scopes, { shape: ANY, params: inner, inEach: true }], part, out)
      } else {
        walkProgram(b.program, scopes, part, out)
      }
      walkProgram(b.inverse, scopes, part, out)
      return
    }
    case 'PartialStatement':
    case 'PartialBlockStatement':
      problem('partials ({{> name}}) are not supported: a template is one whole text')
      return
    case 'Decorator':
    case 'DecoratorBlock':
      problem('decorators ({{* name}}) are not supported')
      return
    default:
      problem(`unsupported Handlebars construct: ${node.type}`)
  }
}

function helperName(path: hbs.AST.PathExpression | hbs.AST.Literal): string | undefined {
  if (path.type !== 'PathExpression') return undefined
  const p = path as hbs.AST.PathExpression
  return !p.data && p.depth === 0 && p.parts.length === 1 ? p.parts[0] : undefined
}

function checkCall(
  path: hbs.AST.PathExpression,
  params: readonly hbs.AST.Expression[],
  hash: hbs.AST.Hash | undefined,
  scopes: readonly Scope[],
  problem: (message: string) => void,
): void {
  const name = helperName(path)
  if (name === undefined || !(HELPERS as readonly string[]).includes(name)) {
    problem(
      `unknown helper "${path.original}": the helpers are ${HELPERS.join(', ')}` +
        (name !== undefined ? didYouMean(name, HELPERS) : ''),
    )
    return
  }
  for (const p of params) checkExpression(p, scopes, problem)
  checkHash(hash, scopes, problem)
}

function checkHash(
  hash: hbs.AST.Hash | undefined,
  scopes: readonly Scope[],
  problem: (m: string) => void,
): void {
  for (const pair of hash?.pairs ?? []) checkExpression(pair.value, scopes, problem)
}

function checkExpression(
  e: hbs.AST.Expression,
  scopes: readonly Scope[],
  problem: (m: string) => void,
): void {
  if (e.type === 'PathExpression') checkPath(e as hbs.AST.PathExpression, scopes, problem)
  else if (e.type === 'SubExpression') {
    const s = e as hbs.AST.SubExpression
    checkCall(s.path, s.params, s.hash, scopes, problem)
  }
}

const DATA_IN_EACH = ['index', 'key', 'first', 'last']

function checkPath(
  path: hbs.AST.PathExpression,
  scopes: readonly Scope[],
  problem: (m: string) => void,
): void {
  if (path.data) {
    const [first, ...rest] = path.parts
    if (first === 'root') {
      walkParts(rest, (scopes[0] as Scope).shape, path.original, problem)
    } else if (first !== undefined && DATA_IN_EACH.includes(first)) {
      if (!(scopes[scopes.length - 1] as Scope).inEach) problem(`@${first} is only known inside {{#each}}`)
    } else {
      problem(`unknown variable "${path.original}": the @ variables are @root, @index, @key, @first, @last`)
    }
    return
  }
  const scope = scopes[scopes.length - 1 - path.depth]
  if (scope === undefined) {
    problem(`"${path.original}" goes above the template's data`)
    return
  }
  const [first] = path.parts
  if (first !== undefined && scope.params.includes(first)) return
  walkParts(path.parts, scope.shape, path.original, problem)
}

/** Follows `a.b.c` through a shape, reporting the first name it does not have. */
function walkParts(
  parts: readonly string[],
  start: Shape,
  original: string,
  problem: (m: string) => void,
): void {
  let shape = start
  let where = ''
  for (const part of parts) {
    if (shape.kind === 'any') return
    if (shape.kind === 'value') {
      problem(`"${original}": ${where} is a value, it has no field "${part}"`)
      return
    }
    const next = shape.fields.get(part)
    if (next === undefined) {
      const known = [...shape.fields.keys()]
      problem(
        where === ''
          ? `unknown variable "${part}"${part !== original ? ` in {{${original}}}` : ''}${suggestion(part, known)}`
          : `"${original}": ${where} has no field "${part}"${suggestion(part, known)}`,
      )
      return
    }
    shape = next
    where = where === '' ? part : `${where}.${part}`
  }
}

/** The shape of the value `{{#with path}}` enters, or undefined when the walk reported it. */
function resolve(path: hbs.AST.PathExpression, scopes: readonly Scope[]): Shape | undefined {
  const scope = path.data ? scopes[0] : scopes[scopes.length - 1 - path.depth]
  if (scope === undefined) return undefined
  const parts = path.data ? path.parts.slice(1) : path.parts
  if (!path.data && parts[0] !== undefined && scope.params.includes(parts[0])) return ANY
  let shape: Shape = scope.shape
  for (const part of parts) {
    if (shape.kind === 'any') return ANY
    if (shape.kind === 'value') return undefined
    const next = shape.fields.get(part)
    if (next === undefined) return undefined
    shape = next
  }
  return shape
}

/** The nearest known name, else the known names when they are few enough to read. */
function suggestion(name: string, known: readonly string[]): string {
  return (
    didYouMean(name, known) || (known.length > 0 && known.length <= 20 ? ` (known: ${known.join(', ')})` : '')
  )
}

function didYouMean(name: string, known: readonly string[]): string {
  const near = nearestName(name, known)
  return near !== undefined ? ` (did you mean "${near}"?)` : ''
}

/** A Handlebars parse or compile error as one line: where, and what it met. */
function syntaxProblem(part: TemplatePart, err: unknown): TemplateProblem {
  const e = err as { message?: string; lineNumber?: number }
  const lines = String(e.message ?? err).split('\n')
  const line = e.lineNumber ?? Number(/on line (\d+)/.exec(lines[0] ?? '')?.[1] ?? Number.NaN)
  const got = /got '([^']+)'/.exec(lines[lines.length - 1] ?? '')?.[1]
  const head = (lines[0] ?? '').replace(/ on line \d+:?$/, '').replace(/ - \d+:\d+$/, '')
  const excerpt = lines.length >= 3 ? `: ${lines[1]?.trim()}` : ''
  return {
    part,
    ...(Number.isFinite(line) ? { line } : {}),
    message: `${head}${excerpt}${got !== undefined ? ` (unexpected ${got})` : ''}`,
  }
}
