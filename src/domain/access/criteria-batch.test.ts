import { describe, expect, it } from 'vitest'
import { compileCriteriaBatch } from './criteria-batch.js'
import { CriteriaError } from './criteria-error.js'
import type { RoleCriteria, RoleCriteriaLevel3 } from './role-criteria.js'

const dept = (value: string): RoleCriteriaLevel3 => ({
  operation: 'EQUALS',
  key: { type: 'IDENTITY', property: 'attribute.department' },
  stringValue: value,
})
const groups = (value: string): RoleCriteriaLevel3 => ({
  operation: 'CONTAINS',
  key: { type: 'ACCOUNT', property: 'groups', sourceId: 'ad' },
  stringValue: value,
})

describe('compileCriteriaBatch', () => {
  const list: RoleCriteria[] = [
    dept('Engineering'),
    { operation: 'AND', children: [dept('engineering'), groups('admins')] },
    { operation: 'OR', children: [dept('Sales'), groups('ADMINS')] },
    {
      operation: 'NOT_EQUALS',
      key: { type: 'IDENTITY', property: 'department' },
      stringValue: 'Engineering',
    },
  ]
  const batch = compileCriteriaBatch(list)

  it('gives the indexes of the criteria met, sharing equal leaves between them', () => {
    const eng = { identity: { department: 'Engineering' }, accounts: [] }
    expect(batch(eng)).toEqual([0])
    const admin = {
      identity: { department: 'ENGINEERING' },
      accounts: [{ sourceId: 'ad', attributes: { groups: ['cn=admins'] } }],
    }
    expect(batch(admin)).toEqual([0, 1, 2])
  })

  it('forgets one identity before the next (nothing cached across identities)', () => {
    const sales = { identity: { department: 'Sales' }, accounts: [] }
    const none = { identity: {}, accounts: [] }
    expect(batch(sales)).toEqual([2, 3])
    expect(batch(none)).toEqual([3])
    expect(batch({ identity: { department: 'engineering' }, accounts: [] })).toEqual([0])
  })

  it('reads entitlements through the function it is given', () => {
    const b = compileCriteriaBatch(
      [
        {
          operation: 'EQUALS',
          key: { type: 'ENTITLEMENT', property: 'memberOf', sourceId: 'ad' },
          stringValue: 'X',
        },
      ],
      { entitlementsOf: (a) => [{ attribute: 'memberof', value: String(a.attributes['g']) }] },
    )
    expect(b({ identity: {}, accounts: [{ sourceId: 'ad', attributes: { g: 'x' } }] })).toEqual([0])
    expect(b({ identity: {}, accounts: [{ sourceId: 'other', attributes: { g: 'x' } }] })).toEqual([])
  })

  it('names the invalid criteria by position', () => {
    expect(() => compileCriteriaBatch([dept('a'), { operation: 'AND', children: [] }])).toThrow(CriteriaError)
    expect(() => compileCriteriaBatch([dept('a'), { operation: 'AND', children: [] }])).toThrow(/#2/)
  })
})
