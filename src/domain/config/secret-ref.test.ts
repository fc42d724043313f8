import { describe, expect, it } from 'vitest'
import { findPlainSecrets, isSecretRef, resolveSecret } from './secret-ref.js'

describe('secret references', () => {
  it('recognises ${env:NAME} and ${file:PATH}, nothing else', () => {
    expect(isSecretRef('${env:LDAP_PASSWORD}')).toBe(true)
    expect(isSecretRef('${file:secrets/ldap-admin}')).toBe(true)
    expect(isSecretRef('${env:1BAD}')).toBe(false)
    expect(isSecretRef('${vault:x}')).toBe(false)
    expect(isSecretRef('hunter2')).toBe(false)
  })

  it('flags plain values under secret-looking keys, with their path', () => {
    expect(
      findPlainSecrets(
        { password: 'hunter2', auth: { token: '${file:t}' }, apiKey: '${env:K}', user: 'x' },
        'connectorAttributes',
      ),
    ).toEqual(['connectorAttributes.password'])
  })

  it('does not take settings about a password for a password', () => {
    expect(
      findPlainSecrets(
        { passwordAttribute: 'unicodePwd', passwordHashing: 'ssha', tokenUrl: 'https://x/token' },
        'connectorAttributes',
      ),
    ).toEqual([])
  })

  it('resolves an environment variable, and says which one is missing', () => {
    expect(resolveSecret('${env:P}', { P: 's3cret' })).toBe('s3cret')
    expect(() => resolveSecret('${env:NOPE}', {})).toThrow('environment variable NOPE is not set')
    expect(resolveSecret('plain', {})).toBe('plain')
  })

  it('reads a file through the caller, without its trailing newline; refuses without a reader', () => {
    const read = (path: string): string => (path === 'secrets/p' ? 'from-file\n' : '')
    expect(resolveSecret('${file:secrets/p}', {}, read)).toBe('from-file')
    expect(() => resolveSecret('${file:secrets/p}', {})).toThrow('cannot be used here')
  })
})
