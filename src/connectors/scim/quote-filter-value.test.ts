import { describe, expect, it } from 'vitest'
import { quoteFilterValue } from './quote-filter-value.js'

describe('quoteFilterValue', () => {
  it.each([
    ['jdoe', '"jdoe"'],
    ['o"brien', '"o\\"brien"'],
    ['back\\slash', '"back\\\\slash"'],
    ['x" or userName pr "', '"x\\" or userName pr \\""'],
    ['line\nbreak', '"line\\nbreak"'],
    ['Zoë', '"Zoë"'],
  ])('%j → %s', (input, expected) => {
    expect(quoteFilterValue(input)).toBe(expected)
  })
})
