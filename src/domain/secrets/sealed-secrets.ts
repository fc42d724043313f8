import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import { InputError } from '../errors.js'

/**
 * Secrets at rest (a generated password waiting in a manual task): AES-256-GCM with a key kept outside
 * the database. Each ciphertext names its key by an id derived from the key, so that after a rotation the
 * old keys still open what they sealed, and a missing key is named in the error.
 */

/** One 256-bit key and its id (the first 16 hex digits of a SHA-256 over it: names it, reveals nothing). */
export interface SecretKey {
  readonly id: string
  readonly key: Buffer
}

/** The keys a workspace has: `current` seals, every key (current included) opens. */
export interface KeyRing {
  readonly current: SecretKey
  readonly keys: readonly SecretKey[]
}

/** What is stored: the values of a task's secret fields, sealed together. */
export interface SealedSecrets {
  readonly alg: 'A256GCM'
  readonly kid: string
  readonly iv: string
  readonly ct: string
  readonly tag: string
}

export function secretKey(key: Buffer): SecretKey {
  if (key.length !== 32) throw new InputError(`a secrets key must be 32 bytes, got ${key.length}`)
  const id = createHash('sha256').update('provisio-secrets-key-id:').update(key).digest('hex').slice(0, 16)
  return { id, key }
}

export function newSecretKey(): SecretKey {
  return secretKey(randomBytes(32))
}

/** A key written as base64 (or base64url) of 32 bytes; `where` names its place in errors, never its value. */
export function parseSecretKey(text: string, where: string): SecretKey {
  const trimmed = text.trim()
  if (!/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    throw new InputError(`${where}: not a secrets key (base64 of 32 random bytes: openssl rand -base64 32)`)
  }
  return secretKey(Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64'))
}

export function formatSecretKey(key: SecretKey): string {
  return key.key.toString('base64')
}

export function isSealed(value: unknown): value is SealedSecrets {
  return typeof value === 'object' && value !== null && (value as { alg?: unknown }).alg === 'A256GCM'
}

/**
 * Seals `secrets` with the ring's current key. `context` (the task's request id) is authenticated with
 * them, so a sealed value copied onto another task does not open there.
 */
export function sealSecrets(
  ring: KeyRing,
  secrets: Readonly<Record<string, string>>,
  context: string,
): SealedSecrets {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', ring.current.key, iv)
  cipher.setAAD(Buffer.from(context, 'utf8'))
  const ct = Buffer.concat([cipher.update(JSON.stringify(secrets), 'utf8'), cipher.final()])
  return {
    alg: 'A256GCM',
    kid: ring.current.id,
    iv: iv.toString('base64'),
    ct: ct.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  }
}

/** Opens what sealSecrets sealed; `where` says where the keys come from, for the error when one is missing. */
export function openSecrets(
  ring: KeyRing | undefined,
  sealed: SealedSecrets,
  context: string,
  where: string,
): Record<string, string> {
  const key = ring?.keys.find((k) => k.id === sealed.kid)
  if (!key) {
    throw new InputError(
      `the secrets of this task were encrypted with key ${sealed.kid}, which is not among the keys (${where})`,
    )
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, Buffer.from(sealed.iv, 'base64'))
    decipher.setAAD(Buffer.from(context, 'utf8'))
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'))
    const text = Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()])
    return JSON.parse(text.toString('utf8')) as Record<string, string>
  } catch (err) {
    throw new InputError(
      `the secrets of this task do not decrypt with key ${sealed.kid}: they were altered or moved`,
      { cause: err },
    )
  }
}
