import { describe, expect, it } from 'vitest'
import { InputError } from '../errors.js'
import { compileRoleCriteria, type CriteriaSubject } from './compile-role-criteria.js'
import { CriteriaError } from './criteria-error.js'
import type { RoleCriteria, RoleCriteriaLeafOperation, RoleCriteriaLevel3 } from './role-criteria.js'

const id = (op: RoleCriteriaLeafOperation, property: string, stringValue: string): RoleCriteriaLevel3 => ({
  operation: op,
  key: { type: 'IDENTITY', property: `attribute.${property}` },
  stringValue,
})
const acct = (op: RoleCriteriaLeafOperation, property: string, stringValue: string): RoleCriteriaLevel3 => ({
  operation: op,
  key: { type: 'ACCOUNT', property, sourceId: 'ad' },
  stringValue,
})
const ent = (op: RoleCriteriaLeafOperation, stringValue: string): RoleCriteriaLevel3 => ({
  operation: op,
  key: { type: 'ENTITLEMENT', property: 'attribute.memberOf', sourceId: 'ad' },
  stringValue,
})

const person: CriteriaSubject = {
  identity: {
    department: 'Engineering',
    title: 'Senior Developer',
    level: 7,
    startDate: '2021-03-01',
    locations: ['Paris', 'Lyon'],
    empty: '',
    none: null,
    Cost_Center: 'CC-10',
  },
  accounts: [
    {
      sourceId: 'ad',
      sourceName: 'AD',
      nativeIdentity: 'jdoe',
      attributes: { memberOf: ['CN=admins,OU=G', 'CN=users,OU=G'], ou: 'Staff' },
      entitlements: [
        { attribute: 'memberOf', value: 'CN=admins,OU=G' },
        { attribute: 'memberOf', value: 'CN=users,OU=G' },
      ],
    },
    {
      sourceId: 'ad',
      sourceName: 'AD',
      nativeIdentity: 'jdoe-adm',
      attributes: { ou: 'Admins' },
      entitlements: [{ attribute: 'MEMBEROF', value: 'CN=domain admins,OU=G' }],
    },
    { sourceId: 'hr', attributes: { ou: 'Nope' } },
  ],
}
const noAccounts: CriteriaSubject = { identity: person.identity, accounts: [] }

interface Case {
  readonly name: string
  readonly criteria: RoleCriteria
  readonly subject?: CriteriaSubject
  readonly matched: boolean
}

