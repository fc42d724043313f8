import { describe, expect, it } from 'vitest'
import { compileTransform, evaluateTransform } from './compile-transform.js'
import { seededRandom } from '../seeded-random.js'
import type { TransformContext, TransformDefinition } from './transform-types.js'

const seeded = seededRandom

describe('randomAlphaNumeric / randomNumeric', () => {
  it.each([
    [
      'randomAlphaNumeric — docs: no length → 32 characters',
      { type: 'randomAlphaNumeric' },
      /^[A-Za-z0-9]{32}$/,
    ],
    [
      'randomAlphaNumeric — docs: length "10"',
      { type: 'randomAlphaNumeric', attributes: { length: '10' } },
      /^[A-Za-z0-9]{10}$/,
    ],
    ['randomNumeric — docs: no length → 10 digits', { type: 'randomNumeric' }, /^\d{10}$/],
    ['randomNumeric — docs: length "6"', { type: 'randomNumeric', attributes: { length: '6' } }, /^\d{6}$/],
    ['randomNumeric — 450 is allowed', { type: 'randomNumeric', attributes: { length: 450 } }, /^\d{450}$/],
  ] as [string, TransformDefinition, RegExp][])('%s', (_name, def, shape) => {
    const compiled = compileTransform(def)
    // Without an injected random the system CSPRNG is used.
    const a = compiled.evaluate({})
    expect(a).toMatch(shape)
    expect(compiled.evaluate({})).not.toBe(a)
  })

  it('uses the injected random: same seed, same value; every character class occurs', () => {
    const def: TransformDefinition = { type: 'randomAlphaNumeric', attributes: { length: 200 } }
    const a = evaluateTransform(def, { random: seeded(7) })
    expect(evaluateTransform(def, { random: seeded(7) })).toBe(a)
    expect(evaluateTransform(def, { random: seeded(8) })).not.toBe(a)
    expect(a).toMatch(/[A-Z]/)
    expect(a).toMatch(/[a-z]/)
    expect(a).toMatch(/\d/)
  })

  it('random() = 0 picks the first character, a value just below 1 the last', () => {
    expect(evaluateTransform({ type: 'randomNumeric', attributes: { length: 3 } }, { random: () => 0 })).toBe(
      '000',
    )
    expect(
      evaluateTransform({ type: 'randomNumeric', attributes: { length: 3 } }, { random: () => 0.9999999 }),
    ).toBe('999')
  })

  it.each([
    ['randomAlphaNumeric', 451],
    ['randomNumeric', 1000],
    ['randomNumeric', 0],
    ['randomAlphaNumeric', -5],
  ])('%s refuses length %s (max 450, positive)', (type, length) => {
    expect(() => compileTransform({ type, attributes: { length } })).toThrow(
      `${type}: attributes.length must be between 1 and 450, got ${length}`,
    )
  })

  it('refuses a blank length', () => {
    expect(() => compileTransform({ type: 'randomNumeric', attributes: { length: 'ten' } })).toThrow(
      'randomNumeric: attributes.length must be an integer, got "ten"',
    )
  })
})

describe('uuid', () => {
  const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
  it('docs: a 36-character version 4 UUID', () => {
    const compiled = compileTransform({ type: 'uuid', name: 'UUID Generator Transform' })
    const a = compiled.evaluate({})
    expect(a).toMatch(V4)
    expect(a).toHaveLength(36)
    expect(compiled.evaluate({})).not.toBe(a)
  })

  it('is reproducible with an injected random', () => {
    const ctx = (): TransformContext => ({ random: seeded(42) })
    const a = evaluateTransform({ type: 'uuid' }, ctx())
    expect(a).toMatch(V4)
    expect(evaluateTransform({ type: 'uuid' }, ctx())).toBe(a)
  })
})

