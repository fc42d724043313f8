import { describe, expect, it } from 'vitest'
import { compileTransform, evaluateTransform } from './compile-transform.js'
import type { TransformContext, TransformDefinition } from './transform-types.js'

const utility = (operation: string, attributes: Record<string, unknown>): TransformDefinition => ({
  type: 'rule',
  attributes: { name: 'Cloud Services Deployment Utility', operation, ...attributes },
})

describe('rule getEndOfString', () => {
  it.each([
    ['docs: last 4 of "abcd1234" → "1234"', { numChars: '4' }, 'abcd1234', '1234'],
    [
      'docs: 16 of a 15-character input → null',
      { numChars: '16', input: 'This is a test.' },
      undefined,
      null,
    ],
    ['numChars equal to the length → the whole input', { numChars: 3 }, 'abc', 'abc'],
    ['null input → null', { numChars: 3 }, null, null],
  ])('%s', (_name, attributes, input, expected) => {
    expect(evaluateTransform(utility('getEndOfString', attributes), { input })).toBe(expected)
  })

  it('docs (rule page): last 3 characters of the trimmed input', () => {
    const def = utility('getEndOfString', { input: { type: 'trim' }, numChars: '3' })
    expect(evaluateTransform(def, { input: '  abcdef  ' })).toBe('def')
  })

  it('requires numChars', () => {
    expect(() => compileTransform(utility('getEndOfString', {}))).toThrow(
      'rule: missing required attribute attributes.numChars',
    )
  })
})

describe('rule getReferenceIdentityAttribute', () => {
  const people: Record<string, Record<string, unknown>> = { 'corporate.admin': { phone: '+1 512 555 0100' } }
  const ctx: TransformContext = { manager: { email: 'boss@corp' }, findIdentity: (uid) => people[uid] }

  it('docs: the manager\'s email ("manager" keyword)', () => {
    expect(
      evaluateTransform(
        utility('getReferenceIdentityAttribute', { uid: 'manager', attributeName: 'email' }),
        ctx,
      ),
    ).toBe('boss@corp')
  })

  it('docs: the phone of the identity "corporate.admin"', () => {
    expect(
      evaluateTransform(
        utility('getReferenceIdentityAttribute', { uid: 'corporate.admin', attributeName: 'phone' }),
        ctx,
      ),
    ).toBe('+1 512 555 0100')
  })

  it('unknown identity or no manager → null', () => {
    expect(
      evaluateTransform(
        utility('getReferenceIdentityAttribute', { uid: 'nobody', attributeName: 'phone' }),
        ctx,
      ),
    ).toBeNull()
    expect(
      evaluateTransform(
        utility('getReferenceIdentityAttribute', { uid: 'manager', attributeName: 'email' }),
        { manager: null },
      ),
    ).toBeNull()
  })
})

describe('rule names', () => {
  it('docs: a customer Generic rule is not available', () => {
    expect(() =>
      compileTransform({ type: 'rule', attributes: { name: 'Generic Calculation Rule' } }),
    ).toThrow(
      'rule: rule "Generic Calculation Rule" is not available (only built-in operations are supported)',
    )
  })

  it('an unknown utility operation is refused', () => {
    expect(() => compileTransform(utility('getStartOfString', {}))).toThrow(
      'rule: Cloud Services Deployment Utility has no operation "getStartOfString" (getEndOfString, generateRandomString, getReferenceIdentityAttribute)',
    )
  })

  it('requires name and operation', () => {
    expect(() => compileTransform({ type: 'rule' })).toThrow(
      'rule: missing required attribute attributes.name',
    )
    expect(() =>
      compileTransform({ type: 'rule', attributes: { name: 'Cloud Services Deployment Utility' } }),
    ).toThrow('rule: missing required attribute attributes.operation')
  })
})

describe('rule Create Unique Account ID', () => {
  const def: TransformDefinition = { type: 'rule', attributes: { name: 'Create Unique Account ID' } }
  const field = {
    template: '$(firstname).$(lastname)$(uniqueCounter)',
    cloudMaxUniqueChecks: '3',
    cloudMaxSize: '20',
  }
  const compiled = compileTransform(def, { fieldAttributes: field })
  const ada = { identity: { firstname: 'ada', lastname: 'lovelace' } }
  const takenIds = (...ids: string[]): Pick<TransformContext, 'isUnique'> => ({
    isUnique: (v) => !ids.includes(v),
  })

  it('identity attributes substituted, counter empty first', () => {
    expect(compiled.evaluate({ ...ada, ...takenIds() })).toBe('ada.lovelace')
  })

  it('counts up until unique', () => {
    expect(compiled.evaluate({ ...ada, ...takenIds('ada.lovelace', 'ada.lovelace1') })).toBe('ada.lovelace2')
  })

  it('gives up after cloudMaxUniqueChecks', () => {
    expect(() =>
      compiled.evaluate({
        ...ada,
        ...takenIds('ada.lovelace', 'ada.lovelace1', 'ada.lovelace2', 'ada.lovelace3'),
      }),
    ).toThrow(
      /^rule: IllegalStateException: no unique value for pattern "\$\(firstname\)\.\$\(lastname\)\$\(uniqueCounter\)" after 4 checks/,
    )
  })

  it('truncates to cloudMaxSize', () => {
    const long = { identity: { firstname: 'maximiliana', lastname: 'wolfeschlegel' } }
    expect(compiled.evaluate({ ...long, ...takenIds() })).toBe('maximiliana.wolfesch')
    expect(compiled.evaluate({ ...long, ...takenIds('maximiliana.wolfesch') })).toBe('maximiliana.wolfesc1')
  })

  it('the DN form of the template', () => {
    const dn = compileTransform(def, {
      fieldAttributes: { template: 'uid=$(firstname).$(lastname)$(uniqueCounter),ou=users,dc=corp' },
    })
    expect(dn.evaluate({ ...ada, ...takenIds('uid=ada.lovelace,ou=users,dc=corp') })).toBe(
      'uid=ada.lovelace1,ou=users,dc=corp',
    )
  })

  it('an empty identity attribute is an error naming it', () => {
    expect(() => compiled.evaluate({ identity: { firstname: 'ada' } })).toThrow(
      'rule: no pattern could be used: identity attribute "lastname" is empty',
    )
  })

  it('needs a template', () => {
    expect(() => compileTransform(def)).toThrow(/^rule: Create Unique Account ID needs a "template"/)
  })
})
