import { InputError } from '../errors.js'
import {
  FILTER_OPERATORS,
  ISO_DATE,
  PRESENCE_OPERATORS,
  type ComparisonOperator,
  type FilterExpression,
  type FilterValue,
  type PresenceOperator,
} from './filter-expression.js'

/** The longest `filters` accepted, in characters: the whole string is read before anything else. */
export const MAX_FILTERS_LENGTH = 4000
/** How deep parentheses and `not` may nest: the parser recurses once per level. */
export const MAX_FILTERS_DEPTH = 32

/**
 * Parses a v3 collection `filters` string (`sourceId eq "s1" and not (name sw "adm" or name co "test")`)
 * into its tree. Precedence is not > and > or; operators and keywords are lowercase. Throws an InputError
 * naming the position (counting from 1) and what was expected there.
 */
export function parseFilters(input: string): FilterExpression {
  if (input.length > MAX_FILTERS_LENGTH) {
    throw filtersError(`longer than ${MAX_FILTERS_LENGTH} characters (${input.length})`)
  }
  // PostgreSQL text cannot hold NUL: refused here, as input, rather than failing in the database.
  const nul = input.indexOf('\u0000')
  if (nul >= 0) throw filtersError(`the NUL character at position ${nul + 1} is not allowed`)
  const parser = new Parser(tokenize(input))
  const expression = parser.or()
  parser.end()
  return expression
}

type TokenKind = 'word' | 'string' | '(' | ')' | ',' | 'end'

interface Token {
  readonly kind: TokenKind
  /** The token as written (a string with its quotes and escapes). */
  readonly text: string
  /** Where it starts, counting from 1. */
  readonly position: number
  /** A string's value, its escapes undone. */
  readonly value: string
}

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/
const NUMBER = /^-?\d+(\.\d+)?$/
const KEYWORDS = new Set(['and', 'or', 'not'])

function filtersError(message: string): InputError {
  return new InputError(`filters: ${message}`)
}

/** Words, double-quoted strings, parentheses and commas; whitespace separates and is dropped. */
function tokenize(input: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < input.length) {
    const c = input[i] as string
    if (/\s/.test(c)) {
      i++
    } else if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: c, text: c, position: i + 1, value: c })
      i++
    } else if (c === '"') {
      const start = i
      let value = ''
      i++
      for (;;) {
        if (i >= input.length) throw filtersError(`unterminated string starting at position ${start + 1}`)
        const d = input[i] as string
        if (d === '"') break
        if (d === '\\') {
          const escaped = input[i + 1]
          if (escaped === undefined) {
            throw filtersError(`unterminated string starting at position ${start + 1}`)
          }
          if (escaped !== '"' && escaped !== '\\') {
            throw filtersError(
              `unknown escape "\\${escaped}" at position ${i + 1}; in a string, write \\" for " and \\\\ for \\`,
            )
          }
          value += escaped
          i += 2
        } else {
          value += d
          i++
        }
      }
      i++
      tokens.push({ kind: 'string', text: input.slice(start, i), position: start + 1, value })
    } else {
      const start = i
      while (i < input.length && !/[\s(),"]/.test(input[i] as string)) i++
      const text = input.slice(start, i)
      tokens.push({ kind: 'word', text, position: start + 1, value: text })
    }
  }
  tokens.push({ kind: 'end', text: '', position: input.length + 1, value: '' })
  return tokens
}

/** How an error names what it found: the word or string as written (shortened), or "the end". */
function describe(token: Token): string {
  if (token.kind === 'end') return 'the end'
  const text = token.text.length > 40 ? `${token.text.slice(0, 37)}...` : token.text
  return token.kind === 'string' ? text : `"${text}"`
}

/** Recursive descent over the tokens, one method per level of precedence. */
class Parser {
  readonly #tokens: readonly Token[]
  #next = 0
  #depth = 0

  constructor(tokens: readonly Token[]) {
    this.#tokens = tokens
  }

  or(): FilterExpression {
    const operands = [this.and()]
    while (this.#isWord('or')) {
      this.#take()
      operands.push(this.and())
    }
    return operands.length === 1 ? (operands[0] as FilterExpression) : { kind: 'or', operands }
  }

