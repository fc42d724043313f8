import { describe, expect, it } from 'vitest'
import { TransformError } from '../errors.js'
import { compileTransform, evaluateTransform, TRANSFORM_TYPES } from './index.js'
import type { TransformDefinition, TransformResolver } from './transform-types.js'

// The v3 API's `Transform.type` enum, in its order.
const V3_TYPES = [
  'accountAttribute',
  'base64Decode',
  'base64Encode',
  'concat',
  'conditional',
  'dateCompare',
  'dateFormat',
  'dateMath',
  'decomposeDiacriticalMarks',
  'e164phone',
  'firstValid',
  'rule',
  'identityAttribute',
  'indexOf',
  'iso3166',
  'lastIndexOf',
  'leftPad',
  'lookup',
  'lower',
  'normalizeNames',
  'randomAlphaNumeric',
  'randomNumeric',
  'reference',
  'replaceAll',
  'replace',
  'rightPad',
  'split',
  'static',
  'substring',
  'trim',
  'upper',
  'usernameGenerator',
  'uuid',
  'displayName',
  'rfc5646',
]

const workspace = (
  defs: Record<string, TransformDefinition>,
): { resolve: TransformResolver; calls: string[] } => {
  const calls: string[] = []
  return {
    calls,
    resolve: (id) => {
      calls.push(id)
      return defs[id]
    },
  }
}

