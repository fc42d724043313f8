import { describe, expect, it } from 'vitest'
import { InputError } from '../errors.js'
import type { FilterExpression } from './filter-expression.js'
import { MAX_FILTERS_DEPTH, MAX_FILTERS_LENGTH, parseFilters } from './parse-filters.js'

const eq = (field: string, value: string | number | boolean | null): FilterExpression => ({
  kind: 'compare',
  field,
  operator: 'eq',
  value,
})

const valid: [string, FilterExpression][] = [
  ['name eq "alice"', eq('name', 'alice')],
  ['  name   eq\t"alice"\n', eq('name', 'alice')],
  ['owner.id eq "2c91"', eq('owner.id', '2c91')],
  ['count eq 12', eq('count', 12)],
  ['count gt -1.5', { kind: 'compare', field: 'count', operator: 'gt', value: -1.5 }],
  ['requestable eq true', eq('requestable', true)],
  ['requestable ne false', { kind: 'compare', field: 'requestable', operator: 'ne', value: false }],
  ['manager eq null', eq('manager', null)],
  [
    'created gt 2018-12-18T23:05:55Z',
    { kind: 'compare', field: 'created', operator: 'gt', value: '2018-12-18T23:05:55Z' },
  ],
  ['created ge 2018-12-18', { kind: 'compare', field: 'created', operator: 'ge', value: '2018-12-18' }],
  ['name sw "ad"', { kind: 'compare', field: 'name', operator: 'sw', value: 'ad' }],
  ['name co "dm"', { kind: 'compare', field: 'name', operator: 'co', value: 'dm' }],
  ['a lt 1', { kind: 'compare', field: 'a', operator: 'lt', value: 1 }],
  ['a le 1', { kind: 'compare', field: 'a', operator: 'le', value: 1 }],
  ['email pr', { kind: 'presence', field: 'email', operator: 'pr' }],
  ['completionStatus isnull', { kind: 'presence', field: 'completionStatus', operator: 'isnull' }],
  ['id in ("a","b")', { kind: 'in', field: 'id', values: ['a', 'b'] }],
  ['id in ( "a" , 2, true, null )', { kind: 'in', field: 'id', values: ['a', 2, true, null] }],
  ['id in ("a")', { kind: 'in', field: 'id', values: ['a'] }],
  // Escapes: \" and \\ only; everything else in a string is literal.
  ['name eq "say \\"hi\\""', eq('name', 'say "hi"')],
  ['name eq "back\\\\slash"', eq('name', 'back\\slash')],
  ['name eq "50%_off \' or 1=1 --"', eq('name', "50%_off ' or 1=1 --")],
  ['name eq ""', eq('name', '')],
  ['name eq "and or not ( ) ,"', eq('name', 'and or not ( ) ,')],
  // Precedence: not > and > or.
  [
    'a eq 1 or b eq 2 and c eq 3',
    { kind: 'or', operands: [eq('a', 1), { kind: 'and', operands: [eq('b', 2), eq('c', 3)] }] },
  ],
  [
    'a eq 1 and b eq 2 or c eq 3',
    { kind: 'or', operands: [{ kind: 'and', operands: [eq('a', 1), eq('b', 2)] }, eq('c', 3)] },
  ],
  ['a eq 1 and b eq 2 and c eq 3', { kind: 'and', operands: [eq('a', 1), eq('b', 2), eq('c', 3)] }],
  ['a eq 1 or b eq 2 or c eq 3', { kind: 'or', operands: [eq('a', 1), eq('b', 2), eq('c', 3)] }],
  ['not a eq 1 and b eq 2', { kind: 'and', operands: [{ kind: 'not', operand: eq('a', 1) }, eq('b', 2)] }],
  ['not not a eq 1', { kind: 'not', operand: { kind: 'not', operand: eq('a', 1) } }],
  // Parentheses.
  [
    '(a eq 1 or b eq 2) and c eq 3',
    { kind: 'and', operands: [{ kind: 'or', operands: [eq('a', 1), eq('b', 2)] }, eq('c', 3)] },
  ],
  ['not (a eq 1 or b eq 2)', { kind: 'not', operand: { kind: 'or', operands: [eq('a', 1), eq('b', 2)] } }],
  ['((a eq 1))', eq('a', 1)],
  [
    'sourceId eq "s1" and nativeIdentity eq "bob"',
    { kind: 'and', operands: [eq('sourceId', 's1'), eq('nativeIdentity', 'bob')] },
  ],
]