const cases: readonly Case[] = [
  // Identity attributes, each operation, case-insensitive text.
  { name: 'EQUALS ignores case', criteria: id('EQUALS', 'department', 'ENGINEERING'), matched: true },
  { name: 'EQUALS different value', criteria: id('EQUALS', 'department', 'Sales'), matched: false },
  {
    name: 'bare property works like attribute.x',
    criteria: { ...id('EQUALS', 'x', 'engineering'), key: { type: 'IDENTITY', property: 'department' } },
    matched: true,
  },
  {
    name: 'attribute name falls back to a case-insensitive match',
    criteria: id('EQUALS', 'cost_center', 'cc-10'),
    matched: true,
  },
  { name: 'NOT_EQUALS different value', criteria: id('NOT_EQUALS', 'department', 'Sales'), matched: true },
  {
    name: 'NOT_EQUALS same value, other case',
    criteria: id('NOT_EQUALS', 'department', 'engineering'),
    matched: false,
  },
  { name: 'CONTAINS substring', criteria: id('CONTAINS', 'title', 'develop'), matched: true },
  { name: 'CONTAINS absent substring', criteria: id('CONTAINS', 'title', 'manager'), matched: false },
  {
    name: 'DOES_NOT_CONTAIN absent substring',
    criteria: id('DOES_NOT_CONTAIN', 'title', 'manager'),
    matched: true,
  },
  {
    name: 'DOES_NOT_CONTAIN present substring',
    criteria: id('DOES_NOT_CONTAIN', 'title', 'SENIOR'),
    matched: false,
  },
  { name: 'STARTS_WITH', criteria: id('STARTS_WITH', 'title', 'senior'), matched: true },
  { name: 'STARTS_WITH no', criteria: id('STARTS_WITH', 'title', 'Developer'), matched: false },
  { name: 'ENDS_WITH', criteria: id('ENDS_WITH', 'title', 'DEVELOPER'), matched: true },
  { name: 'ENDS_WITH no', criteria: id('ENDS_WITH', 'title', 'Senior'), matched: false },
  // Ordering: numbers, then ISO dates, then text.
  {
    name: 'GREATER_THAN numeric (7 > 10 is false, not "7" > "10")',
    criteria: id('GREATER_THAN', 'level', '10'),
    matched: false,
  },
  { name: 'GREATER_THAN numeric true', criteria: id('GREATER_THAN', 'level', '6.5'), matched: true },
  {
    name: 'GREATER_THAN_EQUALS equal number',
    criteria: id('GREATER_THAN_EQUALS', 'level', '7'),
    matched: true,
  },
  { name: 'LESS_THAN numeric', criteria: id('LESS_THAN', 'level', '10'), matched: true },
  { name: 'LESS_THAN_EQUALS equal number', criteria: id('LESS_THAN_EQUALS', 'level', '7.0'), matched: true },
  { name: 'LESS_THAN_EQUALS smaller', criteria: id('LESS_THAN_EQUALS', 'level', '6'), matched: false },
  {
    name: 'GREATER_THAN ISO dates',
    criteria: id('GREATER_THAN', 'startDate', '2020-12-31T23:00:00Z'),
    matched: true,
  },
  { name: 'LESS_THAN ISO dates', criteria: id('LESS_THAN', 'startDate', '2021-02-28'), matched: false },
  {
    name: 'GREATER_THAN text, ignoring case',
    criteria: id('GREATER_THAN', 'department', 'e'),
    matched: true,
  },
  { name: 'LESS_THAN text', criteria: id('LESS_THAN', 'department', 'FINANCE'), matched: true },
  // Multi-valued: positive = any value; negative = no value matches the positive form.
  { name: 'multi-valued EQUALS any value', criteria: id('EQUALS', 'locations', 'lyon'), matched: true },
  {
    name: 'multi-valued NOT_EQUALS is false when one value equals',
    criteria: id('NOT_EQUALS', 'locations', 'Lyon'),
    matched: false,
  },
  {
    name: 'multi-valued NOT_EQUALS true when none equals',
    criteria: id('NOT_EQUALS', 'locations', 'Rome'),
    matched: true,
  },
  {
    name: 'multi-valued DOES_NOT_CONTAIN false when one contains',
    criteria: id('DOES_NOT_CONTAIN', 'locations', 'ari'),
    matched: false,
  },
  // Missing attributes: positive false, negative true.
  { name: 'missing: EQUALS false', criteria: id('EQUALS', 'nosuch', 'x'), matched: false },
  { name: 'missing: NOT_EQUALS true', criteria: id('NOT_EQUALS', 'nosuch', 'x'), matched: true },
  { name: 'missing: DOES_NOT_CONTAIN true', criteria: id('DOES_NOT_CONTAIN', 'nosuch', 'x'), matched: true },
  { name: 'missing: GREATER_THAN false', criteria: id('GREATER_THAN', 'nosuch', '0'), matched: false },
  { name: 'empty string counts as missing', criteria: id('NOT_EQUALS', 'empty', 'x'), matched: true },
  { name: 'null counts as missing', criteria: id('LESS_THAN', 'none', 'z'), matched: false },
  // ACCOUNT keys: any account on the source.
  {
    name: 'ACCOUNT: any account on the source matches',
    criteria: acct('EQUALS', 'ou', 'admins'),
    matched: true,
  },
  { name: 'ACCOUNT: other sources are ignored', criteria: acct('EQUALS', 'ou', 'Nope'), matched: false },
  {
    name: 'ACCOUNT: multi-valued CONTAINS',
    criteria: acct('CONTAINS', 'memberOf', 'cn=admins'),
    matched: true,
  },
  {
    name: 'ACCOUNT: NOT_EQUALS holds if one account differs',
    criteria: acct('NOT_EQUALS', 'ou', 'Staff'),
    matched: true,
  },
  {
    name: 'ACCOUNT: NOT_EQUALS on missing attribute of an account is true',
    criteria: acct('DOES_NOT_CONTAIN', 'memberOf', 'admins'),
    matched: true,
  },
  {
    name: 'ACCOUNT: no account on the source, positive op',
    criteria: acct('EQUALS', 'ou', 'Staff'),
    subject: noAccounts,
    matched: false,
  },
  {
    name: 'ACCOUNT: no account on the source, negative op is still false',
    criteria: acct('NOT_EQUALS', 'ou', 'Staff'),
    subject: noAccounts,
    matched: false,
  },
  // ENTITLEMENT keys: the identity holds it on some account of the source.
  { name: 'ENTITLEMENT EQUALS: has it', criteria: ent('EQUALS', 'cn=users,ou=g'), matched: true },
  {
    name: 'ENTITLEMENT EQUALS: on the second account, attribute name in other case',
    criteria: ent('EQUALS', 'CN=domain admins,OU=G'),
    matched: true,
  },
  {
    name: 'ENTITLEMENT EQUALS: does not have it',
    criteria: ent('EQUALS', 'CN=finance,OU=G'),
    matched: false,
  },
  {
    name: 'ENTITLEMENT NOT_EQUALS: has it → false',
    criteria: ent('NOT_EQUALS', 'CN=admins,OU=G'),
    matched: false,
  },
  {
    name: 'ENTITLEMENT NOT_EQUALS: does not have it → true',
    criteria: ent('NOT_EQUALS', 'CN=finance,OU=G'),
    matched: true,
  },
  {
    name: 'ENTITLEMENT NOT_EQUALS: no account → true',
    criteria: ent('NOT_EQUALS', 'CN=admins,OU=G'),
    subject: noAccounts,
    matched: true,
  },
  { name: 'ENTITLEMENT CONTAINS', criteria: ent('CONTAINS', 'admins'), matched: true },
  {
    name: 'ENTITLEMENT DOES_NOT_CONTAIN: one contains → false',
    criteria: ent('DOES_NOT_CONTAIN', 'domain'),
    matched: false,
  },
  { name: 'ENTITLEMENT STARTS_WITH', criteria: ent('STARTS_WITH', 'cn=domain'), matched: true },
  // Groups.
  {
    name: 'AND: all must hold',
    criteria: {
      operation: 'AND',
      children: [id('EQUALS', 'department', 'Engineering'), id('STARTS_WITH', 'title', 'Junior')],
    },
    matched: false,
  },
  {
    name: 'OR: one suffices',
    criteria: {
      operation: 'OR',
      children: [id('EQUALS', 'department', 'Sales'), acct('CONTAINS', 'memberOf', 'admins')],
    },
    matched: true,
  },
  {
    name: 'OR of AND: (false AND true) OR false',
    criteria: {
      operation: 'OR',
      children: [
        {
          operation: 'AND',
          children: [id('EQUALS', 'department', 'Sales'), id('STARTS_WITH', 'title', 'Senior')],
        },
        ent('EQUALS', 'CN=finance,OU=G'),
      ],
    },
    matched: false,
  },
]

