import { describe, expect, it } from 'vitest'
import { adUnicodePwd, hashPassword, isPasswordHash, verifyPassword } from './password-hash.js'

describe('password hashes', () => {
  it('makes salted hashes that verify the password and no other', () => {
    for (const scheme of ['SSHA', 'SSHA512'] as const) {
      const a = hashPassword(scheme, 'pässword')
      expect(a).toMatch(new RegExp(`^\\{${scheme}\\}[A-Za-z0-9+/]+=*$`))
      expect(verifyPassword(a, 'pässword')).toBe(true)
      expect(verifyPassword(a, 'password')).toBe(false)
      // Salted: the same password hashes differently each time.
      expect(hashPassword(scheme, 'pässword')).not.toBe(a)
      expect(isPasswordHash(a)).toBe(true)
    }
  })

  it('verifies what slappasswd makes', () => {
    // slappasswd -s secret
    expect(verifyPassword('{SSHA}7zc5v60lOLJmM4CbtgVjP7WgnLyPQS7y', 'secret')).toBe(true)
    expect(verifyPassword('{SSHA}7zc5v60lOLJmM4CbtgVjP7WgnLyPQS7y', 'Secret')).toBe(false)
    expect(verifyPassword('{SSHA}', 'secret')).toBe(false)
    expect(verifyPassword('secret', 'secret')).toBe(false)
  })

  it("writes Active Directory's unicodePwd: the quoted password in UTF-16LE", () => {
    expect(adUnicodePwd('Ab1!').toString('hex')).toBe('220041006200310021002200')
  })
})
