import type { TransformAccount } from './transform-types.js'

/**
 * A small, safe reader for the `sailpoint.object.Filter` strings that `accountFilter` and
 * `accountPropertyFilter` take, compiled once to a predicate over an account (no eval):
 *
 *   expr   := and ('||' and)*          and := unary ('&&' unary)*
 *   unary  := '!' unary | '(' expr ')' | test
 *   test   := path op literal | path '.' method '(' literal? ')'
 *   op     := == != > >= < <=
 *   method := startsWith endsWith contains containsAll in isNull notNull isEmpty notEmpty
 *             equalsIgnoreCase startsWithIgnoreCase endsWithIgnoreCase containsIgnoreCase
 *   literal:= "text" | 'text' | number | true | false | null | { literal, … }
 *
 * A path is an account attribute, or `nativeIdentity`, `displayName`, `sourceName`, `created`, or
 * `entitlements` (true when the account has any). On a multi-valued attribute, `==`, `contains`
 * (a substring of the value), `startsWith`… hold when some value does; `containsAll` when every listed value is present.
 */
export type AccountPredicate = (account: TransformAccount) => boolean

type Literal = string | number | boolean | null | readonly Literal[]

type Tok =
  | { readonly t: 'op'; readonly v: string; readonly at: number }
  | { readonly t: 'id'; readonly v: string; readonly at: number }
  | { readonly t: 'lit'; readonly v: Literal; readonly at: number }

/** Compiles a filter; throws an Error with the position of the problem when it cannot be read. */
export function compileAccountFilter(source: string): AccountPredicate {
  const parser = new Parser(tokenize(source), source)
  const predicate = parser.expression()
  parser.end()
  return predicate
}

function tokenize(src: string): Tok[] {
  const toks: Tok[] = []
  let i = 0
  while (i < src.length) {
    const c = src.charAt(i)
    if (/\s/.test(c)) {
      i++
      continue
    }
    const two = src.slice(i, i + 2)
    if (['&&', '||', '==', '!=', '>=', '<='].includes(two)) {
      toks.push({ t: 'op', v: two, at: i })
      i += 2
    } else if ('()!<>.,{}'.includes(c)) {
      toks.push({ t: 'op', v: c, at: i })
      i++
    } else if (c === '"' || c === "'") {
      let j = i + 1
      let text = ''
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) j++
        text += src[j]
        j++
      }
      if (j >= src.length) throw new Error(`unterminated string at ${i + 1}`)
      toks.push({ t: 'lit', v: text, at: i })
      i = j + 1
    } else if (/[-\d]/.test(c) && /^-?\d/.test(src.slice(i))) {
      const m = /^-?\d+(\.\d+)?/.exec(src.slice(i))
      const text = m?.[0] ?? c
      toks.push({ t: 'lit', v: Number(text), at: i })
      i += text.length
    } else if (/[A-Za-z_$]/.test(c)) {
      const m = /^[\w$-]*/.exec(src.slice(i))
      const word = m?.[0] ?? c
      if (word === 'true' || word === 'false') toks.push({ t: 'lit', v: word === 'true', at: i })
      else if (word === 'null') toks.push({ t: 'lit', v: null, at: i })
      else toks.push({ t: 'id', v: word, at: i })
      i += word.length
    } else {
      throw new Error(`unexpected ${JSON.stringify(c)} at ${i + 1}`)
    }
  }
  return toks
}

class Parser {
  #pos = 0
  constructor(
    private readonly toks: readonly Tok[],
    private readonly src: string,
  ) {}

  expression(): AccountPredicate {
    let left = this.and()
    while (this.#isOp('||')) {
      this.#pos++
      const a = left
      const b = this.and()
      left = (acc) => a(acc) || b(acc)
    }
    return left
  }

  end(): void {
    const t = this.toks[this.#pos]
    if (t !== undefined) throw this.#unexpected(t)
  }

  private and(): AccountPredicate {
    let left = this.unary()
    while (this.#isOp('&&')) {
      this.#pos++
      const a = left
      const b = this.unary()
      left = (acc) => a(acc) && b(acc)
    }
    return left
  }

  private unary(): AccountPredicate {
    if (this.#isOp('!')) {
      this.#pos++
      const inner = this.unary()
      return (acc) => !inner(acc)
    }
    if (this.#isOp('(')) {
      this.#pos++
      const inner = this.expression()
      this.#expectOp(')')
      return inner
    }
    return this.test()
  }

  private test(): AccountPredicate {
    const first = this.#next()
    if (first?.t !== 'id') throw this.#unexpected(first)
    const path = [first.v]
    while (this.#isOp('.')) {
      this.#pos++
      const name = this.#next()
      if (name?.t !== 'id') throw this.#unexpected(name)
      if (this.#isOp('(')) {
        this.#pos++
        const arg = this.#isOp(')') ? undefined : this.literal()
        this.#expectOp(')')
        return methodTest(path.join('.'), name.v, arg, this.src)
      }
      path.push(name.v)
    }
    const op = this.#next()
    if (op?.t !== 'op' || !['==', '!=', '>', '>=', '<', '<='].includes(op.v)) throw this.#unexpected(op)
    return comparison(path.join('.'), op.v, this.literal())
  }

  private literal(): Literal {
    const t = this.#next()
    if (t?.t === 'lit') return t.v
    if (t?.t === 'op' && t.v === '{') {
      const items: Literal[] = []
      while (!this.#isOp('}')) {
        items.push(this.literal())
        if (this.#isOp(',')) this.#pos++
        else if (!this.#isOp('}')) throw this.#unexpected(this.toks[this.#pos])
      }
      this.#pos++
      return items
    }
    throw this.#unexpected(t)
  }

  #next(): Tok | undefined {
    return this.toks[this.#pos++]
  }

  #isOp(v: string): boolean {
    const t = this.toks[this.#pos]
    return t?.t === 'op' && t.v === v
  }

  #expectOp(v: string): void {
    if (!this.#isOp(v)) throw this.#unexpected(this.toks[this.#pos], `"${v}"`)
    this.#pos++
  }

  #unexpected(t: Tok | undefined, expected?: string): Error {
    const want = expected === undefined ? '' : `, expected ${expected}`
    if (t === undefined) return new Error(`unexpected end of filter${want}`)
    const text = t.t === 'lit' ? JSON.stringify(t.v) : t.v
    return new Error(`unexpected ${JSON.stringify(text)} at ${t.at + 1}${want}`)
  }
}

/** The value a filter path names on an account. */
function property(account: TransformAccount, path: string): unknown {
  if (Object.hasOwn(account.attributes, path)) return account.attributes[path]
  switch (path) {
    case 'nativeIdentity':
      return account.nativeIdentity
    case 'displayName':
      return account.displayName ?? null
    case 'sourceName':
      return account.sourceName
    case 'created':
      return account.created ?? null
    case 'entitlements':
      return (account.entitlements?.length ?? 0) > 0
  }
  let v: unknown = account.attributes
  for (const part of path.split('.')) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, part)) return null
    v = (v as Record<string, unknown>)[part]
  }
  return v
}