describe('compileRoleCriteria: evaluate', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const compiled = compileRoleCriteria(c.criteria)
    expect(compiled.evaluate(c.subject ?? person).matched).toBe(c.matched)
    // The fast verdict used for bulk planning agrees with the explained one.
    expect(compiled.matches(c.subject ?? person)).toBe(c.matched)
  })
})

describe('compileRoleCriteria: explanation', () => {
  it('mirrors the tree, with actual values, per-account detail and source names', () => {
    const criteria: RoleCriteria = {
      operation: 'OR',
      children: [
        {
          operation: 'AND',
          children: [id('EQUALS', 'department', 'Engineering'), id('STARTS_WITH', 'title', 'Junior')],
        },
        acct('EQUALS', 'ou', 'admins'),
        ent('EQUALS', 'CN=finance,OU=G'),
      ],
    }
    const result = compileRoleCriteria(criteria).evaluate(person)
    expect(result).toEqual({
      matched: true,
      explanation: {
        kind: 'group',
        operation: 'OR',
        matched: true,
        children: [
          {
            kind: 'group',
            operation: 'AND',
            matched: false,
            children: [
              {
                kind: 'leaf',
                operation: 'EQUALS',
                key: { type: 'IDENTITY', property: 'department' },
                stringValue: 'Engineering',
                matched: true,
                actual: ['Engineering'],
              },
              {
                kind: 'leaf',
                operation: 'STARTS_WITH',
                key: { type: 'IDENTITY', property: 'title' },
                stringValue: 'Junior',
                matched: false,
                actual: ['Senior Developer'],
              },
            ],
          },
          {
            kind: 'leaf',
            operation: 'EQUALS',
            key: { type: 'ACCOUNT', property: 'ou', sourceId: 'ad', sourceName: 'AD' },
            stringValue: 'admins',
            matched: true,
            actual: ['Staff', 'Admins'],
            accounts: [
              { nativeIdentity: 'jdoe', actual: ['Staff'], matched: false },
              { nativeIdentity: 'jdoe-adm', actual: ['Admins'], matched: true },
            ],
          },
          {
            kind: 'leaf',
            operation: 'EQUALS',
            key: { type: 'ENTITLEMENT', property: 'memberOf', sourceId: 'ad', sourceName: 'AD' },
            stringValue: 'CN=finance,OU=G',
            matched: false,
            actual: ['CN=admins,OU=G', 'CN=users,OU=G', 'CN=domain admins,OU=G'],
          },
        ],
      },
    })
  })

  it('shows numbers as text and an empty account list when there is no account', () => {
    const leaf = compileRoleCriteria(acct('EQUALS', 'ou', 'x')).evaluate(noAccounts).explanation
    expect(leaf).toMatchObject({ matched: false, actual: [], accounts: [] })
    const level = compileRoleCriteria(id('EQUALS', 'level', '7')).evaluate(person).explanation
    expect(level).toMatchObject({ matched: true, actual: ['7'] })
  })
})

describe('compileRoleCriteria: invalid criteria', () => {
  it('throws a CriteriaError (an InputError) listing every problem', () => {
    const bad = {
      operation: 'AND',
      children: [{ operation: 'AND', children: [id('EQUALS', 'x', 'y')] }, { operation: 'EQUALS' }],
    } as unknown as RoleCriteria
    let caught: unknown
    try {
      compileRoleCriteria(bad)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(CriteriaError)
    expect(caught).toBeInstanceOf(InputError)
    const err = caught as CriteriaError
    expect(err.problems).toEqual([
      'children[0]: AND nodes can only be children of OR nodes and vice-versa',
      'children[1].stringValue: required for EQUALS',
      'children[1].key: required for EQUALS',
    ])
    expect(err.message).toBe(`invalid role criteria:\n  ${err.problems.join('\n  ')}`)
  })
})
