import { describe, expect, it } from 'vitest'
import { compileTransform, evaluateTransform } from './compile-transform.js'
import { TransformErrors } from './transform-errors.js'
import type { TransformAccount, TransformContext, TransformDefinition } from './transform-types.js'

const hr = (attributes: Record<string, unknown>): TransformAccount => ({
  sourceName: 'HR Source',
  nativeIdentity: 'E1',
  attributes,
})
const account = (sourceName: string, attributes: Record<string, unknown>): TransformAccount => ({
  sourceName,
  nativeIdentity: `${sourceName}-1`,
  attributes,
})
const attr = (sourceName: string, attributeName: string): TransformDefinition => ({
  type: 'accountAttribute',
  attributes: { sourceName, attributeName },
})

describe('concat', () => {
  const ctx: TransformContext = {
    accounts: [hr({ FirstName: 'John', LastName: 'Smith', JobTitle: 'Engineer', JobCode: 'E42' })],
  }

  it('docs structure: ["John", " ", "Smith"] → "John Smith"', () => {
    expect(evaluateTransform({ type: 'concat', attributes: { values: ['John', ' ', 'Smith'] } }, {})).toBe(
      'John Smith',
    )
  })

  it('docs example: first name, space, last name, " (Contractor)"', () => {
    const def: TransformDefinition = {
      type: 'concat',
      attributes: {
        values: [attr('HR Source', 'FirstName'), ' ', attr('HR Source', 'LastName'), ' (Contractor)'],
      },
    }
    expect(evaluateTransform(def, ctx)).toBe('John Smith (Contractor)')
  })

  it('docs example: job title "-" job code', () => {
    const def: TransformDefinition = {
      type: 'concat',
      attributes: { values: [attr('HR Source', 'JobTitle'), '-', attr('HR Source', 'JobCode')] },
    }
    expect(evaluateTransform(def, ctx)).toBe('Engineer-E42')
  })

  it('skips null values; all null gives null', () => {
    expect(
      evaluateTransform(
        { type: 'concat', attributes: { values: ['a', attr('HR Source', 'Missing'), 'b'] } },
        ctx,
      ),
    ).toBe('ab')
    expect(
      evaluateTransform({ type: 'concat', attributes: { values: [attr('HR Source', 'Missing')] } }, ctx),
    ).toBeNull()
  })

  it('requires values, an array', () => {
    expect(() => compileTransform({ type: 'concat' })).toThrow(
      'concat: missing required attribute attributes.values',
    )
    expect(() => compileTransform({ type: 'concat', attributes: { values: 'x' } })).toThrow(
      'concat: attributes.values must be an array',
    )
  })
})

describe('join', () => {
  const ctx: TransformContext = {
    accounts: [hr({ FirstName: 'John', LastName: 'Smith', JobTitle: 'Engineer', JobCode: 'E42' })],
  }

  it('docs structure: ["John", "Smith"] with "|" → "John|Smith"', () => {
    expect(
      evaluateTransform({ type: 'join', attributes: { values: ['John', 'Smith'], separator: '|' } }, {}),
    ).toBe('John|Smith')
  })

  it('docs example: first and last name with " "', () => {
    const def: TransformDefinition = {
      type: 'join',
      attributes: { values: [attr('HR Source', 'FirstName'), attr('HR Source', 'LastName')], separator: ' ' },
    }
    expect(evaluateTransform(def, ctx)).toBe('John Smith')
  })

  it('docs example: job title and code with "-"', () => {
    const def: TransformDefinition = {
      type: 'join',
      attributes: { values: [attr('HR Source', 'JobTitle'), attr('HR Source', 'JobCode')], separator: '-' },
    }
    expect(evaluateTransform(def, ctx)).toBe('Engineer-E42')
  })

  it('default separator is ","; null values leave no hole', () => {
    expect(evaluateTransform({ type: 'join', attributes: { values: ['a', attr('X', 'y'), 'c'] } }, ctx)).toBe(
      'a,c',
    )
  })
})

