import { describe, expect, it } from 'vitest'
import { applyJsonPatch, deepEqual } from './apply-json-patch.js'

const doc = { name: 'HR', owner: { name: 'joan' }, features: ['ENABLE'], 'a/b': 1, 'm~n': 2 }

describe('applyJsonPatch', () => {
  it('applies add, remove, replace, move, copy and test (RFC 6902) to a copy', () => {
    const out = applyJsonPatch(doc, [
      { op: 'replace', path: '/owner/name', value: 'james' },
      { op: 'add', path: '/features/-', value: 'PROVISIONING' },
      { op: 'add', path: '/features/0', value: 'AUTHENTICATE' },
      { op: 'remove', path: '/a~1b' },
      { op: 'copy', from: '/name', path: '/description' },
      { op: 'move', from: '/m~0n', path: '/owner/rank' },
      { op: 'test', path: '/features/1', value: 'ENABLE' },
    ])
    expect(out).toEqual({
      name: 'HR',
      description: 'HR',
      owner: { name: 'james', rank: 2 },
      features: ['AUTHENTICATE', 'ENABLE', 'PROVISIONING'],
    })
    expect(doc.owner.name).toBe('joan')
    expect(doc.features).toEqual(['ENABLE'])
  })

  it('names the operation that cannot be applied', () => {
    expect(() => applyJsonPatch(doc, [{ op: 'replace', path: '/nope', value: 1 }])).toThrow(
      'patch[0] (replace /nope): no member "nope"',
    )
    expect(() =>
      applyJsonPatch(doc, [
        { op: 'add', path: '/x', value: 1 },
        { op: 'remove', path: '/features/3' },
      ]),
    ).toThrow('patch[1] (remove /features/3): index 3 is out of range (1 items)')
    expect(() => applyJsonPatch(doc, [{ op: 'test', path: '/name', value: 'AD' }])).toThrow(
      'patch[0] (test /name): the value is not as expected',
    )
    expect(() => applyJsonPatch(doc, [{ op: 'add', path: 'name', value: 1 }])).toThrow(/not a JSON pointer/)
    expect(() => applyJsonPatch(doc, [{ op: 'add', path: '/owner/x' }])).toThrow(/needs a "value"/)
    expect(() => applyJsonPatch(doc, [{ op: 'add', path: '/__proto__', value: { polluted: true } }])).toThrow(
      /cannot be a member name/,
    )
    expect(() => applyJsonPatch(doc, [{ op: 'move', from: '/owner', path: '/owner/x' }])).toThrow(
      /into itself/,
    )
  })

  it('compares JSON values regardless of key order', () => {
    expect(deepEqual({ a: [1, { b: 2 }], c: null }, { c: null, a: [1, { b: 2 }] })).toBe(true)
    expect(deepEqual([1, 2], [2, 1])).toBe(false)
    expect(deepEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false)
  })
})