const malformed: [string, string][] = [
  ['', 'expected a field at position 1, found the end'],
  ['   ', 'expected a field at position 4, found the end'],
  ['name', 'expected an operator after "name" at position 5, found the end'],
  ['name eq', 'expected a value after "eq" at position 8, found the end'],
  ['firstname eq ', 'expected a value after "eq" at position 14, found the end'],
  ['name eq bob', 'expected a value after "eq" at position 9, found "bob" (strings are in double quotes)'],
  [
    "name eq 'bob'",
    `expected a value after "eq" at position 9, found "'bob'" (strings are in double quotes)`,
  ],
  ['name eq (', 'expected a value after "eq" at position 9, found "("'],
  [
    'name EQ "x"',
    'unknown operator "EQ" at position 6; the operators are eq, ne, in, sw, co, gt, lt, ge, le, pr, isnull',
  ],
  [
    'name like "x"',
    'unknown operator "like" at position 6; the operators are eq, ne, in, sw, co, gt, lt, ge, le, pr, isnull',
  ],
  ['name "x"', 'expected an operator after "name" at position 6, found "x"'],
  ['"x" eq name', 'expected a field at position 1, found "x"'],
  ['1 eq 1', 'expected a field at position 1, found "1"'],
  ['name. eq "x"', 'expected a field at position 1, found "name."'],
  ['and eq 1', 'expected a field at position 1, found "and"'],
  ['name eq "x" and', 'expected a field at position 16, found the end'],
  ['name eq "x" or or b eq 1', 'expected a field at position 16, found "or"'],
  ['not', 'expected a field at position 4, found the end'],
  ['name eq "x" foo', 'unexpected "foo" at position 13; expected "and", "or" or the end'],
  ['name eq "x" "y"', 'unexpected "y" at position 13; expected "and", "or" or the end'],
  ['name eq "x")', 'unexpected ")" at position 12: no "(" to close'],
  ['(name eq "x"', 'expected ")" at position 13 to close the "(" at position 1, found the end'],
  ['(name eq "x" b eq 1)', 'expected ")" at position 14 to close the "(" at position 1, found "b"'],
  ['()', 'expected a field at position 2, found ")"'],
  ['name eq "abc', 'unterminated string starting at position 9'],
  ['name eq "abc\\"', 'unterminated string starting at position 9'],
  ['name eq "abc\\', 'unterminated string starting at position 9'],
  ['name eq "a\\nb"', 'unknown escape "\\n" at position 11; in a string, write \\" for " and \\\\ for \\'],
  ['id in "a"', 'expected "(" after "in" at position 7, found "a"'],
  ['id in ()', 'expected a value after "in" at position 8, found ")"'],
  ['id in ("a",)', 'expected a value after "," at position 12, found ")"'],
  ['id in ("a" "b")', 'expected "," or ")" in the list after "in" at position 12, found "b"'],
  ['id in ("a"', 'expected "," or ")" in the list after "in" at position 11, found the end'],
  ['email pr "x"', 'unexpected "x" at position 10; expected "and", "or" or the end'],
  [
    'created gt 2018-13',
    'expected a value after "gt" at position 12, found "2018-13" (strings are in double quotes)',
  ],
  ['n eq 1' + '0'.repeat(400), 'number out of range at position 6'],
  ['name eq "a\u0000b"', 'the NUL character at position 11 is not allowed'],
  [`name eq "${'x'.repeat(60)}" x`, 'unexpected "x" at position 72; expected "and", "or" or the end'],
  [
    `name eq ${'y'.repeat(60)}`,
    `expected a value after "eq" at position 9, found "${'y'.repeat(37)}..." (strings are in double quotes)`,
  ],
]

function thrown(run: () => unknown): Error {
  try {
    run()
  } catch (e) {
    return e as Error
  }
  throw new Error('did not throw')
}

describe('parseFilters', () => {
  it.each(valid)('%s', (input, expected) => {
    expect(parseFilters(input)).toEqual(expected)
  })

  it.each(malformed)('refuses %j', (input, message) => {
    const error = thrown(() => parseFilters(input))
    expect(error).toBeInstanceOf(InputError)
    expect(error.message).toBe(`filters: ${message}`)
  })

  it('refuses input longer than the limit before reading it', () => {
    const long = `name eq "${'x'.repeat(MAX_FILTERS_LENGTH)}"`
    expect(() => parseFilters(long)).toThrow(
      new InputError(`filters: longer than ${MAX_FILTERS_LENGTH} characters (${long.length})`),
    )
    const fits = `name eq "${'x'.repeat(MAX_FILTERS_LENGTH - 10)}"`
    expect(parseFilters(fits)).toEqual(eq('name', 'x'.repeat(MAX_FILTERS_LENGTH - 10)))
  })

  it('refuses nesting deeper than the limit, of parentheses and of not', () => {
    const nested = (n: number): string => '('.repeat(n) + 'a eq 1' + ')'.repeat(n)
    expect(parseFilters(nested(MAX_FILTERS_DEPTH))).toEqual(eq('a', 1))
    expect(() => parseFilters(nested(MAX_FILTERS_DEPTH + 1))).toThrow(
      new InputError(
        `filters: nested more than ${MAX_FILTERS_DEPTH} deep at position ${MAX_FILTERS_DEPTH + 1}`,
      ),
    )
    expect(() => parseFilters('not '.repeat(MAX_FILTERS_DEPTH + 1) + 'a eq 1')).toThrow(
      `filters: nested more than ${MAX_FILTERS_DEPTH} deep at position ${MAX_FILTERS_DEPTH * 4 + 1}`,
    )
    // Thousands of parentheses end at the limit, not in a stack overflow.
    expect(() => parseFilters('('.repeat(3000))).toThrow(InputError)
  })

  it('parses long chains flat, without depth', () => {
    const chain = Array.from({ length: 200 }, (_, i) => `a eq ${i}`).join(' and ')
    const parsed = parseFilters(chain)
    expect(parsed.kind === 'and' && parsed.operands.length).toBe(200)
  })
})
