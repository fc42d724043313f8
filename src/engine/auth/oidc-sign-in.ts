import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import * as oidc from 'openid-client'
import { newOpaqueToken, tokenHash } from '../../domain/auth/opaque-token.js'
import { resolveSecret } from '../../domain/config/secret-ref.js'
import type { OidcSignInSettings } from '../../domain/config/sign-in-schema.js'
import { AuthenticationError, InputError, SystemError } from '../../domain/errors.js'
import { findIdentity } from '../../store/identities.js'
import { insertOidcFlow, takeOidcFlow } from '../../store/sign-in-oidc-flows.js'
import { findIdentitiesByAttribute } from '../../store/identities-by-attribute.js'
import type { EngineContext } from '../engine-context.js'
import { openSession, type NewSession } from './sessions.js'

type Env = Readonly<Record<string, string | undefined>>

/** How long a person has at the provider before the sign-in must start again. */
export const OIDC_FLOW_SECONDS = 600

const PROVIDER = 'OpenID Connect provider'

/** Each provider's metadata is read once per process and setting (discovery is a round trip). */
const configurations = new Map<string, Promise<oidc.Configuration>>()

function settingsOf(ctx: EngineContext): OidcSignInSettings {
  const settings = ctx.config.settings.signIn.oidc
  if (settings === undefined) {
    throw new InputError('sign-in with OpenID Connect is not configured (signIn.oidc in provisio.yaml)')
  }
  return settings
}

async function configuration(ctx: EngineContext, env: Env): Promise<oidc.Configuration> {
  const settings = settingsOf(ctx)
  const secret = resolveSecret(settings.clientSecret, env, (p) =>
    readFileSync(resolve(ctx.config.dir, p), 'utf8'),
  )
  const key = `${settings.issuer}\n${settings.clientId}\n${tokenHash(secret)}`
  let found = configurations.get(key)
  if (found === undefined) {
    const issuer = new URL(settings.issuer)
    found = oidc.discovery(issuer, settings.clientId, undefined, oidc.ClientSecretPost(secret), {
      // Plain http only reaches this machine (the settings' schema allows no other): a development provider.
      ...(issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {}),
      timeout: 10,
    })
    configurations.set(key, found)
    // A provider that was down is asked again next time.
    found.catch(() => configurations.delete(key))
  }
  return found.catch((err: unknown) => {
    throw new SystemError(PROVIDER, err)
  })
}

/** Where a sign-in may return to: a path of this server, never another site (an open redirect). */
export function checkReturnTo(returnTo: string | undefined): string {
  if (returnTo === undefined || returnTo === '') return '/'
  if (!/^\/(?![/\\])[\x21-\x7e]*$/.test(returnTo) || returnTo.length > 512) {
    throw new InputError('returnTo: must be a path on this server, such as /ui/requests')
  }
  return returnTo
}

/**
 * Starts a sign-in at the provider: the URL to send the browser to (authorization code flow with PKCE,
 * state and nonce), and the secret of this flow, which the browser keeps in a short-lived cookie so that
 * the callback is accepted only in the browser that started it.
 */
export async function startOidcSignIn(
  ctx: EngineContext,
  options: { returnTo?: string } = {},
  env: Env = process.env,
): Promise<{ authorizationUrl: string; flowSecret: string }> {
  const returnTo = checkReturnTo(options.returnTo)
  const settings = settingsOf(ctx)
  const config = await configuration(ctx, env)
  const codeVerifier = oidc.randomPKCECodeVerifier()
  const state = oidc.randomState()
  const nonce = oidc.randomNonce()
  const flowSecret = newOpaqueToken()
  const now = ctx.now()
  await insertOidcFlow(
    ctx.db,
    tokenHash(flowSecret),
    {
      state,
      nonce,
      codeVerifier,
      returnTo,
      expires: new Date(now.getTime() + OIDC_FLOW_SECONDS * 1000).toISOString(),
    },
    now,
  )
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: settings.redirectUri,
    scope: settings.scopes.join(' '),
    response_type: 'code',
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  })
  return { authorizationUrl: url.href, flowSecret }
}

/**
 * Finishes a sign-in: checks the provider's answer (state, PKCE, the ID token and its nonce), reads
 * the configured claim, finds the one identity whose attribute has that value, and opens a session.
 * `query` is the callback's query string.
 */
export async function finishOidcSignIn(
  ctx: EngineContext,
  callback: { flowSecret: string | undefined; query: string; sourceAddress: string },
  env: Env = process.env,
): Promise<{ session: NewSession; returnTo: string; claimValue: string }> {
  const settings = settingsOf(ctx)
  const flow =
    callback.flowSecret === undefined || callback.flowSecret.length > 256
      ? undefined
      : await takeOidcFlow(ctx.db, tokenHash(callback.flowSecret))
  if (!flow || Date.parse(flow.expires) <= ctx.now().getTime()) {
    throw new AuthenticationError(
      `this sign-in was not started in this browser, or took longer than ${OIDC_FLOW_SECONDS / 60} minutes: start again`,
    )
  }
  const config = await configuration(ctx, env)
  // The callback URL as registered, with the provider's answer: not the Host header a client sent.
  const currentUrl = new URL(settings.redirectUri)
  currentUrl.search = callback.query
  let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>
  try {
    tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
      pkceCodeVerifier: flow.codeVerifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    })
  } catch (err) {
    throw providerRefusal(err)
  }
  const claims = tokens.claims()
  let value = claims?.[settings.claim]
  if (value === undefined && claims !== undefined) {
    // Some providers put profile claims only in the UserInfo answer.
    try {
      value = (await oidc.fetchUserInfo(config, tokens.access_token, claims.sub))[settings.claim]
    } catch (err) {
      throw new SystemError(PROVIDER, err)
    }
  }
  if (typeof value !== 'string' || value === '') {
    throw new AuthenticationError(
      `the provider did not give the claim "${settings.claim}" (signIn.oidc.claim)`,
    )
  }
  const matches = await findIdentitiesByAttribute(ctx.db, settings.identityAttribute, value, 2)
  if (matches.length === 0) {
    throw new AuthenticationError(
      `no identity has ${settings.identityAttribute} "${value}": ask an administrator to give you access`,
    )
  }
  if (matches.length > 1) {
    throw new AuthenticationError(
      `several identities have ${settings.identityAttribute} "${value}": an administrator must make it unique before you can sign in`,
    )
  }
  const identity = await findIdentity(ctx.db, (matches[0] as { id: string }).id)
  if (!identity) throw new AuthenticationError(`no identity has ${settings.identityAttribute} "${value}"`)
  const session = await openSession(ctx, identity, 'OIDC', callback.sourceAddress)
  return { session, returnTo: flow.returnTo, claimValue: value }
}

/** The provider's refusal or a failed check of its answer, in words for the person signing in. */
function providerRefusal(err: unknown): Error {
  if (err instanceof oidc.AuthorizationResponseError) {
    return new AuthenticationError(
      `the provider refused the sign-in: ${err.error}${err.error_description ? ` (${err.error_description})` : ''}`,
      { cause: err },
    )
  }
  if (err instanceof oidc.ResponseBodyError) {
    return new AuthenticationError(`the provider refused the sign-in: ${err.error}`, { cause: err })
  }
  const code = (err as { code?: unknown }).code
  if (typeof code === 'string' && code.startsWith('OAUTH_')) {
    return new AuthenticationError(
      `the provider's answer did not pass its checks: ${(err as Error).message}`,
      {
        cause: err,
      },
    )
  }
  return new SystemError(PROVIDER, err)
}
