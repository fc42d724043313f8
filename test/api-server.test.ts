import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Api } from '../src/api/build-api.js'
import type { OpenEngine } from '../src/app/open-engine.js'
import { createApiClient } from '../src/engine/auth/credentials.js'
import { refreshSource } from '../src/engine/refresh-source.js'
import { databases } from './support/databases.js'
import { expectReferenceShape } from './support/reference-schema.js'
import { demoWorkspace } from './support/temp-workspace.js'
import { clientBearer, testApi } from './support/test-api.js'

describe.each(databases)('the HTTP API on $name', (database) => {
  let api: Api
  let engine: OpenEngine
  let admin: { authorization: string }

  beforeAll(async () => {
    const ws = await demoWorkspace()
    const built = await testApi(ws.config, await database.open(), {
      rateLimit: { max: 1000, windowSeconds: 10 },
    })
    ;({ api, engine } = built)
    for (const s of engine.config.sources) await refreshSource(engine, s.value.name)
    admin = await clientBearer(engine, ['ORG_ADMIN'])
  })
  afterAll(async () => {
    await api.close()
    await engine.close()
  })

  it('issues a token for client credentials posted as a form, multipart, or query parameters', async () => {
    const client = await createApiClient(engine, { name: 'forms', capabilities: ['SOURCE_ADMIN'] })
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: client.clientId,
      client_secret: client.clientSecret,
    })
    const urlencoded = await api.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: form.toString(),
    })
    expect(urlencoded.statusCode).toBe(200)
    expect(urlencoded.json()).toMatchObject({ token_type: 'bearer', expires_in: 749 })
    const query = await api.inject({ method: 'POST', url: `/oauth/token?${form.toString()}` })
    expect(query.statusCode).toBe(200)
    const multipart = new FormData()
    for (const [k, v] of form) multipart.append(k, v)
    const request = new Request('http://x/', { method: 'POST', body: multipart })
    const multi = await api.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': request.headers.get('content-type') ?? '' },
      payload: Buffer.from(await request.arrayBuffer()),
    })
    expect(multi.statusCode).toBe(200)
    const wrong = await api.inject({
      method: 'POST',
      url: '/oauth/token',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ ...Object.fromEntries(form), client_secret: 'nope' }).toString(),
    })
    expect(wrong.statusCode).toBe(401)
    expect(wrong.json()).toMatchObject({ error: 'invalid_client', detailCode: 'JWT validation failed' })
  })

  it('lists accounts with paging, a total, filters and sorters', async () => {
    const all = await api.inject({ url: '/v3/accounts?count=true&limit=2', headers: admin })
    expect(all.statusCode).toBe(200)
    expect(all.json()).toHaveLength(2)
    const total = Number(all.headers['x-total-count'])
    expect(total).toBeGreaterThan(2)
    expectReferenceShape('GET', '/accounts', 200, all.json())
    const [first] = all.json() as { id: string; sourceId: string }[]
    const one = await api.inject({ url: `/v3/accounts/${first?.id ?? ''}`, headers: admin })
    expectReferenceShape('GET', '/accounts/{id}', 200, one.json())
    expect(one.json()).toMatchObject({ id: first?.id, sourceId: first?.sourceId })
    const filtered = await api.inject({
      url: `/v3/accounts?filters=${encodeURIComponent(`id eq "${first?.id ?? ''}"`)}`,
      headers: admin,
    })
    expect(filtered.json()).toHaveLength(1)
  })

  it('answers bad input with the reference error body, naming the field', async () => {
    const big = await api.inject({ url: '/v3/accounts?limit=251', headers: admin })
    expect(big.statusCode).toBe(400)
    expect(big.json()).toMatchObject({
      detailCode: '400.1 Bad Request Content',
      messages: [{ locale: 'en-US', localeOrigin: 'DEFAULT' }],
      fields: [{ path: 'querystring.limit' }],
    })
    expect(big.json().trackingId).toMatch(/^[0-9a-f]{32}$/)
    const misspelled = await api.inject({ url: '/v3/accounts?fliters=x', headers: admin })
    expect(misspelled.statusCode).toBe(400)
    const badFilter = await api.inject({ url: '/v3/accounts?filters=color%20eq%20%22red%22', headers: admin })
    expect(badFilter.statusCode).toBe(400)
    expect(badFilter.json().messages[0].text).toMatch(/color/)
    const missing = await api.inject({ url: '/v3/accounts/nope', headers: admin })
    expect(missing.statusCode).toBe(404)
    expectReferenceShape('GET', '/accounts/{id}', 404, missing.json())
    const noRoute = await api.inject({ url: '/v3/nothing', headers: admin })
    expect(noRoute.statusCode).toBe(404)
  })

  it('refuses a missing or forged token (401) and a missing capability (403)', async () => {
    expect((await api.inject({ url: '/v3/accounts' })).statusCode).toBe(401)
    const forged = await api.inject({ url: '/v3/accounts', headers: { authorization: 'Bearer abc.def.ghi' } })
    expect(forged.statusCode).toBe(401)
    const helpless = await clientBearer(engine, ['CERT_ADMIN'])
    const denied = await api.inject({ url: '/v3/accounts', headers: helpless })
    expect(denied.statusCode).toBe(403)
    expect(denied.json().messages[0].text).toMatch(/SOURCE_ADMIN/)
  })

  it('sends security headers', async () => {
    const r = await api.inject({ url: '/openapi.json' })
    expect(r.statusCode).toBe(200)
    expect(r.headers['x-content-type-options']).toBe('nosniff')
    expect(r.json().paths['/v3/accounts']).toBeDefined()
  })
})

describe('rate limits', () => {
  it('answers 429 with Retry-After past the limit, per client', async () => {
    const ws = await demoWorkspace()
    const { api, engine } = await testApi(ws.config, await databases[0]!.open(), {
      rateLimit: { max: 3, windowSeconds: 10 },
    })
    try {
      const a = await clientBearer(engine, ['ORG_ADMIN'])
      const b = await clientBearer(engine, ['ORG_ADMIN'])
      const statuses = []
      for (let i = 0; i < 4; i++) {
        statuses.push((await api.inject({ url: '/v3/accounts', headers: a })).statusCode)
      }
      expect(statuses).toEqual([200, 200, 200, 429])
      const limited = await api.inject({ url: '/v3/accounts', headers: a })
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0)
      expect(limited.json().detailCode).toBe('429 Too Many Requests')
      expect((await api.inject({ url: '/v3/accounts', headers: b })).statusCode).toBe(200)
    } finally {
      await api.close()
      await engine.close()
    }
  })
})
