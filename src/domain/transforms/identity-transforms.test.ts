import { describe, expect, it } from 'vitest'
import { compileAccountFilter } from './account-filter.js'
import { compileTransform, evaluateTransform } from './compile-transform.js'
import type { TransformAccount, TransformDefinition } from './transform-types.js'

describe('identityAttribute', () => {
  const identity = { uid: 'john.doe', identificationNumber: 1001, email: 'j@corp', groups: ['a', 'b'] }
  it.each([
    ['docs: uid', 'uid', 'john.doe'],
    ['docs: identificationNumber (a number → its text)', 'identificationNumber', '1001'],
    ['docs structure: email', 'email', 'j@corp'],
    ['a multi-valued attribute is joined with ","', 'groups', 'a,b'],
    ['a missing attribute → null', 'manager', null],
  ])('%s', (_name, name, expected) => {
    expect(evaluateTransform({ type: 'identityAttribute', attributes: { name } }, { identity })).toBe(
      expected,
    )
  })

  it('no identity → null; name is required', () => {
    expect(evaluateTransform({ type: 'identityAttribute', attributes: { name: 'uid' } }, {})).toBeNull()
    expect(() => compileTransform({ type: 'identityAttribute' })).toThrow(
      'identityAttribute: missing required attribute attributes.name',
    )
  })
})

describe('displayName', () => {
  const def: TransformDefinition = {
    name: 'Display Name Transform',
    type: 'displayName',
    attributes: { input: 'input' },
  }
  it.each([
    [
      'docs: Preferred John, Given Jonathan, Family Doe → "John Doe"',
      { preferredName: 'John', firstname: 'Jonathan', lastname: 'Doe' },
      'John Doe',
    ],
    ['docs: no Preferred Name → "Jonathan Doe"', { firstname: 'Jonathan', lastname: 'Doe' }, 'Jonathan Doe'],
    [
      'an empty preferred name is not used',
      { preferredName: ' ', firstname: 'Jonathan', lastname: 'Doe' },
      'Jonathan Doe',
    ],
    ['givenName / familyName spellings', { givenName: 'Ana', familyName: 'Lima' }, 'Ana Lima'],
    ['only a family name', { lastname: 'Doe' }, 'Doe'],
    ['nothing', {}, null],
  ])('%s', (_name, identity, expected) => {
    expect(evaluateTransform(def, { identity })).toBe(expected)
  })
})

const acc = (
  over: Partial<TransformAccount> & { attributes: Record<string, unknown> },
): TransformAccount => ({
  sourceName: 'Corporate HR',
  nativeIdentity: 'E1',
  ...over,
})

