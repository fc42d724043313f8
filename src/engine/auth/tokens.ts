import { randomUUID } from 'node:crypto'
import { decodeProtectedHeader, errors, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose'
import { requestedScopes } from '../../domain/auth/scopes.js'
import { checkSecret, DECOY_HASH } from '../../domain/auth/secret-hash.js'
import { AuthenticationError } from '../../domain/errors.js'
import { findCredential, findCredentialWithHash, recordCredentialUse } from '../../store/api-credentials.js'
import { findSigningKey } from '../../store/auth-signing-keys.js'
import { cachedLookup } from './verification-cache.js'
import { findIdentity } from '../../store/identities.js'
import { findSession } from '../../store/sign-in-sessions.js'
import { capabilitiesOf } from './identity-capabilities.js'
import type { EngineContext } from '../engine-context.js'
import { currentSigner, SIGNING_ALGORITHM } from './signing-keys.js'
import { tokenSeconds } from './token-lifetime.js'

type Env = Readonly<Record<string, string | undefined>>

/** The issuer of every token; a token of another issuer is not ours. */
export const TOKEN_ISSUER = 'provisio'

/** One message for an unknown client id and a wrong secret: which one it was would tell a guesser too much. */
export const BAD_CLIENT_MESSAGE = 'invalid client id or secret'
const BAD_TOKEN_MESSAGE = 'invalid access token'
const EXPIRED_TOKEN_MESSAGE = 'the access token has expired'

/** `POST /oauth/token`'s answer, in the reference's field names. */
export interface TokenResponse {
  readonly access_token: string
  readonly token_type: 'bearer'
  readonly expires_in: number
  /** Space-separated (OAuth 2.0). */
  readonly scope: string
  /** A personal access token's owner; absent for an API client (no user context, as in the reference). */
  readonly identity_id?: string
  readonly org: string
  readonly pod: string
  readonly internal: false
  readonly strong_auth: false
  readonly claims_supported: false
  readonly jti: string
}

/** Who a verified token speaks for: what the API authorises a request with. */
export interface Principal {
  readonly clientId: string
  /** The identity a personal access token acts as; null for an API client. */
  readonly identityId: string | null
  readonly capabilities: readonly string[]
  readonly scopes: readonly string[]
}

/**
 * The client credentials grant: a credential's id and secret for a signed access token. A wrong id or
 * secret and a revoked credential all fail with the same AuthenticationError, in about the same time.
 * The token has the credential's scopes, or those of them asked for with `scope` (space-separated): a
 * scope the credential was not given is refused (InvalidScopeError), never silently dropped or added.
 */
export async function issueToken(
  ctx: EngineContext,
  grant: { clientId: string; clientSecret: string; scope?: string | undefined },
  env: Env = process.env,
): Promise<TokenResponse> {
  const credential = await findCredentialWithHash(ctx.db, grant.clientId)
  // An unknown client is checked against a decoy hash: the answer takes as long as for a wrong secret.
  const matches = await checkSecret(grant.clientSecret, credential?.secretHash ?? DECOY_HASH)
  const now = ctx.now()
  const expired = credential?.expires != null && Date.parse(credential.expires) <= now.getTime()
  if (!credential || !matches || credential.revoked !== null || expired) {
    throw new AuthenticationError(BAD_CLIENT_MESSAGE)
  }

  const identityId = credential.ownerIdentityId
  const scopes = requestedScopes(credential.scopes, grant.scope)
  const token = await signAccessToken(
    ctx,
    {
      clientId: credential.clientId,
      identityId,
      authorities: await authoritiesOf(ctx, credential),
      scopes,
    },
    env,
  )
  await recordCredentialUse(ctx.db, credential.clientId, now)
  return token
}

/**
 * Signs an access token for a client (a credential, or a browser session as `session:<id>`) and answers
 * in the token response's shape. The clock is the context's.
 */
export async function signAccessToken(
  ctx: EngineContext,
  subject: {
    clientId: string
    identityId: string | null
    authorities: readonly string[]
    scopes: readonly string[]
  },
  env: Env = process.env,
): Promise<TokenResponse> {
  const signer = await currentSigner(ctx, env)
  const iat = Math.floor(ctx.now().getTime() / 1000)
  const expiresIn = tokenSeconds(ctx)
  const jti = randomUUID()
  const org = ctx.config.settings.name
  const { identityId } = subject
  const claims: JWTPayload = {
    client_id: subject.clientId,
    ...(identityId === null ? {} : { identity_id: identityId }),
    authorities: [...subject.authorities],
    scope: [...subject.scopes],
    org,
    pod: 'provisio',
    internal: false,
    strong_auth: false,
  }
  const accessToken = await new SignJWT(claims)
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: signer.kid, typ: 'JWT' })
    .setIssuer(TOKEN_ISSUER)
    .setSubject(subject.clientId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + expiresIn)
    .setJti(jti)
    .sign(signer.privateKey)
  return {
    access_token: accessToken,
    token_type: 'bearer',
    expires_in: expiresIn,
    scope: subject.scopes.join(' '),
    ...(identityId === null ? {} : { identity_id: identityId }),
    org,
    pod: 'provisio',
    internal: false,
    strong_auth: false,
    claims_supported: false,
    jti,
  }
}

