import { describe, expect, it } from 'vitest'
import { escapeDnValue } from './escape-dn.js'

describe('escapeDnValue', () => {
  it.each([
    ['jdoe', 'jdoe'],
    ['Doe, John', 'Doe\\, John'],
    ['a+b=c', 'a\\+b\\=c'],
    ['"quoted" <x>;', '\\"quoted\\" \\<x\\>\\;'],
    ['back\\slash', 'back\\\\slash'],
    [' leading', '\\ leading'],
    ['#hash', '\\#hash'],
    ['trailing ', 'trailing\\ '],
  ])('%j → %j', (input, expected) => {
    expect(escapeDnValue(input)).toBe(expected)
  })
})