describe('accountAttribute', () => {
  const rehire = [
    acc({
      nativeIdentity: 'old',
      created: '2015-01-01T00:00:00Z',
      attributes: { HIREDATE: '2015-01-01', WORKER_STATUS__c: 'terminated' },
    }),
    acc({
      nativeIdentity: 'new',
      created: '2022-06-01T00:00:00Z',
      attributes: { HIREDATE: '2022-06-01', WORKER_STATUS__c: 'active' },
    }),
    acc({
      nativeIdentity: 'newest-bad',
      created: '2023-01-01T00:00:00Z',
      attributes: { HIREDATE: null, WORKER_STATUS__c: 'inactive' },
    }),
    acc({
      sourceName: 'Other',
      nativeIdentity: 'x',
      created: '2030-01-01T00:00:00Z',
      attributes: { HIREDATE: '2030-01-01', WORKER_STATUS__c: 'active' },
    }),
  ]

  it('docs: the latest active HR record (sort created descending, first link, property filter)', () => {
    const def: TransformDefinition = {
      type: 'accountAttribute',
      attributes: {
        attributeName: 'HIREDATE',
        sourceName: 'Corporate HR',
        accountSortAttribute: 'created',
        accountSortDescending: true,
        accountReturnFirstLink: true,
        accountPropertyFilter: '(WORKER_STATUS__c == "active")',
      },
    }
    expect(evaluateTransform(def, { accounts: rehire })).toBe('2022-06-01')
  })

  it('by default the oldest account wins', () => {
    expect(
      evaluateTransform(
        { type: 'accountAttribute', attributes: { sourceName: 'Corporate HR', attributeName: 'HIREDATE' } },
        { accounts: rehire },
      ),
    ).toBe('2015-01-01')
  })

  it('accountReturnFirstLink returns the first account even when its value is null; otherwise nulls are skipped', () => {
    const base = { sourceName: 'Corporate HR', attributeName: 'HIREDATE', accountSortDescending: 'true' }
    expect(
      evaluateTransform(
        { type: 'accountAttribute', attributes: { ...base, accountReturnFirstLink: true } },
        { accounts: rehire },
      ),
    ).toBeNull()
    expect(evaluateTransform({ type: 'accountAttribute', attributes: base }, { accounts: rehire })).toBe(
      '2022-06-01',
    )
  })

  it('sorts by any attribute; accounts without it come last', () => {
    const accounts = [
      acc({ nativeIdentity: 'a', attributes: { rank: '2', v: 'two' } }),
      acc({ nativeIdentity: 'b', attributes: { v: 'none' } }),
      acc({ nativeIdentity: 'c', attributes: { rank: '1', v: 'one' } }),
    ]
    const def = (descending: boolean): TransformDefinition => ({
      type: 'accountAttribute',
      attributes: {
        sourceName: 'Corporate HR',
        attributeName: 'v',
        accountSortAttribute: 'rank',
        accountSortDescending: descending,
      },
    })
    expect(evaluateTransform(def(false), { accounts })).toBe('one')
    expect(evaluateTransform(def(true), { accounts })).toBe('two')
  })

  it('docs: accountFilter skips service accounts by displayName', () => {
    const accounts = [
      acc({
        sourceName: 'Active Directory',
        nativeIdentity: 's',
        displayName: 'SVC-backup',
        created: '2010-01-01',
        attributes: { sAMAccountName: 'svc_backup' },
      }),
      acc({
        sourceName: 'Active Directory',
        nativeIdentity: 'u',
        displayName: 'John Smith',
        created: '2012-01-01',
        attributes: { sAMAccountName: 'jsmith' },
      }),
    ]
    const def: TransformDefinition = {
      type: 'accountAttribute',
      attributes: {
        attributeName: 'sAMAccountName',
        sourceName: 'Active Directory',
        accountFilter: '!(displayName.startsWith("SVC-"))',
      },
    }
    expect(evaluateTransform(def, { accounts })).toBe('jsmith')
  })

  it('docs structure: both filters combine (AND)', () => {
    const accounts = [
      acc({
        sourceName: 'Workday',
        nativeIdentity: '*DELETED*1',
        created: '2001-01-01',
        attributes: { DEPARTMENT: 'Engineering' },
      }),
      acc({
        sourceName: 'Workday',
        nativeIdentity: 'W2',
        created: '2002-01-01',
        attributes: { DEPARTMENT: 'Sales' },
      }),
      acc({
        sourceName: 'Workday',
        nativeIdentity: 'W3',
        created: '2003-01-01',
        attributes: { DEPARTMENT: 'Engineering' },
      }),
    ]
    const def: TransformDefinition = {
      type: 'accountAttribute',
      attributes: {
        sourceName: 'Workday',
        attributeName: 'DEPARTMENT',
        accountSortAttribute: 'created',
        accountSortDescending: true,
        accountReturnFirstLink: true,
        accountPropertyFilter: '(DEPARTMENT == "Engineering")',
        accountFilter: '!(nativeIdentity.startsWith("*DELETED*"))',
      },
    }
    expect(evaluateTransform(def, { accounts })).toBe('Engineering')
    expect(evaluateTransform(def, { accounts: accounts.slice(0, 2) })).toBeNull()
  })

  it('applicationName (with " [source]") and applicationId select the source too', () => {
    const accounts = [acc({ sourceName: 'Active Directory', sourceId: 'ff80', attributes: { cn: 'x' } })]
    expect(
      evaluateTransform(
        {
          type: 'accountAttribute',
          attributes: { applicationName: 'Active Directory [source]', attributeName: 'cn' },
        },
        { accounts },
      ),
    ).toBe('x')
    expect(
      evaluateTransform(
        { type: 'accountAttribute', attributes: { applicationId: 'ff80', attributeName: 'cn' } },
        { accounts },
      ),
    ).toBe('x')
    expect(
      evaluateTransform(
        { type: 'accountAttribute', attributes: { applicationId: 'other', attributeName: 'cn' } },
        { accounts },
      ),
    ).toBeNull()
  })

  it('no account on the source → null', () => {
    expect(
      evaluateTransform(
        { type: 'accountAttribute', attributes: { sourceName: 'Okta', attributeName: 'login' } },
        { accounts: rehire },
      ),
    ).toBeNull()
    expect(
      evaluateTransform(
        { type: 'accountAttribute', attributes: { sourceName: 'Okta', attributeName: 'login' } },
        {},
      ),
    ).toBeNull()
  })

  it('requires a source and attributeName; a bad filter is refused when compiling', () => {
    expect(() => compileTransform({ type: 'accountAttribute', attributes: { attributeName: 'x' } })).toThrow(
      'accountAttribute: missing required attribute attributes.sourceName (or applicationName, applicationId)',
    )
    expect(() => compileTransform({ type: 'accountAttribute', attributes: { sourceName: 'x' } })).toThrow(
      'accountAttribute: missing required attribute attributes.attributeName',
    )
    expect(() =>
      compileTransform({
        type: 'accountAttribute',
        attributes: { sourceName: 'x', attributeName: 'y', accountPropertyFilter: '(status == ' },
      }),
    ).toThrow('accountAttribute: attributes.accountPropertyFilter "(status == ": unexpected end of filter')
  })
})

