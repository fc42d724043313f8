import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

/**
 * Credential secrets at rest: scrypt (memory-hard, built into Node), with a random salt and the parameters
 * stored beside the hash, so that stronger parameters later still check the hashes made before.
 * Stored as `scrypt$N$r$p$salt$hash` (base64url).
 */
const PARAMS = { N: 2 ** 15, r: 8, p: 1 } as const
const KEY_LENGTH = 32

/** scrypt's cost parameters: memory 128·N·r bytes, time about that times p. */
export interface ScryptParams {
  readonly N: number
  readonly r: number
  readonly p: number
}

/**
 * Passwords are chosen by people and guessable, unlike the 256-bit random secrets of credentials: they get
 * OWASP's recommended scrypt cost (N=2^16, r=8, p=2: 64 MiB and twice the work of a credential's hash).
 */
export const PASSWORD_PARAMS: ScryptParams = { N: 2 ** 16, r: 8, p: 2 }

function derive(secret: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node's default ceiling (32 MiB) is exactly that for N=2^15, r=8.
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r }
  return new Promise((resolve, reject) => {
    scrypt(secret, salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key)))
  })
}

export async function hashSecret(secret: string, params: ScryptParams = PARAMS): Promise<string> {
  const salt = randomBytes(16)
  const hash = await derive(secret, salt, params)
  return [
    'scrypt',
    params.N,
    params.r,
    params.p,
    salt.toString('base64url'),
    hash.toString('base64url'),
  ].join('$')
}

/** Whether `secret` is the one `stored` was made from; false for anything that is not such a hash. */
export async function checkSecret(secret: string, stored: string): Promise<boolean> {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number]
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0)) return false
  const expected = Buffer.from(parts[5] ?? '', 'base64url')
  const actual = await derive(secret, Buffer.from(parts[4] ?? '', 'base64url'), { N, r, p })
  return actual.length === expected.length && timingSafeEqual(actual, expected)
}

/**
 * A hash no secret matches, checked when a client id is unknown: the answer then takes as long as for a
 * wrong secret, and the time tells nothing about which client ids exist.
 */
export const DECOY_HASH = decoyHash(PARAMS)

/** A decoy of these parameters: a password's decoy must cost what a password's hash costs. */
export function decoyHash(params: ScryptParams): string {
  return ['scrypt', params.N, params.r, params.p, 'AAAAAAAAAAAAAAAAAAAAAA', 'A'.repeat(43)].join('$')
}
