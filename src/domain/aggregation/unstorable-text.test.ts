import { describe, expect, it } from 'vitest'
import { printable, unstorableAttribute, unstorableText, wellFormed } from './unstorable-text.js'

describe('unstorableText', () => {
  it('names a NUL and a lone surrogate, and accepts surrogate pairs', () => {
    expect(unstorableText('plain text, é, 😀')).toBeUndefined()
    expect(unstorableText('a\u0000b')).toBe('holds a NUL character (\\0) at position 2')
    expect(unstorableText('x\ud800')).toBe('holds a lone UTF-16 surrogate (U+D800) at position 2')
    expect(unstorableText('\udc00😀')).toBe('holds a lone UTF-16 surrogate (U+DC00) at position 1')
    expect(unstorableText('😀\ud83d')).toBe('holds a lone UTF-16 surrogate (U+D83D) at position 3')
  })

  it('finds the attribute, in text or in a list', () => {
    expect(unstorableAttribute({ a: 'ok', n: 1, b: true, z: null, l: ['x'] })).toBeUndefined()
    expect(unstorableAttribute({ a: 'ok', groups: ['g', 'h\u0000'] })).toEqual({
      attribute: 'groups',
      problem: 'holds a NUL character (\\0) at position 2',
    })
  })

  it('escapes what it shows, and replaces lone surrogates as a UTF-8 encoder does', () => {
    expect(printable('a\u0000\ud800b')).toBe('a\\u0000\\ud800b')
    expect(wellFormed('a\ud800b😀\udc00')).toBe('a\ufffdb😀\ufffd')
  })
})
