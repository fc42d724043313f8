import { describe, expect, it } from 'vitest'
import { newId } from './new-id.js'

describe('newId', () => {
  it('gives 32 hex characters, unique and ordered by creation', () => {
    const ids = Array.from({ length: 5000 }, () => newId())
    expect(ids.every((id) => /^[0-9a-f]{32}$/.test(id))).toBe(true)
    expect(new Set(ids).size).toBe(ids.length)
    expect([...ids].sort()).toEqual(ids)
  })
})
