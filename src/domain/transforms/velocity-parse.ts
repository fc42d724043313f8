import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { parse as velocityjsParse } from 'velocityjs'

/** A node of a parsed template, in the nested shape velocityjs's `Compile` renders. */
export type VelocityAst = ReturnType<typeof velocityjsParse>[number]

interface FlatNode {
  readonly type: string
  readonly id?: string
  readonly pos?: { readonly first_line: number; readonly first_column: number }
}
type FlatAst = string | FlatNode

interface JisonError {
  readonly hash?: {
    readonly text?: string
    readonly token?: string | number
    readonly loc?: {
      readonly first_line: number
      readonly first_column: number
      readonly last_column: number
    }
  }
}

// velocityjs's own `parse` nests blocks without checking them: an unterminated `#if` swallows the rest
// of the template and repeats it, a stray `#end` silently drops everything after it, and a stray
// `#else` crashes the renderer. Its grammar's flat output is nested here instead, with real errors.
// The package exports only its entry point, so the grammar module is loaded beside it.
const requireFromHere = createRequire(import.meta.url)
const grammar = requireFromHere(
  join(dirname(requireFromHere.resolve('velocityjs')), 'parse', 'index.cjs'),
) as {
  parse_1: (source: string) => FlatAst[]
}

/** The template is not valid Velocity; line and column are 1-based, in the text as written. */
export class VelocitySyntaxError extends Error {
  constructor(
    readonly detail: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`line ${line}, column ${column}: ${detail}`)
    this.name = 'VelocitySyntaxError'
  }
}

/** Parses a template into velocityjs's nested form; throws VelocitySyntaxError when it is malformed. */
export function parseVelocity(source: string): VelocityAst[] {
  const { text, toOriginal } = unbraceDirectives(source)
  let flat: FlatAst[]
  try {
    flat = grammar.parse_1(text)
  } catch (err) {
    throw grammarError(err, toOriginal)
  }
  trimDirectiveLines(flat)
  return nest(flat, toOriginal) as unknown as VelocityAst[]
}

type ToOriginal = (line: number, column: number) => { line: number; column: number }

// Velocity 1.7 accepts every directive in the formal notation `#{name}` (generators write
// `#{elseif}(…)`); the grammar only knows `#{else}` and `#{end}`. The others are rewritten to their
// plain form, outside comments, `#[[raw]]#` blocks and escapes, keeping a column map for errors.
const BRACED = /#\{(if|elseif|foreach|set|macro|define|evaluate|break|stop)\}/y

function unbraceDirectives(source: string): { text: string; toOriginal: ToOriginal } {
  if (!source.includes('#{')) return { text: source, toOriginal: (line, column) => ({ line, column }) }
  let out = ''
  let line = 1
  let column = 0
  // Per rewritten line: [column in the rewritten text, columns removed up to there].
  const shifts = new Map<number, [number, number][]>()
  let removed = 0
  let i = 0
  const copy = (end: number): void => {
    for (; i < end && i < source.length; i++) {
      const c = source.charAt(i)
      out += c
      if (c === '\n') {
        line++
        column = 0
        removed = 0
      } else {
        column++
      }
    }
  }
  const rest = (prefix: string, at: number): boolean => source.startsWith(prefix, at)
  while (i < source.length) {
    if (rest('#[[', i)) copy(endOf(source, ']]#', i + 3))
    else if (rest('#*', i)) copy(endOf(source, '*#', i + 2))
    else if (rest('##', i)) copy(endOf(source, '\n', i + 2) - 1)
    else if (rest('\\#', i)) copy(i + 2)
    else {
      BRACED.lastIndex = i
      const m = BRACED.exec(source)
      if (m === null) {
        copy(i + 1)
        continue
      }
      const name = m[1] ?? ''
      const after = source.charAt(i + m[0].length)
      if (name !== 'break' && name !== 'stop' && !/^[ \t]*\(/.test(source.slice(i + m[0].length))) {
        throw new VelocitySyntaxError(`#{${name}} must be followed by "("`, line, column + removed + 1)
      }
      // `#break` and `#stop()` must not run into a following word (`#{break}x`).
      const plain =
        name === 'stop' ? '#stop()' : name === 'break' && /\w/.test(after) ? '#break#* *#' : `#${name}`
      out += plain
      column += plain.length
      removed += m[0].length - plain.length
      const list = shifts.get(line) ?? []
      list.push([column, removed])
      shifts.set(line, list)
      i += m[0].length
    }
  }
  return {
    text: out,
    toOriginal: (l, c) => {
      let shift = 0
      for (const [at, total] of shifts.get(l) ?? []) if (c >= at) shift = total
      return { line: l, column: c + shift }
    },
  }
}

function endOf(source: string, terminator: string, from: number): number {
  const at = source.indexOf(terminator, from)
  return at === -1 ? source.length : at + terminator.length
}

function grammarError(err: unknown, toOriginal: ToOriginal): VelocitySyntaxError {
  const hash = (err as JisonError).hash
  const loc = hash?.loc
  if (loc === undefined) {
    const message = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err)
    return new VelocitySyntaxError(message, 1, 1)
  }
  const atEnd = hash?.token === 1 || hash?.token === 'EOF' || hash?.text === ''
  const detail = atEnd
    ? 'unexpected end of template (an unclosed "(", "[", "{" or string?)'
    : `unexpected ${JSON.stringify(hash?.text ?? '')}`
  // Jison points at the last token it read; the problem is just after it.
  const where = toOriginal(loc.first_line, atEnd ? loc.last_column : loc.first_column)
  return new VelocitySyntaxError(detail, where.line, where.column + 1)
}

