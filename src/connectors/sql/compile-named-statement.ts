/**
 * Statements in configuration name their parameters (`:id`, `:value`, `:attributes.mail`); PostgreSQL
 * numbers them (`$1`). The translation reads the SQL the way the server's lexer does, so a colon inside
 * a string, a quoted name, a dollar-quoted body or a comment, and the `::` cast, stay as they are. Values
 * are never written into the text: each name becomes a placeholder and is bound when the statement runs.
 */

/** A statement ready to run: its numbered text and the name bound to each placeholder, in order. */
export interface CompiledStatement {
  /** The SQL as configured, for messages. */
  readonly source: string
  /** The SQL with `$1…` placeholders and without a trailing semicolon. */
  readonly text: string
  /** `parameters[i]` is bound to `$<i + 1>`. */
  readonly parameters: readonly string[]
  /** The first keyword, lower case (`select`, `insert`, `call`…). */
  readonly keyword: string
}

/** Thrown for a statement that cannot be used; the message says what to change. */
export class StatementError extends Error {}

const IDENT_START = /[A-Za-z_]/
const IDENT_CHAR = /[A-Za-z0-9_$]/
const NAME = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/
const DOLLAR_TAG = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/

/**
 * Compiles one statement. `allowed` lists the parameter names it may use; an entry ending in `.*` allows
 * every name under it (`attributes.*` allows `:attributes.mail`). Throws StatementError for an unknown
 * parameter, a numbered `$1`, an unterminated quote or comment, or more than one statement.
 */
export function compileNamedStatement(sql: string, allowed: readonly string[]): CompiledStatement {
  const parameters: string[] = []
  let text = ''
  let i = 0
  let ended = false
  const rest = (): string => sql.slice(i)
  while (i < sql.length) {
    const c = sql[i] as string
    const next = sql[i + 1]
    if (ended && !/\s/.test(c) && !(c === '-' && next === '-') && !(c === '/' && next === '*')) {
      throw new StatementError('one statement per entry: use a list for several statements')
    }
    if (c === "'") {
      const escapes = /[eE]/.test(sql[i - 1] ?? '') && !IDENT_CHAR.test(sql[i - 2] ?? '')
      const end = closingQuote(sql, i, "'", escapes)
      text += sql.slice(i, end)
      i = end
    } else if (c === '"') {
      const end = closingQuote(sql, i, '"', false)
      text += sql.slice(i, end)
      i = end
    } else if (c === '-' && next === '-') {
      const end = sql.indexOf('\n', i)
      i = end === -1 ? sql.length : end
    } else if (c === '/' && next === '*') {
      i = closingComment(sql, i)
      text += ' '
    } else if (c === '$' && !IDENT_CHAR.test(sql[i - 1] ?? '')) {
      if (/[0-9]/.test(next ?? '')) {
        throw new StatementError('use named parameters such as :id, not numbered ones such as $1')
      }
      const tag = DOLLAR_TAG.exec(rest())?.[0]
      if (tag === undefined) {
        text += c
        i++
        continue
      }
      const end = sql.indexOf(tag, i + tag.length)
      if (end === -1) throw new StatementError(`unterminated dollar-quoted string ${tag}`)
      text += sql.slice(i, end + tag.length)
      i = end + tag.length
    } else if (c === ':' && next === ':') {
      text += '::'
      i += 2
    } else if (c === ':' && IDENT_START.test(next ?? '')) {
      const name = NAME.exec(sql.slice(i + 1))?.[0] as string
      if (!isAllowed(name, allowed)) {
        const known = allowed.map((a) => `:${a.replace(/\*$/, '<name>')}`).join(', ')
        throw new StatementError(
          `unknown parameter :${name} (${known === '' ? 'this statement takes none' : `known: ${known}`})`,
        )
      }
      let index = parameters.indexOf(name)
      if (index === -1) index = parameters.push(name) - 1
      text += `$${index + 1}`
      i += 1 + name.length
    } else if (c === ';') {
      ended = true
      i++
    } else {
      text += c
      i++
    }
  }
  text = text.trim()
  if (text === '') throw new StatementError('the statement is empty')
  const keyword = /^[A-Za-z]+/.exec(text.replace(/^\(+\s*/, ''))?.[0]?.toLowerCase() ?? ''
  return { source: sql, text, parameters, keyword }
}

/** The values for a compiled statement's placeholders, in order. */
export function bindParameters(statement: CompiledStatement, valueOf: (name: string) => unknown): unknown[] {
  return statement.parameters.map((name) => {
    const value = valueOf(name)
    return value === undefined ? null : value
  })
}

function isAllowed(name: string, allowed: readonly string[]): boolean {
  return allowed.some((a) =>
    a.endsWith('.*') ? name.startsWith(a.slice(0, -1)) && name.length > a.length - 1 : a === name,
  )
}

/** The index just past the quote that closes the one at `start` (a doubled quote is part of the text). */
function closingQuote(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  for (let i = start + 1; i < sql.length; i++) {
    const c = sql[i]
    if (backslashEscapes && c === '\\') i++
    else if (c === quote) {
      if (sql[i + 1] === quote) i++
      else return i + 1
    }
  }
  throw new StatementError(
    `unterminated ${quote === '"' ? 'quoted name' : 'string'} starting at ${start + 1}`,
  )
}

/** The index just past the end of the block comment at `start`; PostgreSQL's block comments nest. */
function closingComment(sql: string, start: number): number {
  let depth = 0
  for (let i = start; i < sql.length - 1; i++) {
    if (sql[i] === '/' && sql[i + 1] === '*') {
      depth++
      i++
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      depth--
      i++
      if (depth === 0) return i + 1
    }
  }
  throw new StatementError(`unterminated comment starting at ${start + 1}`)
}