describe('account filters', () => {
  const a = acc({
    nativeIdentity: 'CN=Ann,OU=Users',
    displayName: 'Ann Lee',
    entitlements: ['g1'],
    attributes: { status: 'active', location: 'Austin', groups: ['Admin', 'Dev'], level: '7', email: null },
  })
  const member = acc({
    nativeIdentity: 'CN=Ann,OU=Users',
    attributes: {
      memberOf: ['CN=All Staff,OU=Groups,DC=corp', 'CN=O365_Licensing_Tier1,OU=Licensing,DC=corp'],
    },
  })
  it('contains tests each value of a multi-valued attribute as text (AD group DNs)', () => {
    expect(compileAccountFilter('(memberOf.contains("O365_Licensing_Tier"))')(member)).toBe(true)
    expect(compileAccountFilter('memberOf.contains("OU=Licensing")')(member)).toBe(true)
    expect(compileAccountFilter('memberOf.contains("Tier2")')(member)).toBe(false)
  })
  it.each([
    ['(status != "terminated")', true],
    ['(status == "terminated")', false],
    ['(groups.containsAll({"Admin"}) || location == "Austin")', true],
    ['groups.containsAll({"Admin", "Ops"})', false],
    ['groups.contains("Dev") && !(location == "Paris")', true],
    ['status == "active" && location == "Paris" || displayName == "Ann Lee"', true],
    ['status == "active" && (location == "Paris" || displayName == "Bob")', false],
    ['groups == "Dev"', true],
    ["location.in({'Austin', 'Dallas'})", true],
    ['nativeIdentity.endsWith("OU=Users")', true],
    ['displayName.startsWithIgnoreCase("ann")', true],
    ['location.containsIgnoreCase("STI")', true],
    ['location.contains("zz")', false],
    ['groups.contains("Adm")', true],
    ['groups.containsIgnoreCase("EV")', true],
    ['groups.contains("Ops")', false],
    ['email.isNull()', true],
    ['location.notNull()', true],
    ['email == null', true],
    ['entitlements == true', true],
    ['level > 5 && level <= 7', true],
    ['level < "10"', true],
    ['missing.isEmpty()', true],
  ])('%s → %s', (filter, expected) => {
    expect(compileAccountFilter(filter)(a)).toBe(expected)
  })

  it.each(['status ==', 'status = "x"', '(status == "x"', 'status.frobnicate("x")', 'status == "x" extra'])(
    'refuses %s',
    (filter) => {
      expect(() => compileAccountFilter(filter)).toThrow()
    },
  )
})