describe('compileTransform', () => {
  it('implements every type of the v3 API, plus the documented join', () => {
    expect([...TRANSFORM_TYPES].sort()).toEqual([...V3_TYPES, 'join'].sort())
  })

  it('refuses an unknown type and a definition without one', () => {
    expect(() => compileTransform({ type: 'camelCase' })).toThrow('unknown transform type "camelCase"')
    expect(() => compileTransform({ type: 'concat', attributes: { values: [{ type: 'nope' }] } })).toThrow(
      'unknown transform type "nope" at attributes.values[0]',
    )
    expect(() => compileTransform({} as TransformDefinition)).toThrow(
      'transform must be an object with a string "type"',
    )
    expect(() =>
      compileTransform({ type: 'lower', attributes: [] as unknown as Record<string, unknown> }),
    ).toThrow('lower: attributes must be an object')
  })

  it('a missing attribute of a nested transform is named by its full path', () => {
    const def: TransformDefinition = {
      type: 'concat',
      attributes: {
        values: ['a', { type: 'lower', attributes: { input: { type: 'lookup', attributes: {} } } }],
      },
    }
    expect(() => compileTransform(def)).toThrow(
      'lookup: missing required attribute attributes.values[1].attributes.input.attributes.table',
    )
  })

  it('an attribute that is an object but not a transform is refused', () => {
    expect(() => compileTransform({ type: 'lower', attributes: { input: { value: 'x' } } })).toThrow(
      'lower: attributes.input must be a string or a transform (an object with a "type")',
    )
  })

  it('every error is a TransformError', () => {
    expect(() => compileTransform({ type: 'leftPad' })).toThrow(TransformError)
    expect(() => evaluateTransform({ type: 'lookup', attributes: { table: {} } }, { input: 'x' })).toThrow(
      TransformError,
    )
  })

  it('a non-TransformError failure during evaluation becomes a one-line TransformError', () => {
    const def: TransformDefinition = { type: 'replace', attributes: { regex: '(a)', replacement: '$2' } }
    let caught: unknown
    try {
      evaluateTransform(def, { input: 'abc' })
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(TransformError)
    expect((caught as Error).message).toBe('replace: no group 2')
  })

  it('accepts requiresPeriodicRefresh, name and id at any level', () => {
    const def: TransformDefinition = {
      id: 'x',
      name: 'Upper',
      requiresPeriodicRefresh: true,
      type: 'upper',
      attributes: {
        requiresPeriodicRefresh: 'true',
        input: { type: 'trim', attributes: { requiresPeriodicRefresh: false } },
      },
    }
    expect(evaluateTransform(def, { input: ' a ' })).toBe('A')
  })

  it('the explicit input wins over the implicit one; nested transforms inherit the implicit one', () => {
    expect(
      evaluateTransform({ type: 'lower', attributes: { input: 'EXPLICIT' } }, { input: 'IMPLICIT' }),
    ).toBe('explicit')
    expect(
      evaluateTransform({ type: 'lower', attributes: { input: { type: 'trim' } } }, { input: ' IMPLICIT ' }),
    ).toBe('implicit')
  })

  it('compiles once and evaluates many contexts', () => {
    const compiled = compileTransform({ type: 'substring', attributes: { begin: 0, end: 1 } })
    expect(compiled.type).toBe('substring')
    expect(['Ann', 'Bob', null].map((input) => compiled.evaluate({ input }))).toEqual(['A', 'B', null])
  })
})

describe('nesting', () => {
  it('nests to any depth', () => {
    let def: TransformDefinition = { type: 'identityAttribute', attributes: { name: 'n' } }
    for (let i = 0; i < 500; i++) def = { type: i % 2 === 0 ? 'upper' : 'lower', attributes: { input: def } }
    expect(evaluateTransform(def, { identity: { n: 'MiXeD' } })).toBe('mixed')
  })

  it('nests through every kind of slot: input, values[], named variables, table values, conditions, dates', () => {
    const def: TransformDefinition = {
      type: 'static',
      attributes: {
        first: {
          type: 'firstValid',
          attributes: {
            values: [
              { type: 'accountAttribute', attributes: { sourceName: 'HR', attributeName: 'nick' } },
              {
                type: 'normalizeNames',
                attributes: { input: { type: 'identityAttribute', attributes: { name: 'given' } } },
              },
            ],
          },
        },
        region: {
          type: 'lookup',
          attributes: {
            input: {
              type: 'iso3166',
              attributes: { input: { type: 'identityAttribute', attributes: { name: 'country' } } },
            },
            table: { ES: { type: 'concat', attributes: { values: ['EM', 'EA'] } }, default: 'OTHER' },
          },
        },
        tenure: {
          type: 'dateCompare',
          attributes: {
            firstDate: {
              type: 'dateFormat',
              attributes: {
                input: { type: 'identityAttribute', attributes: { name: 'hired' } },
                inputFormat: 'PEOPLE_SOFT',
              },
            },
            secondDate: { type: 'dateMath', attributes: { expression: 'now-10y' } },
            operator: 'LT',
            positiveCondition: { type: 'upper', attributes: { input: 'veteran' } },
            negativeCondition: 'new',
          },
        },
        value: '$first/$region/$tenure',
      },
    }
    const ctx = {
      now: () => new Date('2024-01-01T00:00:00Z'),
      identity: { given: 'ÉLODIE', country: 'España', hired: '02/01/2001' },
    }
    expect(evaluateTransform(def, ctx)).toBe('Élodie/EMEA/VETERAN')
  })
})

describe('reference', () => {
  const defs: Record<string, TransformDefinition> = {
    'Get Display Name': { type: 'displayName', attributes: {} },
    'Get Worker Type': {
      type: 'lookup',
      attributes: {
        input: { type: 'identityAttribute', attributes: { name: 'type' } },
        table: { E: 'Employee', default: 'Contractor' },
      },
    },
    'Build Display Name': { type: 'reference', attributes: { id: 'Get Display Name' } },
    Trimmed: { type: 'trim' },
    A: { type: 'reference', attributes: { id: 'B' } },
    B: { type: 'lower', attributes: { input: { type: 'reference', attributes: { id: 'A' } } } },
    Self: { type: 'upper', attributes: { input: { type: 'reference', attributes: { id: 'Self' } } } },
  }
  const ctx = { identity: { firstname: 'John', lastname: 'Smith', type: 'E' } }

  it('docs: "Get Worker Type" evaluates as if inline', () => {
    const { resolve } = workspace(defs)
    expect(
      evaluateTransform({ type: 'reference', attributes: { id: 'Get Worker Type' } }, ctx, { resolve }),
    ).toBe('Employee')
  })

  it('docs: "John Smith - Employee" from two references in a concat', () => {
    const { resolve } = workspace(defs)
    const def: TransformDefinition = {
      type: 'concat',
      attributes: {
        values: [
          { type: 'reference', attributes: { id: 'Get Display Name' } },
          ' - ',
          { type: 'reference', attributes: { id: 'Get Worker Type' } },
        ],
      },
    }
    expect(evaluateTransform(def, ctx, { resolve })).toBe('John Smith - Employee')
  })

  it('a reference to a reference; each id is resolved once per compilation', () => {
    const { resolve, calls } = workspace(defs)
    const def: TransformDefinition = {
      type: 'join',
      attributes: {
        separator: '|',
        values: [
          { type: 'reference', attributes: { id: 'Build Display Name' } },
          { type: 'reference', attributes: { id: 'Get Display Name' } },
          { type: 'reference', attributes: { id: 'Build Display Name' } },
        ],
      },
    }
    expect(evaluateTransform(def, ctx, { resolve })).toBe('John Smith|John Smith|John Smith')
    expect(calls).toEqual(['Build Display Name', 'Get Display Name'])
  })

  it("docs: an explicit input becomes the referenced transform's input", () => {
    const { resolve } = workspace(defs)
    expect(
      evaluateTransform(
        { type: 'reference', attributes: { id: 'Trimmed', input: '  x  ' } },
        { input: 'implicit ' },
        { resolve },
      ),
    ).toBe('x')
    expect(
      evaluateTransform(
        { type: 'reference', attributes: { id: 'Trimmed' } },
        { input: ' implicit ' },
        { resolve },
      ),
    ).toBe('implicit')
  })

  it('detects reference cycles', () => {
    const { resolve } = workspace(defs)
    expect(() => compileTransform({ type: 'reference', attributes: { id: 'A' } }, { resolve })).toThrow(
      'reference: reference cycle: "A" → "B" → "A"',
    )
    expect(() => compileTransform({ type: 'reference', attributes: { id: 'Self' } }, { resolve })).toThrow(
      'reference: reference cycle: "Self" → "Self"',
    )
  })

  it('an unknown id, or no resolver, is an error when compiling', () => {
    const { resolve } = workspace(defs)
    expect(() => compileTransform({ type: 'reference', attributes: { id: 'Nope' } }, { resolve })).toThrow(
      'reference: no transform named "Nope"',
    )
    expect(() => compileTransform({ type: 'reference', attributes: { id: 'A' } })).toThrow(
      'reference: cannot resolve "A": no transform resolver was given',
    )
    expect(() => compileTransform({ type: 'reference' }, { resolve })).toThrow(
      'reference: missing required attribute attributes.id',
    )
  })
})