function values(v: unknown): readonly unknown[] {
  if (v === null || v === undefined) return []
  return Array.isArray(v) ? v : [v]
}

function text(v: unknown): string {
  return typeof v === 'string' ? v : String(v)
}

function equal(a: unknown, b: Literal): boolean {
  if (b === null) return a === null || a === undefined
  if (a === null || a === undefined) return false
  return text(a) === text(b)
}

function ordered(a: unknown, b: Literal, op: string): boolean {
  if (a === null || a === undefined || b === null || Array.isArray(b)) return false
  const an = Number(a)
  const bn = Number(b)
  const numeric =
    typeof b === 'number' ||
    (!Number.isNaN(an) && !Number.isNaN(bn) && text(a).trim() !== '' && text(b).trim() !== '')
  const cmp = numeric ? an - bn : text(a) < text(b) ? -1 : text(a) > text(b) ? 1 : 0
  return op === '>' ? cmp > 0 : op === '>=' ? cmp >= 0 : op === '<' ? cmp < 0 : cmp <= 0
}

function comparison(path: string, op: string, literal: Literal): AccountPredicate {
  switch (op) {
    case '==':
      return (acc) => {
        const v = property(acc, path)
        return literal === null ? v === null || v === undefined : values(v).some((x) => equal(x, literal))
      }
    case '!=':
      return (acc) => {
        const v = property(acc, path)
        return literal === null ? v !== null && v !== undefined : !values(v).some((x) => equal(x, literal))
      }
    default:
      return (acc) => values(property(acc, path)).some((x) => ordered(x, literal, op))
  }
}

function methodTest(path: string, method: string, arg: Literal | undefined, src: string): AccountPredicate {
  const list = Array.isArray(arg) ? (arg as readonly Literal[]) : arg === undefined ? [] : [arg as Literal]
  const needle = arg === undefined || Array.isArray(arg) ? '' : text(arg)
  const lower = needle.toLowerCase()
  const anyValue =
    (test: (s: string) => boolean): AccountPredicate =>
    (acc) =>
      values(property(acc, path)).some((x) => test(text(x)))
  switch (method) {
    case 'startsWith':
      return anyValue((s) => s.startsWith(needle))
    case 'endsWith':
      return anyValue((s) => s.endsWith(needle))
    case 'startsWithIgnoreCase':
      return anyValue((s) => s.toLowerCase().startsWith(lower))
    case 'endsWithIgnoreCase':
      return anyValue((s) => s.toLowerCase().endsWith(lower))
    case 'equalsIgnoreCase':
      return anyValue((s) => s.toLowerCase() === lower)
    case 'contains':
      // Substring of some value, on a single value as on each value of a multi-valued one (an AD
      // `memberOf` holds group DNs: `memberOf.contains("Tier")` must match "CN=Tier1,OU=…").
      return anyValue((s) => s.includes(needle))
    case 'containsIgnoreCase':
      return anyValue((s) => s.toLowerCase().includes(lower))
    case 'containsAll':
      return (acc) => {
        const have = values(property(acc, path)).map(text)
        return list.every((want) => have.includes(text(want)))
      }
    case 'in':
      return (acc) => values(property(acc, path)).some((x) => list.some((want) => equal(x, want)))
    case 'isNull':
      return (acc) => {
        const v = property(acc, path)
        return v === null || v === undefined
      }
    case 'notNull':
      return (acc) => {
        const v = property(acc, path)
        return v !== null && v !== undefined
      }
    case 'isEmpty':
      return (acc) => values(property(acc, path)).every((x) => text(x) === '')
    case 'notEmpty':
      return (acc) => values(property(acc, path)).some((x) => text(x) !== '')
    default:
      throw new Error(`unknown method ${JSON.stringify(method)} in ${JSON.stringify(src)}`)
  }
}
