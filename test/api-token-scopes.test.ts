import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Api } from '../src/api/build-api.js'
import type { OpenEngine } from '../src/app/open-engine.js'
import { createApiClient, createPersonalAccessToken } from '../src/engine/auth/credentials.js'
import { setIdentityPassword } from '../src/engine/auth/passwords.js'
import { issueToken } from '../src/engine/auth/tokens.js'
import { listIdentities } from '../src/engine/queries/list-identities.js'
import { refreshSource } from '../src/engine/refresh-source.js'
import { databases } from './support/databases.js'
import { signIn } from './support/sign-in-helpers.js'
import { demoWorkspace } from './support/temp-workspace.js'
import { testApi } from './support/test-api.js'

/** An id no certification has: the calls below are refused (or not) before anything is looked up. */
const NO_CERTIFICATION = '2c9180835d2e5168015d32f890ca0000'

/**
 * A credential's scopes narrow what its tokens may call (docs/api.md, "Scopes"): a route of the reference
 * needs one of the reference's scopes for it, any other route sp:scopes:all or sp:scopes:default;
 * capabilities are checked as before.
 */
describe.each(databases)('token scopes through the API on $name', (database) => {
  let api: Api
  let engine: OpenEngine
  let reviewer: { id: string; name: string }

  /** The token endpoint's answer to a client credentials grant, with `scope` when given. */
  const tokenAnswer = (pair: { clientId: string; clientSecret: string }, scope?: string) =>
    api.inject({
      method: 'POST',
      url: '/oauth/token',
      payload: {
        grant_type: 'client_credentials',
        client_id: pair.clientId,
        client_secret: pair.clientSecret,
        ...(scope === undefined ? {} : { scope }),
      },
    })

  /** Exchanges a client id and secret at the token endpoint, as a client does; its bearer header. */
  const bearerOf = async (pair: { clientId: string; clientSecret: string }, scope?: string) => {
    const r = await tokenAnswer(pair, scope)
    expect(r.statusCode, r.body).toBe(200)
    return { authorization: `Bearer ${(r.json() as { access_token: string }).access_token}` }
  }

  /** A personal access token of the reviewer made over the API, with these scopes (none: the default). */
  const patWith = async (scope?: string[]) => {
    const all = await bearerOf(
      await createPersonalAccessToken(engine, { identity: reviewer.id, name: `base ${Math.random()}` }),
    )
    const created = await api.inject({
      method: 'POST',
      url: '/v3/personal-access-tokens',
      headers: all,
      payload: { name: `scoped ${Math.random()}`, ...(scope === undefined ? {} : { scope }) },
    })
    expect(created.statusCode, created.body).toBe(200)
    const body = created.json() as { id: string; secret: string; scope: string[] | null }
    return bearerOf({ clientId: body.id, clientSecret: body.secret })
  }

  const decide = (headers: Record<string, string>) =>
    api.inject({
      method: 'POST',
      url: `/v3/certifications/${NO_CERTIFICATION}/decide`,
      headers,
      payload: [{ id: 'item', decision: 'APPROVE', bulk: false }],
    })

  beforeAll(async () => {
    const ws = await demoWorkspace()
    // The reviewer is a campaign administrator: capabilities let every call below through.
    const config = {
      ...ws.config,
      settings: { ...ws.config.settings, capabilities: { 'joan.dijkstra': ['CERT_ADMIN' as const] } },
    }
    ;({ api, engine } = await testApi(config, await database.open(), {
      rateLimit: { max: 1000, windowSeconds: 10 },
    }))
    for (const s of engine.config.sources) await refreshSource(engine, s.value.name)
    const found = (await listIdentities(engine, { filters: 'name eq "joan.dijkstra"' })).rows[0]
    if (!found) throw new Error('the demo has no joan.dijkstra')
    reviewer = found
  }, 120_000)
  afterAll(async () => {
    await api.close()
    await engine.close()
  })

  it('a personal access token made read-only reads campaigns, but neither decides nor calls Provisio routes', async () => {
    const readOnly = await patWith(['idn:campaign:read'])
    const campaigns = await api.inject({ url: '/v3/campaigns', headers: readOnly })
    expect(campaigns.statusCode, campaigns.body).toBe(200)

    const decided = await decide(readOnly)
    expect(decided.statusCode).toBe(403)
    const body = decided.json() as { detailCode: string; messages: { text: string }[] }
    expect(body.detailCode).toBe('403 Forbidden')
    expect(body.messages[0]?.text).toBe(
      "this token's scopes do not allow POST /v3/certifications/{id}/decide: it needs one of idn:campaign:manage, sp:scopes:all, sp:scopes:default",
    )

    const own = await api.inject({ url: '/provisio/v1/notifications', headers: readOnly })
    expect(own.statusCode).toBe(403)
    expect((own.json() as { messages: { text: string }[] }).messages[0]?.text).toMatch(
      /needs one of sp:scopes:all, sp:scopes:default/,
    )
    // The same path under /beta has the reference's scopes of the v3 operation.
    const tokens = await api.inject({ url: '/beta/personal-access-tokens', headers: readOnly })
    expect(tokens.statusCode).toBe(403)
  })

  it('a personal access token with sp:scopes:all (the default) calls what its owner may, as before', async () => {
    for (const headers of [await patWith(), await patWith(['sp:scopes:all'])]) {
      expect((await api.inject({ url: '/v3/campaigns', headers })).statusCode).toBe(200)
      // Past authorisation: the certification is not found.
      expect((await decide(headers)).statusCode).toBe(404)
      expect((await api.inject({ url: '/provisio/v1/notifications', headers })).statusCode).toBe(200)
      // Scopes never widen: capabilities are checked as before (sources are SOURCE_ADMIN's).
      expect((await api.inject({ url: '/v3/sources', headers })).statusCode).toBe(403)
    }
    const manage = await patWith(['idn:campaign:manage'])
    expect((await decide(manage)).statusCode).toBe(404)
  })

  it('an API client with a narrow scope is held to it; its capabilities still decide the rest', async () => {
    const client = await createApiClient(engine, {
      name: `reader ${Math.random()}`,
      capabilities: ['CERT_ADMIN'],
      scopes: ['idn:campaign:read'],
    })
    const headers = await bearerOf(client)
    expect((await api.inject({ url: '/v3/campaigns', headers })).statusCode).toBe(200)
    expect((await decide(headers)).statusCode).toBe(403)
    const activated = await api.inject({
      method: 'POST',
      url: `/v3/campaigns/${NO_CERTIFICATION}/activate`,
      headers,
      payload: {},
    })
    expect(activated.statusCode).toBe(403)
    // The reference lists idn:campaign:read for this write too; Provisio asks for idn:campaign:manage.
    const patched = await api.inject({
      method: 'PATCH',
      url: `/v3/campaigns/${NO_CERTIFICATION}`,
      headers: { ...headers, 'content-type': 'application/json-patch+json' },
      payload: [{ op: 'replace', path: '/name', value: 'x' }],
    })
    expect(patched.statusCode).toBe(403)
    expect((await api.inject({ url: '/provisio/v1/audit', headers })).statusCode).toBe(403)

    const wide = await createApiClient(engine, { name: `all ${Math.random()}`, capabilities: ['CERT_ADMIN'] })
    expect((await decide(await bearerOf(wide))).statusCode).toBe(404)
  })

  it('the token endpoint grants a requested scope only if the credential holds it', async () => {
    const reader = await createApiClient(engine, {
      name: `reader ${Math.random()}`,
      capabilities: ['CERT_ADMIN'],
      scopes: ['idn:campaign:read'],
    })
    const refused = await tokenAnswer(reader, 'idn:campaign:read idn:campaign:manage')
    expect(refused.statusCode).toBe(400)
    expect(refused.json()).toMatchObject({ error: 'invalid_scope' })
    const allAsked = await tokenAnswer(reader, 'sp:scopes:all')
    expect(allAsked.statusCode).toBe(400)

    // A credential of every scope may ask for a narrower token, which is then held to it.
    const wide = await createApiClient(engine, { name: `all ${Math.random()}`, capabilities: ['CERT_ADMIN'] })
    const narrow = await tokenAnswer(wide, 'idn:campaign:read')
    expect(narrow.statusCode).toBe(200)
    expect(narrow.json()).toMatchObject({ scope: 'idn:campaign:read' })
    const headers = { authorization: `Bearer ${(narrow.json() as { access_token: string }).access_token}` }
    expect((await api.inject({ url: '/v3/campaigns', headers })).statusCode).toBe(200)
    expect((await decide(headers)).statusCode).toBe(403)
  })

  it("a session's refresh token grants a narrower token when asked; the session keeps every scope", async () => {
    const password = 'a long enough password'
    await setIdentityPassword(engine, { identity: reviewer.id, password })
    const session = await signIn(api, reviewer.name, password)
    const refresh = (token: string, scope?: string) =>
      api.inject({
        method: 'POST',
        url: '/oauth/token',
        payload: {
          grant_type: 'refresh_token',
          refresh_token: token,
          ...(scope === undefined ? {} : { scope }),
        },
      })
    const bearer = (r: { json(): unknown }) => ({
      authorization: `Bearer ${(r.json() as { access_token: string }).access_token}`,
    })
    const next = (r: { json(): unknown }) => (r.json() as { refresh_token: string }).refresh_token

    const narrow = await refresh(session.refreshToken, 'idn:campaign:read')
    expect(narrow.statusCode, narrow.body).toBe(200)
    expect(narrow.json()).toMatchObject({ scope: 'idn:campaign:read' })
    expect((await api.inject({ url: '/v3/campaigns', headers: bearer(narrow) })).statusCode).toBe(200)
    expect((await decide(bearer(narrow))).statusCode).toBe(403)
    expect(
      (await api.inject({ url: '/provisio/v1/notifications', headers: bearer(narrow) })).statusCode,
    ).toBe(403)

    // The refresh token that came with it is the session's, not the narrow token's (RFC 6749 §6): asking
    // for nothing gives every scope again, and a wider scope than that narrow token's is no wider than the
    // session's.
    const wider = await refresh(next(narrow), 'idn:campaign:read idn:campaign:manage')
    expect(wider.statusCode, wider.body).toBe(200)
    expect(wider.json()).toMatchObject({ scope: 'idn:campaign:read idn:campaign:manage' })
    expect((await decide(bearer(wider))).statusCode).toBe(404)
    const every = await refresh(next(wider))
    expect(every.json()).toMatchObject({ scope: 'sp:scopes:all' })
  })

  it('refuses a malformed scope with invalid_scope, on either grant, and a refresh token refused so is not used up', async () => {
    const wide = await createApiClient(engine, { name: `all ${Math.random()}`, capabilities: ['CERT_ADMIN'] })
    // Tab-separated (OAuth 2.0 separates scopes by spaces) or with a character no scope has.
    for (const scope of ['idn:campaign:read\tidn:campaign:manage', 'idn:campaign:réad']) {
      const refused = await tokenAnswer(wide, scope)
      expect(refused.statusCode, scope).toBe(400)
      expect(refused.json()).toMatchObject({ error: 'invalid_scope' })
    }

    const password = 'a long enough password'
    await setIdentityPassword(engine, { identity: reviewer.id, password })
    const session = await signIn(api, reviewer.name, password)
    const refresh = (scope?: string) =>
      api.inject({
        method: 'POST',
        url: '/oauth/token',
        payload: {
          grant_type: 'refresh_token',
          refresh_token: session.refreshToken,
          ...(scope === undefined ? {} : { scope }),
        },
      })
    const refused = await refresh('idn:campaign:read\nidn:campaign:manage')
    expect(refused.statusCode).toBe(400)
    expect(refused.json()).toMatchObject({ error: 'invalid_scope' })
    expect((await refresh()).statusCode).toBe(200)
  })

  it("answers every refusal of the token endpoint with OAuth's error fields, whichever check refused it", async () => {
    const wide = await createApiClient(engine, { name: `all ${Math.random()}`, capabilities: ['CERT_ADMIN'] })
    const refusals: [string, Awaited<ReturnType<typeof tokenAnswer>>, number, string][] = [
      // Refused by the API's check of every request's text, before the endpoint reads it.
      ['a NUL in the scope', await tokenAnswer(wide, 'idn:campaign:read\u0000'), 400, 'invalid_request'],
      // Refused by the endpoint's reading of its fields.
      [
        'an oversized client id',
        await tokenAnswer({ ...wide, clientId: 'x'.repeat(300) }),
        400,
        'invalid_request',
      ],
      ['a wrong secret', await tokenAnswer({ ...wide, clientSecret: 'wrong' }), 401, 'invalid_client'],
      [
        'an unsupported grant',
        await api.inject({ method: 'POST', url: '/oauth/token', payload: { grant_type: 'password' } }),
        400,
        'unsupported_grant_type',
      ],
    ]
    for (const [what, answer, status, error] of refusals) {
      expect(answer.statusCode, what).toBe(status)
      expect(answer.json(), what).toMatchObject({ error, error_description: expect.any(String) })
      expect(answer.headers['cache-control'], what).toBe('no-store')
    }
  })

  it('work items, which the reference lists without scopes of their own, take only a catch-all', async () => {
    // idn:work-item:update is the reference's scope of forwarding alone; nothing narrower reads work items.
    const narrow = await patWith(['idn:work-item:update'])
    const listed = await api.inject({ url: '/v3/work-items', headers: narrow })
    expect(listed.statusCode).toBe(403)
    expect((listed.json() as { messages: { text: string }[] }).messages[0]?.text).toMatch(
      /needs one of sp:scopes:all, sp:scopes:default$/,
    )
    // Past the scopes (its body is then checked): forwarding takes it.
    const forwarded = await api.inject({
      method: 'POST',
      url: `/v3/work-items/${NO_CERTIFICATION}/forward`,
      headers: narrow,
      payload: {},
    })
    expect(forwarded.statusCode).not.toBe(403)
    for (const scope of ['sp:scopes:default', 'sp:scopes:all']) {
      const headers = await patWith([scope])
      expect((await api.inject({ url: '/v3/work-items', headers })).statusCode, scope).toBe(200)
    }
  })

  it('a narrow token cannot make a credential of wider scopes', async () => {
    const manager = await patWith(['sp:my-personal-access-tokens:manage'])
    const wider = await api.inject({
      method: 'POST',
      url: '/v3/personal-access-tokens',
      headers: manager,
      payload: { name: `wider ${Math.random()}` },
    })
    expect(wider.statusCode).toBe(403)
    const same = await api.inject({
      method: 'POST',
      url: '/v3/personal-access-tokens',
      headers: manager,
      payload: { name: `same ${Math.random()}`, scope: ['sp:my-personal-access-tokens:manage'] },
    })
    expect(same.statusCode, same.body).toBe(200)
  })

  it('issues the same scopes as before to a credential that asks for none', async () => {
    const pair = await createPersonalAccessToken(engine, {
      identity: reviewer.id,
      name: `plain ${Math.random()}`,
    })
    expect((await issueToken(engine, pair, {})).scope).toBe('sp:scopes:all')
  })
})
