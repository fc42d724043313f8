import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * Salted password hashes in the RFC 2307 form that LDAP directories store in `userPassword` and check a
 * bind against: `{SSHA}` (SHA-1, what every OpenLDAP and 389 DS knows) and `{SSHA512}` (389 DS; OpenLDAP
 * with its pw-sha2 module). Also how the memory connector keeps a password it was given.
 */
export type PasswordScheme = 'SSHA' | 'SSHA512'

const DIGEST: Record<PasswordScheme | 'SSHA256', { algorithm: string; length: number }> = {
  SSHA: { algorithm: 'sha1', length: 20 },
  SSHA256: { algorithm: 'sha256', length: 32 },
  SSHA512: { algorithm: 'sha512', length: 64 },
}

export function hashPassword(scheme: PasswordScheme, password: string, salt = randomBytes(8)): string {
  const digest = createHash(DIGEST[scheme].algorithm).update(password, 'utf8').update(salt).digest()
  return `{${scheme}}${Buffer.concat([digest, salt]).toString('base64')}`
}

/** Whether `stored` is a salted hash (of a scheme above, or {SSHA256}) of `password`. */
export function verifyPassword(stored: string, password: string): boolean {
  const match = /^\{(SSHA|SSHA256|SSHA512)\}([A-Za-z0-9+/=]+)$/.exec(stored)
  if (!match) return false
  const { algorithm, length } = DIGEST[match[1] as keyof typeof DIGEST]
  const raw = Buffer.from(match[2] as string, 'base64')
  if (raw.length <= length) return false
  const digest = createHash(algorithm).update(password, 'utf8').update(raw.subarray(length)).digest()
  return timingSafeEqual(digest, raw.subarray(0, length))
}

/** Whether a value already is such a hash (so it is not hashed twice). */
export function isPasswordHash(value: string): boolean {
  return /^\{[A-Z0-9-]+\}\S+$/.test(value)
}

/**
 * Active Directory's `unicodePwd`: the password in double quotes, UTF-16LE. AD hashes it itself and takes
 * it only over an encrypted connection (ldaps:// or StartTLS).
 */
export function adUnicodePwd(password: string): Buffer {
  return Buffer.from(`"${password}"`, 'utf16le')
}
