import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sessionAuthenticator } from '../src/api/auth/session-authenticator.js'
import type { Api } from '../src/api/build-api.js'
import type { OpenEngine } from '../src/app/open-engine.js'
import { insertIdentities } from '../src/store/identity-processing.js'
import { databases } from './support/databases.js'
import { identityRow } from './support/identity-rows.js'
import { signInAtProvider, startOidcProvider } from './support/oidc-test-provider.js'
import { withSignIn } from './support/sign-in-helpers.js'
import { demoWorkspace } from './support/temp-workspace.js'
import { testApi } from './support/test-api.js'

const REDIRECT_URI = 'http://127.0.0.1:7100/provisio/v1/auth/oidc/callback'

describe.each(databases)('signing in with OpenID Connect on $name', (database) => {
  let api: Api
  let engine: OpenEngine
  let provider: Awaited<ReturnType<typeof startOidcProvider>>

  beforeAll(async () => {
    process.env['PROVISIO_TEST_OIDC_SECRET'] = 'a client secret of the test provider'
    provider = await startOidcProvider({
      clientId: 'provisio',
      clientSecret: 'a client secret of the test provider',
      redirectUri: REDIRECT_URI,
      emails: {
        'ada-at-idp': 'ada@example.org',
        'twin-at-idp': 'twin@example.org',
        'stranger-at-idp': 'stranger@example.org',
      },
    })
    const ws = await demoWorkspace()
    const config = withSignIn(
      ws.config,
      {
        oidc: {
          issuer: provider.issuer,
          clientId: 'provisio',
          clientSecret: '${env:PROVISIO_TEST_OIDC_SECRET}',
          redirectUri: REDIRECT_URI,
          claim: 'email',
          identityAttribute: 'email',
          scopes: ['openid', 'email'],
        },
      },
      { ada: ['SOURCE_ADMIN'] },
    )
    const store = await database.open()
    await insertIdentities(store.db, [
      identityRow('id-ada', 'ada', { attributes: { email: 'ada@example.org' } }),
      identityRow('id-twin1', 'twin1', { attributes: { email: 'twin@example.org' } }),
      identityRow('id-twin2', 'twin2', { attributes: { email: 'twin@example.org' } }),
    ])
    ;({ api, engine } = await testApi(config, store, {
      rateLimit: { max: 1000, windowSeconds: 10 },
      authenticators: [sessionAuthenticator(() => engine)],
    }))
  })
  afterAll(async () => {
    await api?.close()
    await engine?.close()
    await provider?.close()
  })

  /** Starts at Provisio, signs in at the provider as `account`, and brings its answer back to Provisio. */
  async function oidcSignIn(account: string, returnTo = '/ui/home') {
    const start = await api.inject({
      url: `/provisio/v1/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}`,
    })
    expect(start.statusCode, start.body).toBe(302)
    const flow = start.cookies.find((c) => c.name === 'provisio_oidc_flow')
    expect(flow).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/provisio/v1/auth/oidc' })
    const authorization = new URL(start.headers.location as string)
    expect(authorization.origin).toBe(provider.issuer)
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256')
    expect(authorization.searchParams.get('state')).toBeTruthy()
    expect(authorization.searchParams.get('nonce')).toBeTruthy()
    const back = await signInAtProvider(authorization.href, account)
    expect(back.origin + back.pathname).toBe(REDIRECT_URI)
    const callback = `/provisio/v1/auth/oidc/callback${back.search}`
    return { callback, flowCookie: `provisio_oidc_flow=${flow?.value ?? ''}` }
  }

  it('signs a person in through the provider and opens a session', async () => {
    const { callback, flowCookie } = await oidcSignIn('ada-at-idp')
    const done = await api.inject({ url: callback, headers: { cookie: flowCookie } })
    expect(done.statusCode, done.body).toBe(303)
    expect(done.headers.location).toBe('/ui/home')
    const cookie = done.cookies
      .filter((c) => c.name.startsWith('provisio_') && c.value !== '')
      .map((c) => `${c.name}=${c.value}`)
      .join('; ')
    expect(cookie).toMatch(/provisio_session=/)
    const me = await api.inject({ url: '/provisio/v1/auth/session', headers: { cookie } })
    expect(me.statusCode, me.body).toBe(200)
    expect(me.json()).toMatchObject({
      identity: { id: 'id-ada', name: 'ada' },
      capabilities: ['SOURCE_ADMIN'],
      session: { method: 'OIDC' },
    })
    // The provider's answer is used once.
    const again = await api.inject({ url: callback, headers: { cookie: flowCookie } })
    expect(again.statusCode).toBe(401)
    const audit = await engine.db.query<{ action: string; identity_id: string; after: unknown }>(
      "SELECT action, identity_id, after FROM audit_events WHERE action = 'SIGN_IN'",
    )
    expect(audit).toEqual([
      expect.objectContaining({ identity_id: 'id-ada', after: expect.objectContaining({ method: 'OIDC' }) }),
    ])
  })

  it('refuses a claim that names no identity, or several, with a clear 401', async () => {
    const stranger = await oidcSignIn('stranger-at-idp')
    const none = await api.inject({ url: stranger.callback, headers: { cookie: stranger.flowCookie } })
    expect(none.statusCode).toBe(401)
    expect(none.json().messages[0].text).toBe(
      'no identity has email "stranger@example.org": ask an administrator to give you access',
    )
    expect(none.cookies.find((c) => c.name === 'provisio_session')).toBeUndefined()
    const twin = await oidcSignIn('twin-at-idp')
    const several = await api.inject({ url: twin.callback, headers: { cookie: twin.flowCookie } })
    expect(several.statusCode).toBe(401)
    expect(several.json().messages[0].text).toMatch(/several identities have email "twin@example.org"/)
  })

  it('accepts the answer only in the browser that started the sign-in', async () => {
    const { callback } = await oidcSignIn('ada-at-idp')
    const elsewhere = await api.inject({
      url: callback,
      headers: { cookie: 'provisio_oidc_flow=somebody-elses' },
    })
    expect(elsewhere.statusCode).toBe(401)
    expect(elsewhere.json().messages[0].text).toMatch(/not started in this browser/)
    const noCookie = await api.inject({ url: callback })
    expect(noCookie.statusCode).toBe(401)
  })

  it('refuses a forged state and a returnTo of another site', async () => {
    const { callback, flowCookie } = await oidcSignIn('ada-at-idp')
    const forged = callback.replace(/state=[^&]+/, 'state=forged')
    const res = await api.inject({ url: forged, headers: { cookie: flowCookie } })
    expect(res.statusCode).toBe(401)
    for (const returnTo of ['https://evil.example/', '//evil.example/x', '/\\evil.example']) {
      const start = await api.inject({
        url: `/provisio/v1/auth/oidc/login?returnTo=${encodeURIComponent(returnTo)}`,
      })
      expect(start.statusCode).toBe(400)
    }
    const denied = await api.inject({
      url: '/provisio/v1/auth/oidc/callback?error=access_denied&error_description=nope',
      headers: { cookie: (await oidcSignIn('ada-at-idp')).flowCookie },
    })
    expect(denied.statusCode).toBe(401)
  })
})
