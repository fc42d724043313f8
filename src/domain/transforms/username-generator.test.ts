import { describe, expect, it } from 'vitest'
import { compileTransform } from './compile-transform.js'
import type { TransformContext, TransformDefinition } from './transform-types.js'

/** Uniqueness against a set of taken ids; records every check. */
function taken(...ids: string[]): { ctx: Pick<TransformContext, 'isUnique'>; checked: string[] } {
  const set = new Set(ids)
  const checked: string[] = []
  return {
    checked,
    ctx: {
      isUnique: (v) => {
        checked.push(v)
        return !set.has(v)
      },
    },
  }
}

const identityAttr = (name: string): TransformDefinition => ({
  type: 'identityAttribute',
  attributes: { name },
})
const initial = (name: string): TransformDefinition => ({
  type: 'substring',
  attributes: { input: identityAttr(name), begin: 0, end: 1 },
})

describe('usernameGenerator', () => {
  // The docs' examples show lower-case results for "John Doe"; patterns are rendered as written, so the
  // identity data here is lower case (add a lower transform or .toLowerCase() for mixed-case data).
  const jdoe: TransformDefinition = {
    type: 'usernameGenerator',
    attributes: {
      sourceCheck: true,
      patterns: ['$fi$ln${uniqueCounter}'],
      ln: identityAttr('lastname'),
      fi: initial('firstname'),
    },
  }
  const john = { identity: { firstname: 'john', lastname: 'doe' } }
  const field = { cloudMaxSize: '100', cloudMaxUniqueChecks: '25', cloudRequired: 'true' }

  it('docs: first try jdoe', () => {
    const { ctx, checked } = taken()
    expect(compileTransform(jdoe, { fieldAttributes: field }).evaluate({ ...john, ...ctx })).toBe('jdoe')
    expect(checked).toEqual(['jdoe'])
  })

  it('docs: jdoe taken → jdoe1, then jdoe2', () => {
    const compiled = compileTransform(jdoe, { fieldAttributes: field })
    expect(compiled.evaluate({ ...john, ...taken('jdoe').ctx })).toBe('jdoe1')
    const { ctx, checked } = taken('jdoe', 'jdoe1')
    expect(compiled.evaluate({ ...john, ...ctx })).toBe('jdoe2')
    expect(checked).toEqual(['jdoe', 'jdoe1', 'jdoe2'])
  })

  it('docs: up to jdoe25, then IllegalStateException', () => {
    const all = ['jdoe', ...Array.from({ length: 25 }, (_, i) => `jdoe${i + 1}`)]
    const compiled = compileTransform(jdoe, { fieldAttributes: field })
    expect(compiled.evaluate({ ...john, ...taken(...all.slice(0, 25)).ctx })).toBe('jdoe25')
    const { ctx, checked } = taken(...all)
    expect(() => compiled.evaluate({ ...john, ...ctx })).toThrow(
      'usernameGenerator: IllegalStateException: no unique value for pattern "$fi$ln${uniqueCounter}" after 26 checks (cloudMaxUniqueChecks 25)',
    )
    expect(checked.at(-1)).toBe('jdoe25')
  })

  it('docs: adam.smith, adam.smith1 … adam.smith10 with cloudMaxUniqueChecks 10', () => {
    const def: TransformDefinition = {
      type: 'usernameGenerator',
      attributes: {
        sourceCheck: true,
        patterns: ['$fn.$ln${uniqueCounter}'],
        fn: identityAttr('firstname'),
        ln: identityAttr('lastname'),
      },
    }
    const compiled = compileTransform(def, {
      fieldAttributes: { cloudMaxSize: '100', cloudMaxUniqueChecks: '10' },
    })
    const adam = { identity: { firstname: 'adam', lastname: 'smith' } }
    expect(compiled.evaluate({ ...adam, ...taken().ctx })).toBe('adam.smith')
    const nine = ['adam.smith', ...Array.from({ length: 9 }, (_, i) => `adam.smith${i + 1}`)]
    expect(compiled.evaluate({ ...adam, ...taken(...nine).ctx })).toBe('adam.smith10')
    expect(() => compiled.evaluate({ ...adam, ...taken(...nine, 'adam.smith10').ctx })).toThrow(
      /IllegalStateException/,
    )
  })

  describe('docs structure: distinguishedName with three patterns', () => {
    const dn: TransformDefinition = {
      type: 'usernameGenerator',
      attributes: {
        sourceCheck: true,
        patterns: [
          'CN=$fi.$ln,OU=Users,DC=YourDomain,DC=com',
          'CN=$fn.$ln,OU=Users,DC=YourDomain,DC=com',
          'CN=$fn.$mi.$ln${uniqueCounter},OU=Users,DC=YourDomain,DC=com',
        ],
        fn: identityAttr('firstname'),
        ln: identityAttr('lastname'),
        fi: initial('firstname'),
        mi: initial('middlename'),
      },
    }
    const compiled = compileTransform(dn, {
      fieldAttributes: { cloudMaxSize: '100', cloudMaxUniqueChecks: '5', cloudRequired: 'true' },
    })
    const ctxFor = (identity: Record<string, unknown>, ...ids: string[]): TransformContext => ({
      identity,
      ...taken(...ids).ctx,
    })
    const jqp = { firstname: 'John', middlename: 'Quincy', lastname: 'Public' }

    it('first pattern when free', () => {
      expect(compiled.evaluate(ctxFor(jqp))).toBe('CN=J.Public,OU=Users,DC=YourDomain,DC=com')
    })

    it('then the second pattern', () => {
      expect(compiled.evaluate(ctxFor(jqp, 'CN=J.Public,OU=Users,DC=YourDomain,DC=com'))).toBe(
        'CN=John.Public,OU=Users,DC=YourDomain,DC=com',
      )
    })

    it('then the counter pattern: empty counter first, then 1', () => {
      const firstTwo = [
        'CN=J.Public,OU=Users,DC=YourDomain,DC=com',
        'CN=John.Public,OU=Users,DC=YourDomain,DC=com',
      ]
      expect(compiled.evaluate(ctxFor(jqp, ...firstTwo))).toBe(
        'CN=John.Q.Public,OU=Users,DC=YourDomain,DC=com',
      )
      expect(
        compiled.evaluate(ctxFor(jqp, ...firstTwo, 'CN=John.Q.Public,OU=Users,DC=YourDomain,DC=com')),
      ).toBe('CN=John.Q.Public1,OU=Users,DC=YourDomain,DC=com')
    })

    it('a pattern whose variable is empty (no middle name) is skipped', () => {
      const noMiddle = { firstname: 'John', lastname: 'Public' }
      const firstTwo = [
        'CN=J.Public,OU=Users,DC=YourDomain,DC=com',
        'CN=John.Public,OU=Users,DC=YourDomain,DC=com',
      ]
      expect(() => compiled.evaluate(ctxFor(noMiddle, ...firstTwo))).toThrow(
        'usernameGenerator: IllegalStateException: no unique value after 2 checks and no pattern with $uniqueCounter left',
      )
    })
  })

  it('every pattern skipped → an error listing why', () => {
    const def: TransformDefinition = {
      type: 'usernameGenerator',
      attributes: { patterns: ['$a.$b'], a: identityAttr('x'), b: 'b' },
    }
    expect(() => compileTransform(def).evaluate({ identity: {} })).toThrow(
      'usernameGenerator: no pattern could be used: "$a.$b" skipped: $a is empty',
    )
  })

  it('cloudMaxSize truncates before the uniqueness check, keeping the counter', () => {
    const def: TransformDefinition = {
      type: 'usernameGenerator',
      attributes: { patterns: ['$ln${uniqueCounter}'], ln: identityAttr('lastname') },
    }
    const compiled = compileTransform(def, { fieldAttributes: { cloudMaxSize: 8 } })
    const ctx = { identity: { lastname: 'wolfeschlegel' } }
    const first = taken()
    expect(compiled.evaluate({ ...ctx, ...first.ctx })).toBe('wolfesch')
    const second = taken('wolfesch')
    expect(compiled.evaluate({ ...ctx, ...second.ctx })).toBe('wolfesc1')
    expect(second.checked).toEqual(['wolfesch', 'wolfesc1'])
  })

  it('without isUnique every value is unique', () => {
    expect(
      compileTransform({
        type: 'usernameGenerator',
        attributes: { patterns: ['$n${uniqueCounter}'], n: 'x' },
      }).evaluate({}),
    ).toBe('x')
  })

  it('a pattern without variables is a constant candidate', () => {
    const compiled = compileTransform({
      type: 'usernameGenerator',
      attributes: { patterns: ['admin', 'admin${uniqueCounter}'] },
    })
    expect(compiled.evaluate(taken('admin', 'admin1').ctx)).toBe('admin2')
  })

  it('patterns may use Velocity methods and account-profile fields', () => {
    const def: TransformDefinition = {
      type: 'usernameGenerator',
      attributes: { patterns: ['${givenName.toLowerCase()}${uniqueCounter}'] },
    }
    expect(compileTransform(def).evaluate({ fields: { givenName: 'ANN' }, ...taken('ann').ctx })).toBe('ann1')
  })

  it('cloudMaxUniqueChecks: at most 50, a positive integer', () => {
    const def: TransformDefinition = {
      type: 'usernameGenerator',
      attributes: { patterns: ['x${uniqueCounter}'] },
    }
    expect(() => compileTransform(def, { fieldAttributes: { cloudMaxUniqueChecks: 51 } })).toThrow(
      'usernameGenerator: cloudMaxUniqueChecks must be at most 50, got 51',
    )
    expect(() => compileTransform(def, { fieldAttributes: { cloudMaxUniqueChecks: 'many' } })).toThrow(
      'usernameGenerator: cloudMaxUniqueChecks must be a positive integer, got "many"',
    )
  })

  it('defaults to 50 unique checks', () => {
    const def: TransformDefinition = {
      type: 'usernameGenerator',
      attributes: { patterns: ['x${uniqueCounter}'] },
    }
    const { ctx, checked } = taken(...['x', ...Array.from({ length: 50 }, (_, i) => `x${i + 1}`)])
    expect(() => compileTransform(def).evaluate(ctx)).toThrow(/after 51 checks \(cloudMaxUniqueChecks 50\)/)
    expect(checked).toHaveLength(51)
  })

  it('requires patterns, a non-empty array of strings', () => {
    expect(() => compileTransform({ type: 'usernameGenerator' })).toThrow(
      'usernameGenerator: missing required attribute attributes.patterns',
    )
    expect(() => compileTransform({ type: 'usernameGenerator', attributes: { patterns: [] } })).toThrow(
      'usernameGenerator: attributes.patterns must be a non-empty array of strings',
    )
  })
})