// As velocityjs's `parse` does: a directive's own line break is not output (`#set(...)\n`).
const DIRECTIVE_LINE_END = /^[ \t]*\n/
function trimDirectiveLines(flat: FlatAst[]): void {
  flat.forEach((ast, i) => {
    if (typeof ast === 'string' || ast.type === 'references' || ast.type === 'raw') return
    const next = flat[i + 1]
    if (typeof next === 'string' && DIRECTIVE_LINE_END.test(next)) {
      flat[i + 1] = next.replace(DIRECTIVE_LINE_END, '')
    }
  })
}

const BLOCKS = new Set(['if', 'foreach', 'macro', 'noescape', 'define', 'macro_body'])

interface OpenBlock {
  readonly list: unknown[]
  readonly head: FlatNode
  elseAt: FlatNode | undefined
}

function nest(flat: readonly FlatAst[], toOriginal: ToOriginal): unknown[] {
  const root: unknown[] = []
  const open: OpenBlock[] = []
  const fail = (node: FlatNode, detail: string): VelocitySyntaxError => {
    const where = toOriginal(node.pos?.first_line ?? 1, node.pos?.first_column ?? 0)
    return new VelocitySyntaxError(detail, where.line, where.column + 1)
  }
  for (const ast of flat) {
    const current = open.at(-1)
    const list = current?.list ?? root
    if (typeof ast === 'string') {
      list.push(ast)
      continue
    }
    if (BLOCKS.has(ast.type)) {
      const block: unknown[] = [ast]
      list.push(block)
      open.push({ list: block, head: ast, elseAt: undefined })
    } else if (ast.type === 'elseif' || ast.type === 'else') {
      if (current?.head.type !== 'if') throw fail(ast, `#${ast.type} without an open #if`)
      if (current.elseAt !== undefined) {
        const at = toOriginal(current.elseAt.pos?.first_line ?? 1, current.elseAt.pos?.first_column ?? 0)
        throw fail(ast, `#${ast.type} after the #else at line ${at.line}, column ${at.column + 1}`)
      }
      if (ast.type === 'else') current.elseAt = ast
      list.push(ast)
    } else if (ast.type === 'end') {
      if (current === undefined) throw fail(ast, '#end without an open #if, #foreach, #macro or #define')
      open.pop()
    } else {
      list.push(ast)
    }
  }
  const unclosed = open.at(-1)
  if (unclosed !== undefined) {
    const name = unclosed.head.type === 'macro_body' ? `@${unclosed.head.id ?? ''}` : unclosed.head.type
    throw fail(unclosed.head, `#${name} is never closed: #end is missing`)
  }
  return root
}
