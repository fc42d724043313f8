import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * A new random bearer value (session id, CSRF token, refresh token, invitation token): 256 bits,
 * base64url, fit for a cookie or a URL path.
 */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url')
}

/**
 * How an opaque token is stored and looked up: SHA-256, hex. A slow hash is for guessable secrets
 * (passwords); 256 random bits cannot be guessed, and a fast hash lets the store find the row by it.
 */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

/** Whether a presented token is the one a stored hash was made from, in constant time. */
export function matchesTokenHash(token: string, storedHash: string): boolean {
  const a = Buffer.from(tokenHash(token), 'hex')
  const b = Buffer.from(storedHash, 'hex')
  return a.length === b.length && timingSafeEqual(a, b)
}