/**
 * A bearer token's principal. Expired, signed by a key the store does not have, altered, or of a revoked
 * credential: AuthenticationError. The clock is the context's.
 */
export async function verifyToken(ctx: EngineContext, token: string): Promise<Principal> {
  let kid: string | undefined
  try {
    const header = decodeProtectedHeader(token)
    kid = header.alg === SIGNING_ALGORITHM ? header.kid : undefined
  } catch (err) {
    throw new AuthenticationError(BAD_TOKEN_MESSAGE, { cause: err })
  }
  const found =
    kid === undefined
      ? undefined
      : await cachedLookup(
          ctx.db,
          `key ${kid}`,
          async () => {
            const row = await findSigningKey(ctx.db, kid)
            return row && { row, publicKey: await importJWK(row.publicJwk as JWK, row.algorithm) }
          },
          ctx.now().getTime(),
        )
  if (!found) throw new AuthenticationError(BAD_TOKEN_MESSAGE)
  const { row: key, publicKey } = found
  const now = ctx.now()
  // The same token verified a moment ago needs no second signature check (a public-key operation on every
  // request of a client); its expiry is still checked at each use.
  const payload = await cachedLookup(
    ctx.db,
    `token ${token}`,
    () => verifiedPayload(token, publicKey, now),
    now.getTime(),
  )
  if (payload === undefined) throw new AuthenticationError(BAD_TOKEN_MESSAGE)
  if ((payload.exp ?? 0) * 1000 <= now.getTime()) throw new AuthenticationError(EXPIRED_TOKEN_MESSAGE)
  // A retired key signs nothing (its private half is erased): a token it signed later is forged.
  if (key.retiredAt !== null && (payload.iat ?? 0) * 1000 > Date.parse(key.retiredAt)) {
    throw new AuthenticationError(BAD_TOKEN_MESSAGE)
  }
  const clientId = payload.sub ?? ''
  // A session's token lives while its session does: signing out or a revoked session ends it at once.
  const identityId = clientId.startsWith(SESSION_CLIENT_PREFIX)
    ? await liveSessionIdentity(ctx, clientId.slice(SESSION_CLIENT_PREFIX.length))
    : await liveCredentialOwner(ctx, clientId)
  return {
    clientId,
    identityId,
    capabilities: strings(payload['authorities']),
    scopes: strings(payload['scope']),
  }
}

/** The verification cache's key of a credential (revokeCredential forgets it). */
export function credentialKey(clientId: string): string {
  return `credential ${clientId}`
}

/** The client id of a browser session's principal and tokens: `session:<session id>`. */
export const SESSION_CLIENT_PREFIX = 'session:'

async function liveSessionIdentity(ctx: EngineContext, sessionId: string): Promise<string> {
  const session = await findSession(ctx.db, sessionId)
  if (!session || session.revoked !== null || Date.parse(session.expires) <= ctx.now().getTime()) {
    throw new AuthenticationError(BAD_TOKEN_MESSAGE)
  }
  return session.identityId
}

/** The claims of a token whose signature, issuer and expiry check out; AuthenticationError otherwise. */
async function verifiedPayload(
  token: string,
  publicKey: Awaited<ReturnType<typeof importJWK>>,
  now: Date,
): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, publicKey, {
      algorithms: [SIGNING_ALGORITHM],
      issuer: TOKEN_ISSUER,
      currentDate: now,
      requiredClaims: ['sub', 'iat', 'exp', 'jti'],
    })
    return payload
  } catch (err) {
    const message = err instanceof errors.JWTExpired ? EXPIRED_TOKEN_MESSAGE : BAD_TOKEN_MESSAGE
    throw new AuthenticationError(message, { cause: err })
  }
}

async function liveCredentialOwner(ctx: EngineContext, clientId: string): Promise<string | null> {
  const credential = await cachedLookup(
    ctx.db,
    credentialKey(clientId),
    () => findCredential(ctx.db, clientId),
    ctx.now().getTime(),
  )
  if (!credential || credential.revoked !== null) throw new AuthenticationError(BAD_TOKEN_MESSAGE)
  return credential.ownerIdentityId
}

/**
 * What a token may do: an API client's own capabilities; a personal access token's owner's, as the
 * configuration grants them when the token is issued (a change reaches the next token, within
 * `expires_in`, as in the reference).
 */
async function authoritiesOf(
  ctx: EngineContext,
  credential: { ownerIdentityId: string | null; capabilities: readonly string[] },
): Promise<string[]> {
  if (credential.ownerIdentityId === null) return [...credential.capabilities]
  const owner = await findIdentity(ctx.db, credential.ownerIdentityId)
  if (!owner) throw new AuthenticationError(BAD_CLIENT_MESSAGE)
  return capabilitiesOf(ctx, owner)
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}
