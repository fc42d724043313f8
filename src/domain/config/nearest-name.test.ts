import { describe, expect, it } from 'vitest'
import { editDistance, nearestName } from './nearest-name.js'

describe('nearestName', () => {
  it.each([
    ['provisoning', ['name', 'provisioning', 'schedules'], 'provisioning'],
    ['delimeter', ['file', 'delimiter', 'quoteChar'], 'delimiter'],
    ['DeleteThreshold', ['deleteThreshold', 'description'], 'deleteThreshold'],
    ['accountAction', ['accountActions', 'accessProfileIds'], 'accountActions'],
    ['multi', ['name', 'isMulti', 'isEntitlement'], 'isMulti'],
    ['id', ['name', 'type'], undefined],
    ['colour', ['schemas', 'owner'], undefined],
  ])('%s among %j is %s', (name, known, expected) => {
    expect(nearestName(name, known)).toBe(expected)
  })

  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('ab', 'ba')).toBe(1)
    expect(editDistance('kitten', 'sitting')).toBe(3)
  })
})
