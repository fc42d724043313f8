import { describe, expect, it } from 'vitest'
import { deepEqual } from './json-equal.js'

describe('deepEqual', () => {
  it('compares JSON values regardless of key order', () => {
    expect(deepEqual({ a: [1, { b: 2 }], c: null }, { c: null, a: [1, { b: 2 }] })).toBe(true)
    expect(deepEqual({ a: 1, b: undefined }, { a: 1 })).toBe(true)
    expect(deepEqual([1, 2], [2, 1])).toBe(false)
    expect(deepEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false)
    expect(deepEqual(null, {})).toBe(false)
  })
})