  end(): void {
    const token = this.#peek()
    if (token.kind === 'end') return
    if (token.kind === ')') {
      throw filtersError(`unexpected ")" at position ${token.position}: no "(" to close`)
    }
    throw filtersError(
      `unexpected ${describe(token)} at position ${token.position}; expected "and", "or" or the end`,
    )
  }

  and(): FilterExpression {
    const operands = [this.#unary()]
    while (this.#isWord('and')) {
      this.#take()
      operands.push(this.#unary())
    }
    return operands.length === 1 ? (operands[0] as FilterExpression) : { kind: 'and', operands }
  }

  #unary(): FilterExpression {
    if (this.#isWord('not')) {
      const not = this.#take()
      this.#enter(not)
      const operand = this.#unary()
      this.#depth--
      return { kind: 'not', operand }
    }
    const token = this.#peek()
    if (token.kind === '(') {
      this.#take()
      this.#enter(token)
      const inner = this.or()
      const close = this.#take()
      if (close.kind !== ')') {
        throw filtersError(
          `expected ")" at position ${close.position} to close the "(" at position ${token.position}, found ${describe(close)}`,
        )
      }
      this.#depth--
      return inner
    }
    return this.#leaf()
  }

  /** `field op value`, `field in (values)`, `field pr`, `field isnull`. */
  #leaf(): FilterExpression {
    const token = this.#take()
    if (token.kind !== 'word' || !FIELD.test(token.text) || KEYWORDS.has(token.text)) {
      throw filtersError(`expected a field at position ${token.position}, found ${describe(token)}`)
    }
    const field = token.text
    const op = this.#take()
    if (op.kind !== 'word') {
      throw filtersError(
        `expected an operator after "${field}" at position ${op.position}, found ${describe(op)}`,
      )
    }
    if (!(FILTER_OPERATORS as readonly string[]).includes(op.text)) {
      throw filtersError(
        `unknown operator ${describe(op)} at position ${op.position}; the operators are ${FILTER_OPERATORS.join(', ')}`,
      )
    }
    if ((PRESENCE_OPERATORS as readonly string[]).includes(op.text)) {
      return { kind: 'presence', field, operator: op.text as PresenceOperator }
    }
    if (op.text === 'in') return { kind: 'in', field, values: this.#list(op) }
    return { kind: 'compare', field, operator: op.text as ComparisonOperator, value: this.#value(op) }
  }

  /** `("a", "b", …)` after `in`: at least one value. */
  #list(inToken: Token): FilterValue[] {
    const open = this.#take()
    if (open.kind !== '(') {
      throw filtersError(`expected "(" after "in" at position ${open.position}, found ${describe(open)}`)
    }
    const values = [this.#value(inToken)]
    for (;;) {
      const token = this.#take()
      if (token.kind === ')') return values
      if (token.kind !== ',') {
        throw filtersError(
          `expected "," or ")" in the list after "in" at position ${token.position}, found ${describe(token)}`,
        )
      }
      values.push(this.#value(token))
    }
  }

  #value(after: Token): FilterValue {
    const token = this.#take()
    if (token.kind === 'string') return token.value
    if (token.kind === 'word') {
      if (token.text === 'true') return true
      if (token.text === 'false') return false
      if (token.text === 'null') return null
      if (NUMBER.test(token.text)) {
        const n = Number(token.text)
        if (!Number.isFinite(n)) throw filtersError(`number out of range at position ${token.position}`)
        return n
      }
      if (ISO_DATE.test(token.text)) return token.text
    }
    const hint = token.kind === 'word' ? ' (strings are in double quotes)' : ''
    throw filtersError(
      `expected a value after "${after.text}" at position ${token.position}, found ${describe(token)}${hint}`,
    )
  }

  #enter(token: Token): void {
    if (++this.#depth > MAX_FILTERS_DEPTH) {
      throw filtersError(`nested more than ${MAX_FILTERS_DEPTH} deep at position ${token.position}`)
    }
  }

  #peek(): Token {
    return this.#tokens[this.#next] as Token
  }

  #take(): Token {
    const token = this.#peek()
    if (token.kind !== 'end') this.#next++
    return token
  }

  #isWord(text: string): boolean {
    const token = this.#peek()
    return token.kind === 'word' && token.text === text
  }
}
