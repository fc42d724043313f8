import { describe, expect, it } from 'vitest'
import { asIsoDate, asNumber, compareOrdered, readAttribute, textValues } from './criteria-values.js'

describe('compareOrdered', () => {
  it.each<[string, string, string, number]>([
    ['numbers compare as numbers', '9', '10', -1],
    ['decimals and signs', '-1.5', '-2', 1],
    ['equal numbers in other spellings', '7.0', '7', 0],
    ['exponents', '1e3', '999', 1],
    ['ISO dates', '2024-01-02', '2023-12-31', 1],
    ['date vs date-time (UTC midnight)', '2024-01-01', '2024-01-01T00:00:00Z', 0],
    ['a date-time without zone is UTC', '2024-01-01T10:00:00', '2024-01-01T11:00:00+02:00', 1],
    ['number vs text falls back to text', '10', 'abc', -1],
    ['text ignores case', 'apple', 'BANANA', -1],
    ['text equal ignoring case', 'Engineering', 'ENGINEERING', 0],
    ['an invalid date is text', '2024-13-45', '2024-02-01', 1],
  ])('%s: %s vs %s → %d', (_name, a, b, expected) => {
    expect(compareOrdered(a, b)).toBe(expected)
  })
})

describe('asNumber / asIsoDate', () => {
  it.each<[string, number | undefined]>([
    ['42', 42],
    [' 3.5 ', 3.5],
    ['.5', 0.5],
    ['', undefined],
    [' ', undefined],
    ['0x10', undefined],
    ['1,000', undefined],
    ['Infinity', undefined],
  ])('asNumber(%j) = %j', (s, expected) => {
    expect(asNumber(s)).toBe(expected)
  })
  it.each<[string, number | undefined]>([
    ['2024-01-01', Date.UTC(2024, 0, 1)],
    ['2024-01-01T12:30', Date.UTC(2024, 0, 1, 12, 30)],
    ['2024-01-01T12:30:00.5+01:00', Date.UTC(2024, 0, 1, 11, 30, 0, 500)],
    ['01/02/2024', undefined],
    ['2024-02-30x', undefined],
    ['2024-02-30', undefined],
    ['2024-02-29', Date.UTC(2024, 1, 29)],
    ['2024-01-01T25:00Z', undefined],
  ])('asIsoDate(%j) = %j', (s, expected) => {
    expect(asIsoDate(s)).toBe(expected)
  })
})

describe('textValues / readAttribute', () => {
  it.each<[string, unknown, string[]]>([
    ['missing', undefined, []],
    ['null', null, []],
    ['empty string', '', []],
    ['empty list', [], []],
    ['a string', 'a', ['a']],
    ['a number and a boolean', [1, true], ['1', 'true']],
    ['a list with holes', ['a', null, '', 'b'], ['a', 'b']],
  ])('%s', (_name, value, expected) => {
    expect(textValues(value)).toEqual(expected)
  })
  it('prefers the exact name, then ignores case', () => {
    expect(readAttribute({ memberof: 1, memberOf: 2 }, 'memberOf')).toBe(2)
    expect(readAttribute({ MEMBEROF: 3 }, 'memberOf')).toBe(3)
    expect(readAttribute({}, 'x')).toBeUndefined()
    expect(readAttribute({}, 'constructor')).toBeUndefined()
  })
})