describe('firstValid', () => {
  const def: TransformDefinition = {
    type: 'firstValid',
    attributes: {
      values: [
        attr('Active Directory', 'sAMAccountName'),
        attr('Okta', 'login'),
        attr('HR Source', 'employeeID'),
      ],
    },
  }

  it.each([
    [
      'docs: AD sAMAccountName first',
      [account('Active Directory', { sAMAccountName: 'jsmith' }), account('Okta', { login: 'j@x' })],
      'jsmith',
    ],
    [
      'docs: no AD account → Okta login',
      [account('Okta', { login: 'j@x' }), hr({ employeeID: '1001' })],
      'j@x',
    ],
    [
      'docs: Okta login blank → HR employee ID',
      [account('Okta', { login: null }), hr({ employeeID: '1001' })],
      '1001',
    ],
    ['nothing at all → null', [], null],
  ] as const)('%s', (_name, accounts, expected) => {
    expect(evaluateTransform(def, { accounts })).toBe(expected)
  })

  it('docs: work email falls back to static "none"', () => {
    const mail: TransformDefinition = {
      type: 'firstValid',
      attributes: {
        values: [attr('Active Directory', 'mail'), { type: 'static', attributes: { value: 'none' } }],
      },
    }
    expect(evaluateTransform(mail, { accounts: [] })).toBe('none')
    expect(evaluateTransform(mail, { accounts: [account('Active Directory', { mail: 'j@corp' })] })).toBe(
      'j@corp',
    )
  })

  const managerDn: TransformDefinition = {
    type: 'firstValid',
    attributes: {
      ignoreErrors: 'true',
      values: [{ type: 'static', attributes: { value: '$identity.manager.attributes.networkDn' } }, ''],
    },
  }

  it('docs: manager DN with ignoreErrors "true" → "" for an identity without a manager', () => {
    expect(evaluateTransform(managerDn, { identity: { uid: 'a' }, manager: null })).toBe('')
  })

  it('docs: manager DN for an identity with a manager', () => {
    expect(
      evaluateTransform(managerDn, { identity: { uid: 'a' }, manager: { networkDn: 'CN=Boss,DC=corp' } }),
    ).toBe('CN=Boss,DC=corp')
  })

  it('docs: without ignoreErrors the same transform fails for an identity without a manager', () => {
    const strict: TransformDefinition = {
      ...managerDn,
      attributes: { ...managerDn.attributes, ignoreErrors: false },
    }
    expect(() => evaluateTransform(strict, { identity: { uid: 'a' }, manager: null })).toThrow(
      'static: $identity.manager.attributes.networkDn in value has no value',
    )
  })

  it('an empty string is a valid value', () => {
    expect(evaluateTransform({ type: 'firstValid', attributes: { values: ['', 'b'] } }, {})).toBe('')
  })
})