describe('rule generateRandomString', () => {
  const rule = (attributes: Record<string, unknown>): TransformDefinition => ({
    type: 'rule',
    attributes: {
      name: 'Cloud Services Deployment Utility',
      operation: 'generateRandomString',
      ...attributes,
    },
  })

  it('docs: 16 characters with letters, numbers and special characters', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const v = evaluateTransform(
        rule({ includeNumbers: 'true', includeSpecialChars: 'true', length: '16' }),
        { random: seeded(seed) },
      )
      expect(v).toMatch(/^[A-Za-z0-9!@#$%&*()+<>?]{16}$/)
      expect(v).toMatch(/[A-Za-z]/)
      expect(v).toMatch(/\d/)
      expect(v).toMatch(/[!@#$%&*()+<>?]/)
    }
  })

  it('docs: 8 characters with letters and numbers only', () => {
    const v = evaluateTransform(rule({ includeNumbers: 'true', includeSpecialChars: 'false', length: '8' }), {
      random: seeded(3),
    })
    expect(v).toMatch(/^[A-Za-z0-9]{8}$/)
    expect(v).toMatch(/\d/)
  })

  it('letters only when both flags are false', () => {
    expect(
      evaluateTransform(rule({ includeNumbers: false, includeSpecialChars: false, length: 30 }), {
        random: seeded(9),
      }),
    ).toMatch(/^[A-Za-z]{30}$/)
  })

  it('refuses a length over 450 and missing flags (docs: required)', () => {
    expect(() =>
      compileTransform(rule({ includeNumbers: 'true', includeSpecialChars: 'true', length: '451' })),
    ).toThrow('rule: attributes.length must be between 1 and 450, got 451')
    expect(() => compileTransform(rule({ includeSpecialChars: 'true', length: '8' }))).toThrow(
      'rule: missing required attribute attributes.includeNumbers',
    )
  })
})

describe('rule Create Password', () => {
  const password = (attributes: Record<string, unknown> = {}): TransformDefinition => ({
    type: 'rule',
    attributes: { name: 'Create Password', ...attributes },
  })

  it('defaults: 12 characters with an upper-case letter, a lower-case letter and a digit', () => {
    for (let seed = 1; seed <= 25; seed++) {
      const v = evaluateTransform(password(), { random: seeded(seed) })
      expect(v).toMatch(/^[A-Za-z0-9]{12}$/)
      expect(v).toMatch(/[A-Z]/)
      expect(v).toMatch(/[a-z]/)
      expect(v).toMatch(/\d/)
    }
  })

  it('meets a policy given as attributes', () => {
    const policy = { length: 20, minUpper: 3, minLower: 2, minNumeric: 4, minSpecial: 5 }
    for (let seed = 1; seed <= 25; seed++) {
      const v = evaluateTransform(password(policy), { random: seeded(seed) }) ?? ''
      expect(v).toHaveLength(20)
      expect(v.replace(/[^A-Z]/g, '').length).toBeGreaterThanOrEqual(3)
      expect(v.replace(/[^a-z]/g, '').length).toBeGreaterThanOrEqual(2)
      expect(v.replace(/[^0-9]/g, '').length).toBeGreaterThanOrEqual(4)
      expect(v.replace(/[^!@#$%&*()+<>?]/g, '').length).toBeGreaterThanOrEqual(5)
    }
  })

  it('reads the policy from the field attributes too', () => {
    const v =
      compileTransform(password(), { fieldAttributes: { length: '30', minSpecial: '2' } }).evaluate({
        random: seeded(5),
      }) ?? ''
    expect(v).toHaveLength(30)
    expect(v.replace(/[^!@#$%&*()+<>?]/g, '').length).toBeGreaterThanOrEqual(2)
  })

  it('refuses minimums that do not fit in the length', () => {
    expect(() => compileTransform(password({ length: 4, minUpper: 2, minNumeric: 3 }))).toThrow(
      'rule: Create Password: the minimums add up to 6, more than length 4',
    )
  })
})
