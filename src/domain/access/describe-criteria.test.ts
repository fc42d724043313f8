import { describe, expect, it } from 'vitest'
import { compileRoleCriteria, type CriteriaSubject } from './compile-role-criteria.js'
import { describeCriteria, formatExplanation } from './describe-criteria.js'
import type { RoleCriteria } from './role-criteria.js'

const example: RoleCriteria = {
  operation: 'OR',
  children: [
    {
      operation: 'AND',
      children: [
        {
          operation: 'EQUALS',
          key: { type: 'IDENTITY', property: 'attribute.department' },
          stringValue: 'Engineering',
        },
        { operation: 'STARTS_WITH', key: { type: 'IDENTITY', property: 'title' }, stringValue: 'Senior' },
      ],
    },
    {
      operation: 'CONTAINS',
      key: { type: 'ACCOUNT', property: 'memberOf', sourceId: 'src-ad' },
      stringValue: 'admins',
    },
  ],
}

describe('describeCriteria', () => {
  const names = { sourceName: (id: string) => (id === 'src-ad' ? 'AD' : undefined) }
  it.each<[string, RoleCriteria, string]>([
    [
      'the example, with source names',
      example,
      '(department EQUALS "Engineering" AND title STARTS_WITH "Senior") OR account[AD].memberOf CONTAINS "admins"',
    ],
    [
      'a single leaf, quotes escaped',
      { operation: 'NOT_EQUALS', key: { type: 'IDENTITY', property: 'title' }, stringValue: 'say "hi"' },
      'title NOT_EQUALS "say \\"hi\\""',
    ],
    [
      'an entitlement; an unknown source id is printed as is',
      {
        operation: 'EQUALS',
        key: { type: 'ENTITLEMENT', property: 'attribute.memberOf', sourceId: 's9' },
        stringValue: 'Engineering',
      },
      'entitlement[s9].memberOf EQUALS "Engineering"',
    ],
    ['a malformed leaf is printed as far as it goes', { operation: 'EQUALS' } as RoleCriteria, '? EQUALS ?'],
  ])('%s', (_name, criteria, expected) => {
    expect(describeCriteria(criteria, names)).toBe(expected)
  })

  it('prints the source id without a name lookup', () => {
    expect(describeCriteria(example)).toContain('account[src-ad].memberOf')
  })
})

describe('formatExplanation', () => {
  const subject = (accounts: CriteriaSubject['accounts']): CriteriaSubject => ({
    identity: { department: 'Engineering', title: 'Junior Dev' },
    accounts,
  })
  it.each<[string, CriteriaSubject, string]>([
    [
      'one account: its values; names come from the accounts',
      subject([
        { sourceId: 'src-ad', sourceName: 'AD', attributes: { memberOf: ['CN=admins', 'CN=users'] } },
      ]),
      [
        'OR ✓',
        '  AND ✗',
        '    department EQUALS "Engineering" — actual "Engineering" ✓',
        '    title STARTS_WITH "Senior" — actual "Junior Dev" ✗',
        '  account[AD].memberOf CONTAINS "admins" — actual ["CN=admins", "CN=users"] ✓',
      ].join('\n'),
    ],
    [
      'no account on the source',
      subject([]),
      [
        'OR ✗',
        '  AND ✗',
        '    department EQUALS "Engineering" — actual "Engineering" ✓',
        '    title STARTS_WITH "Senior" — actual "Junior Dev" ✗',
        '  account[src-ad].memberOf CONTAINS "admins" — no account on this source ✗',
      ].join('\n'),
    ],
    [
      'several accounts: one part each',
      subject([
        { sourceId: 'src-ad', nativeIdentity: 'jdoe', attributes: {} },
        { sourceId: 'src-ad', attributes: { memberOf: 'CN=admins' } },
      ]),
      [
        'OR ✓',
        '  AND ✗',
        '    department EQUALS "Engineering" — actual "Engineering" ✓',
        '    title STARTS_WITH "Senior" — actual "Junior Dev" ✗',
        '  account[src-ad].memberOf CONTAINS "admins" — account jdoe: (none) ✗, account #2: "CN=admins" ✓ ✓',
      ].join('\n'),
    ],
  ])('%s', (_name, s, expected) => {
    expect(formatExplanation(compileRoleCriteria(example).evaluate(s).explanation)).toBe(expected)
  })
})
