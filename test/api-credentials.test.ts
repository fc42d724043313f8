import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Api } from '../src/api/build-api.js'
import type { OpenEngine } from '../src/app/open-engine.js'
import { createPersonalAccessToken } from '../src/engine/auth/credentials.js'
import { issueToken } from '../src/engine/auth/tokens.js'
import { listIdentities } from '../src/engine/queries/list-identities.js'
import { refreshSource } from '../src/engine/refresh-source.js'
import { databases } from './support/databases.js'
import { expectReferenceShape } from './support/reference-schema.js'
import { demoWorkspace } from './support/temp-workspace.js'
import { clientBearer, testApi } from './support/test-api.js'

describe.each(databases)(
  'credentials, capabilities and the audit log through the API on $name',
  (database) => {
    let api: Api
    let engine: OpenEngine
    let dir: string
    let admin: { authorization: string; clientId: string }
    let person: { id: string; name: string }
    let asPerson: { authorization: string }

    const patBearer = async (identity: string, name: string) => {
      const pat = await createPersonalAccessToken(engine, { identity, name })
      const token = await issueToken(engine, pat, {})
      return { authorization: `Bearer ${token.access_token}` }
    }

    beforeAll(async () => {
      const ws = await demoWorkspace()
      dir = ws.dir
      ;({ api, engine } = await testApi(ws.config, await database.open(), {
        rateLimit: { max: 1000, windowSeconds: 10 },
      }))
      for (const s of engine.config.sources) await refreshSource(engine, s.value.name)
      admin = await clientBearer(engine, ['ORG_ADMIN'])
      const { rows } = await listIdentities(engine, { filters: 'name eq "ada.lovelace"' })
      const someone = rows[0] ?? (await listIdentities(engine, { limit: 1, offset: 5 })).rows[0]
      if (!someone) throw new Error('the demo has no identities')
      person = someone
      asPerson = await patBearer(person.id, 'laptop')
    })
    afterAll(async () => {
      await api.close()
      await engine.close()
    })

    it('lets a person create, list and revoke their own personal access tokens', async () => {
      const created = await api.inject({
        method: 'POST',
        url: '/beta/personal-access-tokens',
        headers: asPerson,
        payload: { name: 'scripts' },
      })
      expect(created.statusCode).toBe(200)
      const body = created.json() as { id: string; secret: string; owner: { id: string } }
      expectReferenceShape('POST', '/personal-access-tokens', 200, body)
      expect(body.owner.id).toBe(person.id)
      // The new pair works at the token endpoint, as the official client uses it.
      const token = await api.inject({
        method: 'POST',
        url: '/oauth/token',
        query: { grant_type: 'client_credentials', client_id: body.id, client_secret: body.secret },
      })
      expect(token.json()).toMatchObject({ identity_id: person.id })

      const list = await api.inject({ url: '/v3/personal-access-tokens', headers: asPerson })
      expectReferenceShape('GET', '/personal-access-tokens', 200, list.json())
      expect((list.json() as { id: string; secret?: string }[]).map((t) => t.id)).toContain(body.id)
      expect(JSON.stringify(list.json())).not.toContain(body.secret)

      // Another person neither sees nor revokes it.
      const other = (await listIdentities(engine, { filters: `id ne "${person.id}"`, limit: 1 })).rows[0]!
      const asOther = await patBearer(other.id, 'other laptop')
      const theirs = await api.inject({ url: '/beta/personal-access-tokens', headers: asOther })
      expect((theirs.json() as { id: string }[]).map((t) => t.id)).not.toContain(body.id)
      const stolen = await api.inject({
        method: 'DELETE',
        url: `/beta/personal-access-tokens/${body.id}`,
        headers: asOther,
      })
      expect(stolen.statusCode).toBe(404)
      const peek = await api.inject({
        url: `/beta/personal-access-tokens?owner-id=${person.id}`,
        headers: asOther,
      })
      expect(peek.statusCode).toBe(403)

      const revoked = await api.inject({
        method: 'DELETE',
        url: `/beta/personal-access-tokens/${body.id}`,
        headers: asPerson,
      })
      expect(revoked.statusCode).toBe(204)
      const after = await api.inject({
        method: 'POST',
        url: '/oauth/token',
        query: { grant_type: 'client_credentials', client_id: body.id, client_secret: body.secret },
      })
      expect(after.statusCode).toBe(401)
    })

    it('refuses a bad personal access token body, naming the field', async () => {
      const r = await api.inject({
        method: 'POST',
        url: '/beta/personal-access-tokens',
        headers: asPerson,
        payload: { name: 42, colour: 'red' },
      })
      expect(r.statusCode).toBe(400)
      expect(JSON.stringify(r.json().fields)).toMatch(/body\.name/)
      const malformed = await api.inject({
        method: 'POST',
        url: '/beta/personal-access-tokens',
        headers: { ...asPerson, 'content-type': 'application/json' },
        payload: '{"name": ',
      })
      expect(malformed.statusCode).toBe(400)
    })

    it('creates API clients with capabilities of their own, for ORG_ADMIN only', async () => {
      const body = {
        name: 'reporting',
        description: 'nightly reports',
        accessTokenValiditySeconds: 750,
        grantTypes: ['CLIENT_CREDENTIALS'],
        accessType: 'OFFLINE',
        enabled: true,
        capabilities: ['REPORT_ADMIN'],
      }
      const denied = await api.inject({
        method: 'POST',
        url: '/beta/oauth-clients',
        headers: asPerson,
        payload: body,
      })
      expect(denied.statusCode).toBe(403)
      const created = await api.inject({
        method: 'POST',
        url: '/beta/oauth-clients',
        headers: admin,
        payload: body,
      })
      expect(created.statusCode).toBe(200)
      expectReferenceShape('POST', '/oauth-clients', 200, created.json())
      const client = created.json() as { id: string; secret: string }
      const token = await api.inject({
        method: 'POST',
        url: '/oauth/token',
        query: { grant_type: 'client_credentials', client_id: client.id, client_secret: client.secret },
      })
      const bearer = { authorization: `Bearer ${token.json().access_token as string}` }
      // REPORT_ADMIN reads the audit log, and cannot create more clients.
      expect((await api.inject({ url: '/provisio/v1/audit', headers: bearer })).statusCode).toBe(200)
      expect(
        (await api.inject({ method: 'POST', url: '/beta/oauth-clients', headers: bearer, payload: body }))
          .statusCode,
      ).toBe(403)
      const list = await api.inject({ url: '/v3/oauth-clients', headers: admin })
      expectReferenceShape('GET', '/oauth-clients', 200, list.json())
      const unsupported = await api.inject({
        method: 'POST',
        url: '/beta/oauth-clients',
        headers: admin,
        payload: { ...body, grantTypes: ['AUTHORIZATION_CODE'] },
      })
      expect(unsupported.statusCode).toBe(400)
      expect(
        (await api.inject({ method: 'DELETE', url: `/beta/oauth-clients/${client.id}`, headers: admin }))
          .statusCode,
      ).toBe(204)
      expect((await api.inject({ url: '/provisio/v1/audit', headers: bearer })).statusCode).toBe(401)
    })

    it('grants capabilities through /auth-users, in provisio.yaml, for the next token', async () => {
      const me = await api.inject({ url: `/v3/auth-users/${person.id}`, headers: asPerson })
      expect(me.statusCode).toBe(200)
      expectReferenceShape('GET', '/auth-users/{id}', 200, me.json())
      expect(me.json().capabilities).toEqual([])
      const self = await api.inject({
        method: 'PATCH',
        url: `/v3/auth-users/${person.id}`,
        headers: { ...asPerson, 'content-type': 'application/json-patch+json' },
        payload: JSON.stringify([{ op: 'replace', path: '/capabilities', value: ['ORG_ADMIN'] }]),
      })
      expect(self.statusCode).toBe(403)
      const granted = await api.inject({
        method: 'PATCH',
        url: `/v2024/auth-users/${person.id}`,
        headers: { ...admin, 'content-type': 'application/json-patch+json' },
        payload: JSON.stringify([{ op: 'add', path: '/capabilities/-', value: 'SOURCE_ADMIN' }]),
      })
      expect(granted.statusCode).toBe(200)
      expect(granted.json().capabilities).toEqual(['SOURCE_ADMIN'])
      expect(readFileSync(join(dir, 'provisio.yaml'), 'utf8')).toMatch(
        new RegExp(
          `${person.name.replace('.', '\\.')}:\\s*\\n?\\s*- SOURCE_ADMIN|${person.name.replace('.', '\\.')}: \\[ SOURCE_ADMIN \\]`,
        ),
      )
      // The old token keeps what it was issued with; the next one carries the grant.
      expect((await api.inject({ url: '/v3/accounts?limit=1', headers: asPerson })).statusCode).toBe(403)
      const fresh = await patBearer(person.id, 'fresh')
      expect((await api.inject({ url: '/v3/accounts?limit=1', headers: fresh })).statusCode).toBe(200)

      const unknown = await api.inject({
        method: 'PATCH',
        url: `/v3/auth-users/${person.id}`,
        headers: { ...admin, 'content-type': 'application/json-patch+json' },
        payload: JSON.stringify([{ op: 'replace', path: '/capabilities', value: ['GOD_MODE'] }]),
      })
      expect(unknown.statusCode).toBe(400)
      expect(unknown.json().messages[0].text).toMatch(/GOD_MODE/)
      const elsewhere = await api.inject({
        method: 'PATCH',
        url: `/v3/auth-users/${person.id}`,
        headers: { ...admin, 'content-type': 'application/json-patch+json' },
        payload: JSON.stringify([{ op: 'replace', path: '/email', value: 'x@example.com' }]),
      })
      expect(elsewhere.statusCode).toBe(400)
    })

    it('records writes, token issues and refusals in the audit log, never a secret', async () => {
      const log = await api.inject({ url: '/provisio/v1/audit?count=true&limit=250', headers: admin })
      expect(log.statusCode).toBe(200)
      expect(Number(log.headers['x-total-count'])).toBeGreaterThan(3)
      const events = log.json() as { action: string; actor: { clientId: string | null }; after: unknown }[]
      const actions = new Set(events.map((e) => e.action))
      for (const a of [
        'TOKEN_ISSUED',
        'TOKEN_REFUSED',
        'PERSONAL_ACCESS_TOKEN_CREATED',
        'CAPABILITIES_CHANGED',
      ]) {
        expect(actions).toContain(a)
      }
      expect(JSON.stringify(events)).not.toMatch(/"secret"|client_secret/)
      const filtered = await api.inject({
        url: `/provisio/v1/audit?filters=${encodeURIComponent('action eq "CAPABILITIES_CHANGED"')}`,
        headers: admin,
      })
      expect(filtered.json()).toHaveLength(1)
      expect(filtered.json()[0]).toMatchObject({
        before: { capabilities: [] },
        after: { capabilities: ['SOURCE_ADMIN'] },
        actor: { clientId: admin.clientId },
      })
      const denied = await api.inject({ url: '/provisio/v1/audit', headers: asPerson })
      expect(denied.statusCode).toBe(403)
    })
  },
)
