import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { sessionAuthenticator } from '../src/api/auth/session-authenticator.js'
import type { Api } from '../src/api/build-api.js'
import type { OpenEngine } from '../src/app/open-engine.js'
import { createInvitation } from '../src/engine/auth/invitations.js'
import { setIdentityPassword } from '../src/engine/auth/passwords.js'
import { insertIdentities } from '../src/store/identity-processing.js'
import { databases } from './support/databases.js'
import { identityRow } from './support/identity-rows.js'
import { signIn, withSignIn } from './support/sign-in-helpers.js'
import { demoWorkspace } from './support/temp-workspace.js'
import { clientBearer, testApi } from './support/test-api.js'

const ADA_PASSWORD = 'correct horse battery staple'

describe.each(databases)('signing in on $name', (database) => {
  let api: Api
  let engine: OpenEngine
  let admin: { authorization: string }
  let now = new Date('2026-03-02T09:00:00Z')
  const later = (minutes: number) => {
    now = new Date(now.getTime() + minutes * 60_000)
  }

  beforeAll(async () => {
    const ws = await demoWorkspace()
    const config = withSignIn(
      ws.config,
      { lockout: { maxFailuresPerAccount: 3, maxFailuresPerAddress: 5, windowMinutes: 15 } },
      { ada: ['HELPDESK'], root: ['ORG_ADMIN'] },
    )
    const store = await database.open()
    await insertIdentities(store.db, [
      identityRow('id-ada', 'ada', { attributes: { email: 'ada@example.org' } }),
      identityRow('id-bob', 'bob', { attributes: { email: 'bob@example.org' } }),
      identityRow('id-root', 'root'),
    ])
    ;({ api, engine } = await testApi(config, store, {
      rateLimit: { max: 1000, windowSeconds: 10 },
      now: () => now,
      authenticators: [sessionAuthenticator(() => engine)],
    }))
  })
  // Tests move the clock forward: each gets a token of its own time.
  beforeEach(async () => {
    admin = await clientBearer(engine, ['ORG_ADMIN'])
  })
  afterAll(async () => {
    await api.close()
    await engine.close()
  })

  it('sets a password, signs in, calls routes with the cookie, needs the CSRF token to change anything, signs out', async () => {
    // An administrator's bearer request needs no CSRF token.
    const set = await api.inject({
      method: 'PUT',
      url: '/provisio/v1/identities/ada/password',
      headers: admin,
      payload: { password: ADA_PASSWORD },
    })
    expect(set.statusCode, set.body).toBe(200)
    expect(set.json()).toMatchObject({ identity: { id: 'id-ada', name: 'ada' }, changedBy: 'ADMIN' })

    const login = await api.inject({
      method: 'POST',
      url: '/provisio/v1/auth/login',
      payload: { username: 'ada', password: ADA_PASSWORD },
    })
    expect(login.statusCode, login.body).toBe(200)
    expect(login.headers['cache-control']).toBe('no-store')
    const session = login.cookies.find((c) => c.name === 'provisio_session')
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' })
    expect(session?.secure).toBeUndefined()
    expect(login.cookies.find((c) => c.name === 'provisio_csrf')?.httpOnly).toBeUndefined()
    const body = login.json() as { csrfToken: string; session: { id: string } }
    expect(body).toMatchObject({
      identity: { id: 'id-ada', name: 'ada' },
      capabilities: ['HELPDESK'],
      session: { method: 'PASSWORD' },
      csrfToken: expect.any(String),
      refreshToken: expect.any(String),
    })
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ')

    const me = await api.inject({ url: '/provisio/v1/auth/session', headers: { cookie } })
    expect(me.statusCode, me.body).toBe(200)
    expect(me.json()).toMatchObject({
      clientId: `session:${body.session.id}`,
      identity: { id: 'id-ada', name: 'ada' },
      capabilities: ['HELPDESK'],
      session: { id: body.session.id, method: 'PASSWORD' },
    })
    expect((await api.inject({ url: '/v3/accounts?limit=1', headers: { cookie } })).statusCode).toBe(200)

    const bobPassword = { method: 'PUT' as const, url: '/provisio/v1/identities/bob/password' }
    const noToken = await api.inject({
      ...bobPassword,
      headers: { cookie },
      payload: { password: 'bobs new password' },
    })
    expect(noToken.statusCode).toBe(403)
    expect(noToken.json().messages[0].text).toMatch(/X-CSRF-Token/)
    const wrongToken = await api.inject({
      ...bobPassword,
      headers: { cookie, 'x-csrf-token': 'x'.repeat(43) },
      payload: { password: 'bobs new password' },
    })
    expect(wrongToken.statusCode).toBe(403)
    const withToken = await api.inject({
      ...bobPassword,
      headers: { cookie, 'x-csrf-token': body.csrfToken },
      payload: { password: 'bobs new password' },
    })
    expect(withToken.statusCode, withToken.body).toBe(200)
    // A HELPDESK cannot take over an ORG_ADMIN's account.
    const escalate = await api.inject({
      method: 'PUT',
      url: '/provisio/v1/identities/root/password',
      headers: { cookie, 'x-csrf-token': body.csrfToken },
      payload: { password: 'roots new password' },
    })
    expect(escalate.statusCode).toBe(403)
    expect(escalate.json().messages[0].text).toMatch(/root holds ORG_ADMIN/)

    expect(
      (await api.inject({ method: 'POST', url: '/provisio/v1/auth/logout', headers: { cookie } })).statusCode,
    ).toBe(403)
    const logout = await api.inject({
      method: 'POST',
      url: '/provisio/v1/auth/logout',
      headers: { cookie, 'x-csrf-token': body.csrfToken },
    })
    expect(logout.statusCode).toBe(204)
    expect(logout.cookies.find((c) => c.name === 'provisio_session')?.value).toBe('')
    const after = await api.inject({ url: '/provisio/v1/auth/session', headers: { cookie } })
    expect(after.statusCode).toBe(401)
    expect(after.json().messages[0].text).toMatch(/session has ended/)

    // A wrong password and an unknown name get the same answer.
    const wrong = await api.inject({
      method: 'POST',
      url: '/provisio/v1/auth/login',
      payload: { username: 'ada', password: 'not her password' },
      remoteAddress: '127.0.0.9',
    })
    const unknown = await api.inject({
      method: 'POST',
      url: '/provisio/v1/auth/login',
      payload: { username: 'nobody', password: 'not her password' },
      remoteAddress: '127.0.0.9',
    })
    expect([wrong.statusCode, unknown.statusCode]).toEqual([401, 401])
    expect(wrong.json().messages).toEqual(unknown.json().messages)

    // Audit rows are written once each response is sent: on PostgreSQL the last can land a moment later.
    const audit = await vi.waitFor(async () => {
      const rows = await engine.db.query<{
        action: string
        identity_id: string | null
        target_name: string | null
      }>('SELECT action, identity_id, target_name FROM audit_events ORDER BY id')
      const actions = rows.map((a) => `${a.action} ${a.target_name ?? ''}`)
      expect(actions).toEqual(
        expect.arrayContaining([
          'PASSWORD_SET ada',
          'SIGN_IN ada',
          'PASSWORD_SET bob',
          'SIGN_OUT ada',
          'SIGN_IN_FAILED nobody',
        ]),
      )
      return rows
    })
    expect(audit.find((a) => a.action === 'SIGN_IN')?.identity_id).toBe('id-ada')
    const everything = JSON.stringify(await engine.db.query('SELECT * FROM audit_events'))
    for (const secret of [ADA_PASSWORD, 'bobs new password', 'not her password', body.csrfToken]) {
      expect(everything).not.toContain(secret)
    }
    const stored = JSON.stringify(await engine.db.query('SELECT * FROM sign_in_passwords'))
    expect(stored).not.toContain(ADA_PASSWORD)
    expect(stored).toMatch(/scrypt\$65536\$8\$2\$/)
  })

  it('ends sessions that are idle too long or past their absolute end', async () => {
    const idle = await signIn(api, 'ada', ADA_PASSWORD)
    later(29)
    expect(
      (await api.inject({ url: '/provisio/v1/auth/session', headers: { cookie: idle.cookie } })).statusCode,
    ).toBe(200)
    later(29)
    expect(
      (await api.inject({ url: '/provisio/v1/auth/session', headers: { cookie: idle.cookie } })).statusCode,
    ).toBe(200)
    later(31)
    expect(
      (await api.inject({ url: '/provisio/v1/auth/session', headers: { cookie: idle.cookie } })).statusCode,
    ).toBe(401)

    const busy = await signIn(api, 'ada', ADA_PASSWORD)
    for (let hours = 0; hours < 12; hours += 0.25) {
      later(15)
      const res = await api.inject({ url: '/provisio/v1/auth/session', headers: { cookie: busy.cookie } })
      expect(res.statusCode, `after ${hours + 0.25} h`).toBe(hours + 0.25 < 12 ? 200 : 401)
    }
  })

  it('refreshes a session token with a refresh token used once; a replay ends the session', async () => {
    const s = await signIn(api, 'ada', ADA_PASSWORD)
    const refresh = (token: string) =>
      api.inject({
        method: 'POST',
        url: '/oauth/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: token }).toString(),
      })
    const first = await refresh(s.refreshToken)
    expect(first.statusCode, first.body).toBe(200)
    const t1 = first.json() as { access_token: string; refresh_token: string; identity_id: string }
    expect(t1).toMatchObject({ token_type: 'bearer', identity_id: 'id-ada', expires_in: 749 })
    expect(t1.refresh_token).not.toBe(s.refreshToken)
    const bearer = { authorization: `Bearer ${t1.access_token}` }
    const me = await api.inject({ url: '/provisio/v1/auth/session', headers: bearer })
    expect(me.json()).toMatchObject({ identity: { id: 'id-ada' }, capabilities: ['HELPDESK'] })
    expect((me.json() as { clientId: string }).clientId).toMatch(/^session:/)

    const second = await refresh(t1.refresh_token)
    expect(second.statusCode).toBe(200)
    // The first refresh token again: copied by someone, so the session ends, and all its tokens with it.
    const replay = await refresh(s.refreshToken)
    expect(replay.statusCode).toBe(401)
    expect(replay.json()).toMatchObject({ error: 'invalid_grant' })
    expect((await api.inject({ url: '/provisio/v1/auth/session', headers: bearer })).statusCode).toBe(401)
    expect(
      (await api.inject({ url: '/provisio/v1/auth/session', headers: { cookie: s.cookie } })).statusCode,
    ).toBe(401)
    const next = (second.json() as { refresh_token: string }).refresh_token
    expect((await refresh(next)).statusCode).toBe(401)
    expect((await refresh('no-such-token')).json()).toMatchObject({ error: 'invalid_grant' })
  })

  it("an administrator ends a person's sessions; the routes are in the OpenAPI document", async () => {
    const s = await signIn(api, 'ada', ADA_PASSWORD)
    const end = await api.inject({
      method: 'DELETE',
      url: '/provisio/v1/identities/ada/sessions',
      headers: admin,
    })
    expect(end.statusCode, end.body).toBe(200)
    expect(end.json()).toMatchObject({ identity: { id: 'id-ada' }, sessionsEnded: 1 })
    expect(
      (await api.inject({ url: '/provisio/v1/auth/session', headers: { cookie: s.cookie } })).statusCode,
    ).toBe(401)
    const doc = await api.inject({ url: '/openapi.json' })
    expect(doc.statusCode).toBe(200)
    expect(Object.keys((doc.json() as { paths: object }).paths)).toEqual(
      expect.arrayContaining([
        '/provisio/v1/auth/login',
        '/provisio/v1/auth/oidc/callback',
        '/provisio/v1/identities/{id}/password',
      ]),
    )
  })

  it('sets a password with a one-time invitation that expires', async () => {
    const made = await api.inject({
      method: 'POST',
      url: '/provisio/v1/identities/bob/invitations',
      headers: admin,
      payload: {},
    })
    expect(made.statusCode, made.body).toBe(201)
    const { url, expires } = made.json() as { url: string; expires: string }
    expect(Date.parse(expires) - now.getTime()).toBe(72 * 3600_000)
    const path = new URL(url).pathname
    expect(path).toMatch(/^\/provisio\/v1\/auth\/invitations\/[\w-]{43}$/)
    expect((await api.inject({ url: path })).json()).toMatchObject({ identity: { name: 'bob' } })

    const short = await api.inject({ method: 'POST', url: path, payload: { password: 'short' } })
    expect(short.statusCode).toBe(400)
    expect(short.json().messages[0].text).toMatch(/at least 12 characters/)
    const used = await api.inject({ method: 'POST', url: path, payload: { password: 'bob chose this one' } })
    expect(used.statusCode, used.body).toBe(200)
    expect(used.json()).toMatchObject({ identity: { name: 'bob' }, changedBy: 'INVITATION' })
    const again = await api.inject({ method: 'POST', url: path, payload: { password: 'and this one too' } })
    expect(again.statusCode).toBe(409)
    expect(again.json().messages[0].text).toMatch(/used already/)
    await signIn(api, 'bob', 'bob chose this one')

    const old = await createInvitation(engine, { identity: 'bob', hours: 1, createdBy: 'test' })
    const newer = await createInvitation(engine, { identity: 'bob', hours: 1, createdBy: 'test' })
    const oldPath = new URL(old.url).pathname
    expect((await api.inject({ url: oldPath })).json().messages[0].text).toMatch(/newer invitation/)
    later(61)
    const expired = await api.inject({
      method: 'POST',
      url: new URL(newer.url).pathname,
      payload: { password: 'too late for this' },
    })
    expect(expired.statusCode).toBe(409)
    expect(expired.json().messages[0].text).toMatch(/expired/)
    expect((await api.inject({ url: '/provisio/v1/auth/invitations/nope' })).statusCode).toBe(404)
    const stored = JSON.stringify(await engine.db.query('SELECT * FROM sign_in_invitations'))
    expect(stored).not.toContain(newer.token)
  })

  it('limits failed sign-ins per account and per address, without telling which names exist', async () => {
    await setIdentityPassword(engine, { identity: 'root', password: 'root password 123' })
    const attempt = (username: string, password: string, remoteAddress: string) =>
      api.inject({
        method: 'POST',
        url: '/provisio/v1/auth/login',
        payload: { username, password },
        remoteAddress,
      })
    for (const name of ['root', 'ghost']) {
      for (let i = 0; i < 3; i++) {
        expect((await attempt(name, 'wrong guess', `127.0.1.${i}`)).statusCode).toBe(401)
      }
    }
    const locked = await attempt('root', 'root password 123', '127.0.1.9')
    const ghost = await attempt('ghost', 'root password 123', '127.0.1.9')
    expect([locked.statusCode, ghost.statusCode]).toEqual([429, 429])
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(800)
    expect(Number(locked.headers['retry-after'])).toBeLessThanOrEqual(900)
    expect(locked.json().messages[0].text).toMatch(/too many failed sign-ins for this user name/)
    expect(locked.json().messages).toEqual(ghost.json().messages)
    later(16)
    expect((await attempt('root', 'root password 123', '127.0.1.9')).statusCode).toBe(200)

    // Per address: five failures on any names, then the sixth is refused unchecked; another address is not.
    for (const name of ['a1', 'a2', 'a3', 'a4', 'a5']) {
      expect((await attempt(name, 'wrong guess', '127.0.2.1')).statusCode).toBe(401)
    }
    const byAddress = await attempt('root', 'root password 123', '127.0.2.1')
    expect(byAddress.statusCode).toBe(429)
    expect(byAddress.json().messages[0].text).toMatch(/from your address/)
    expect((await attempt('root', 'root password 123', '127.0.2.2')).statusCode).toBe(200)
    const audit = await engine.db.query<{ action: string }>(
      "SELECT action FROM audit_events WHERE action = 'SIGN_IN_LOCKED'",
    )
    expect(audit.length).toBe(3)
  })

  it('answers hostile input with a 400 naming the field, and writes nothing', async () => {
    const login = (payload: unknown, headers: Record<string, string> = {}) =>
      api.inject({
        method: 'POST',
        url: '/provisio/v1/auth/login',
        headers: { 'content-type': 'application/json', ...headers },
        payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
        remoteAddress: '127.0.3.1',
      })
    const fields = async (payload: unknown) => {
      const res = await login(payload)
      expect(res.statusCode, res.body).toBe(400)
      return (res.json() as { fields?: { path: string }[] }).fields?.map((f) => f.path)
    }
    expect(await fields({ username: 'ada' })).toEqual(['body.password'])
    expect(await fields({ username: 7, password: 'x' })).toEqual(['body.username'])
    expect(await fields({ username: 'ada', password: ['x'] })).toEqual(['body.password'])
    expect(await fields({ username: 'ada', password: 'x', admin: true })).toEqual(['body.admin'])
    expect(await fields({ username: 'ada', password: 'p'.repeat(2000) })).toEqual(['body.password'])
    expect(await fields({ username: 'u'.repeat(300), password: 'x' })).toEqual(['body.username'])
    expect((await login('{"username": "ada", ')).statusCode).toBe(400)
    const big = await login(JSON.stringify({ username: 'ada', password: 'x'.repeat(2 * 1024 * 1024) }))
    expect(big.statusCode).toBe(413)
    const form = await api.inject({
      method: 'POST',
      url: '/provisio/v1/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ username: 'ada', password: ADA_PASSWORD }).toString(),
    })
    expect(form.statusCode).toBe(400)
    expect(form.json().messages[0].text).toMatch(/posted as JSON/)
    const setBad = await api.inject({
      method: 'PUT',
      url: '/provisio/v1/identities/bob/password',
      headers: admin,
      payload: { password: 12345678901234 },
    })
    expect(setBad.statusCode).toBe(400)
    expect(setBad.json().fields).toEqual([expect.objectContaining({ path: 'body.password' })])
    const missing = await api.inject({
      method: 'PUT',
      url: '/provisio/v1/identities/nobody/password',
      headers: admin,
      payload: { password: 'a good long password' },
    })
    expect(missing.statusCode).toBe(404)
    const noAccess = await clientBearer(engine, ['SOURCE_ADMIN'])
    const forbidden = await api.inject({
      method: 'PUT',
      url: '/provisio/v1/identities/bob/password',
      headers: noAccess,
      payload: { password: 'a good long password' },
    })
    expect(forbidden.statusCode).toBe(403)
    const attempts = await engine.db.query(
      "SELECT 1 FROM sign_in_attempts WHERE source_address = '127.0.3.1'",
    )
    expect(attempts).toHaveLength(0)
  })
})