describe('lookup', () => {
  const regions: TransformDefinition = {
    type: 'lookup',
    attributes: { table: { USA: 'Americas', FRA: 'EMEA', AUS: 'APAC', default: 'Unknown Region' } },
  }
  const areas: TransformDefinition = {
    type: 'lookup',
    attributes: {
      table: {
        '512': 'Austin',
        '281': 'Houston',
        '214': 'Dallas',
        '210': 'San Antonio',
        default: 'Unknown Area',
      },
    },
  }

  it.each([
    ['docs structure: USA → Americas', regions, 'USA', 'Americas'],
    ['docs structure: FRA → EMEA', regions, 'FRA', 'EMEA'],
    ['docs structure: no match → default "Unknown Region"', regions, 'BRA', 'Unknown Region'],
    ['keys are case-sensitive', regions, 'usa', 'Unknown Region'],
    ['docs: area code 512 → Austin', areas, '512', 'Austin'],
    ['docs: unknown area code → "Unknown Area"', areas, '999', 'Unknown Area'],
    ['a numeric input matches its text key', areas, 214, 'Dallas'],
    ['null input → default', areas, null, 'Unknown Area'],
  ] as const)('%s', (_name, def, input, expected) => {
    expect(evaluateTransform(def, { input })).toBe(expected)
  })

  it('docs: no match and no default is an error', () => {
    const noDefault: TransformDefinition = {
      type: 'lookup',
      attributes: { table: { '512': 'Austin', '713': 'Houston' } },
    }
    expect(() => evaluateTransform(noDefault, { input: 'XX' })).toThrow(
      'lookup: no entry for "XX" and no "default"',
    )
  })

  it('reports every broken table entry at once, at any depth, not only the first', () => {
    const access = (role: string) => ({ type: 'static', attributes: { accessPolicy: `US_${role}` } })
    const def: TransformDefinition = {
      type: 'lookup',
      attributes: {
        table: {
          USA: {
            type: 'lookup',
            attributes: { table: { Manager: access('Manager'), Employee: access('Employee'), default: 'x' } },
          },
          CAN: { type: 'static', attributes: {} },
          FRA: 'EMEA',
          GBR: null,
          default: { region: 'none' },
        },
      },
    }
    let caught: unknown
    try {
      compileTransform(def)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(TransformErrors)
    expect((caught as TransformErrors).errors.map((e) => e.message)).toEqual([
      'static: missing required attribute attributes.table["USA"].attributes.table["Manager"].attributes.value',
      'static: missing required attribute attributes.table["USA"].attributes.table["Employee"].attributes.value',
      'static: missing required attribute attributes.table["CAN"].attributes.value',
      'lookup: attributes.table["GBR"] has no value (write "" for an empty text)',
      'lookup: attributes.table["default"] must be a string or a transform',
    ])
    expect((caught as TransformErrors).message).toMatch(/^5 problems: static: missing required attribute/)
  })

  it('reports every broken value of a list at once', () => {
    expect(() =>
      compileTransform({
        type: 'concat',
        attributes: { values: [{ type: 'nope' }, 'a', { type: 'upper', attributes: { input: { x: 1 } } }] },
      }),
    ).toThrow(
      '2 problems: unknown transform type "nope" at attributes.values[0]; upper: attributes.values[2].attributes.input must be a string or a transform',
    )
  })

  it('docs (account attribute page): membership check through firstValid into lookup', () => {
    const def: TransformDefinition = {
      id: 'Contains IT Access',
      type: 'lookup',
      attributes: {
        input: {
          type: 'firstValid',
          attributes: {
            values: [
              {
                type: 'accountAttribute',
                attributes: {
                  accountPropertyFilter: '(memberOf.contains("All AD Users-rshwart"))',
                  attributeName: 'sAMAccountName',
                  sourceName: 'Active Directory',
                },
              },
              'FALSE',
            ],
          },
        },
        table: { FALSE: 'FALSE', default: 'TRUE' },
      },
    }
    const member = account('Active Directory', {
      sAMAccountName: 'rs',
      memberOf: ['All AD Users-rshwart', 'Other'],
    })
    const other = account('Active Directory', { sAMAccountName: 'rs', memberOf: ['Other'] })
    expect(evaluateTransform(def, { accounts: [member] })).toBe('TRUE')
    expect(evaluateTransform(def, { accounts: [other] })).toBe('FALSE')
  })

  it('a table value may be a nested transform', () => {
    const def: TransformDefinition = {
      type: 'lookup',
      attributes: { table: { a: { type: 'upper', attributes: { input: 'x' } } } },
    }
    expect(evaluateTransform(def, { input: 'a' })).toBe('X')
  })

  it('requires table', () => {
    expect(() => compileTransform({ type: 'lookup' })).toThrow(
      'lookup: missing required attribute attributes.table',
    )
  })
})
