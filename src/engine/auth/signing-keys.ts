import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose'
import { InputError } from '../../domain/errors.js'
import { openSecrets, sealSecrets } from '../../domain/secrets/sealed-secrets.js'
import {
  currentSigningKey,
  insertFirstSigningKey,
  replaceSigningKey,
  type SigningKey,
  type SigningKeyWrite,
} from '../../store/auth-signing-keys.js'
import type { EngineContext } from '../engine-context.js'
import { keyPlaces, keyRingForSealing, readKeyRing } from '../secrets/secrets-key-ring.js'
import { MAX_TOKEN_SECONDS } from './token-lifetime.js'

type Env = Readonly<Record<string, string | undefined>>

export const SIGNING_ALGORITHM = 'ES256'

/** What a sealed private JWK is bound to: copied onto another key's row, it does not open. */
function sealContext(kid: string): string {
  return `auth-signing-key:${kid}`
}

async function newSigningKey(ctx: EngineContext, env: Env): Promise<SigningKeyWrite> {
  const { publicKey, privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true })
  const publicJwk = await exportJWK(publicKey)
  const privateJwk = await exportJWK(privateKey)
  const kid = `${ctx.now().toISOString().slice(0, 10)}-${Buffer.from(publicJwk.x ?? '', 'base64url')
    .toString('hex')
    .slice(0, 16)}`
  const ring = keyRingForSealing(ctx.config.dir, env)
  return {
    kid,
    algorithm: SIGNING_ALGORITHM,
    publicJwk: { ...publicJwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' },
    privateJwkSealed: sealSecrets(ring, { jwk: JSON.stringify(privateJwk) }, sealContext(kid)),
  }
}

/** The key that signs now and its private half; made on first need. */
export async function currentSigner(
  ctx: EngineContext,
  env: Env = process.env,
): Promise<{ kid: string; privateKey: CryptoKey }> {
  let key = await currentSigningKey(ctx.db)
  if (!key) {
    await insertFirstSigningKey(ctx.db, await newSigningKey(ctx, env), ctx.now())
    // Another process may have made the first key meanwhile: whichever the store kept signs.
    key = await currentSigningKey(ctx.db)
    if (!key) throw new Error('no signing key after making one')
  }
  return { kid: key.kid, privateKey: await openPrivateKey(ctx, key, env) }
}

async function openPrivateKey(ctx: EngineContext, key: SigningKey, env: Env): Promise<CryptoKey> {
  const sealed = key.privateJwkSealed
  if (sealed === null) throw new Error(`signing key ${key.kid} is retired`)
  let jwk: string | undefined
  try {
    ;({ jwk } = openSecrets(
      readKeyRing(ctx.config.dir, env),
      sealed,
      sealContext(key.kid),
      keyPlaces(ctx.config.dir),
    ))
  } catch (err) {
    // openSecrets speaks of a task's secrets; say what it is here.
    throw new InputError(
      `the signing key ${key.kid} of access tokens cannot be opened: it was sealed with secrets key ` +
        `${sealed.kid}, which is missing (${keyPlaces(ctx.config.dir)}) or does not open it; ` +
        '`provisio keys rotate --signing` makes a new one',
      { cause: err },
    )
  }
  return (await importJWK(JSON.parse(jwk ?? '{}') as JWK, key.algorithm)) as CryptoKey
}

/** What a signing-key rotation did. */
export interface SigningKeyRotation {
  readonly kid: string
  readonly retired: readonly string[]
  readonly deleted: readonly string[]
}

/**
 * A new key signs from now on; the one before retires (its private half erased) and keeps verifying the
 * tokens it signed. Keys retired longer than the longest a token can live have nothing left to verify
 * and are deleted.
 */
export async function rotateSigningKey(
  ctx: EngineContext,
  env: Env = process.env,
): Promise<SigningKeyRotation> {
  const key = await newSigningKey(ctx, env)
  const now = ctx.now()
  const r = await replaceSigningKey(ctx.db, key, now, new Date(now.getTime() - MAX_TOKEN_SECONDS * 1000))
  return { kid: key.kid, ...r }
}
