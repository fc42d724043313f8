import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Api } from '../src/api/build-api.js'
import type { OpenEngine } from '../src/app/open-engine.js'
import { configHistory } from '../src/engine/config/config-history.js'
import { publishConfig } from '../src/engine/config/publish-config.js'
import { databases } from './support/databases.js'
import { expectReferenceShape } from './support/reference-schema.js'
import { demoWorkspace } from './support/temp-workspace.js'
import { clientBearer, testApi } from './support/test-api.js'

const LOBBY = 'f2dd33ce00d17ebf955e7f5b1dda0154'
const ALL_EMPLOYEES = '012bf03e6e61fb018d1c58048f4282e1'
const DEPARTMENT_CODE = '4e20cc49dfa82704d69cdee51aa4d1ca'
const BADGE = '8b3b760bc48f4aaf32f3d7d0f9882780'
const PATCH = { 'content-type': 'application/json-patch+json' }

/**
 * A transform response against the reference: its document's `attributes` is a oneOf of look-alike
 * schemas (Base64Decode, Base64Encode, Lower, Upper, Trim… are each `{input}` with nothing required), which
 * no real transform can match exactly one of, whatever serves it. The rest of the shape is checked as is,
 * `attributes` as an object.
 */
function expectTransformShape(method: string, path: string, status: number, body: unknown): void {
  const one = (t: { attributes: unknown }) => {
    expect(typeof t.attributes).toBe('object')
    return { ...t, attributes: null }
  }
  expectReferenceShape(
    method,
    path,
    status,
    Array.isArray(body) ? (body as { attributes: unknown }[]).map(one) : one(body as { attributes: unknown }),
  )
}

describe.each(databases)('configuration routes: transforms, roles, access profiles on $name', (database) => {
  let api: Api
  let engine: OpenEngine
  let dir: string
  let sourceAdmin: { authorization: string }
  let roleAdmin: { authorization: string }

  beforeAll(async () => {
    const ws = await demoWorkspace()
    dir = ws.dir
    ;({ api, engine } = await testApi(ws.config, await database.open(), {
      rateLimit: { max: 10_000, windowSeconds: 10 },
    }))
    await publishConfig(engine.db, engine.config)
    sourceAdmin = await clientBearer(engine, ['SOURCE_ADMIN'])
    roleAdmin = await clientBearer(engine, ['ROLE_ADMIN'])
  })
  afterAll(async () => {
    await api.close()
    await engine.close()
  })

  it('creates, reads, replaces and deletes a transform', async () => {
    const list = await api.inject({
      url: '/v3/transforms?filters=name%20sw%20%22dep%22',
      headers: sourceAdmin,
    })
    expectTransformShape('GET', '/transforms', 200, list.json())
    expect((list.json() as { id: string }[]).map((t) => t.id)).toEqual([DEPARTMENT_CODE])
    const byName = await api.inject({ url: '/v3/transforms?name=Lifecycle%20State', headers: sourceAdmin })
    expect(byName.json()).toMatchObject([{ name: 'Lifecycle State', type: 'static', internal: false }])

    const body = {
      name: 'Upper Title',
      type: 'upper',
      attributes: { input: { type: 'identityAttribute', attributes: { name: 'title' } } },
    }
    const created = await api.inject({
      method: 'POST',
      url: '/v3/transforms',
      headers: sourceAdmin,
      payload: body,
    })
    expect(created.statusCode).toBe(201)
    expectTransformShape('POST', '/transforms', 201, created.json())
    const id = created.json().id as string
    const got = await api.inject({ url: `/v3/transforms/${id}`, headers: sourceAdmin })
    expectTransformShape('GET', '/transforms/{id}', 200, got.json())
    expect(got.json()).toMatchObject({ id, ...body, internal: false })

    const replaced = await api.inject({
      method: 'PUT',
      url: `/v3/transforms/${id}`,
      headers: sourceAdmin,
      payload: {
        ...(got.json() as object),
        attributes: { input: { type: 'identityAttribute', attributes: { name: 'department' } } },
      },
    })
    expect(replaced.statusCode).toBe(200)
    expectTransformShape('PUT', '/transforms/{id}', 200, replaced.json())
    expect(readFileSync(join(dir, 'transforms/upper-title.yaml'), 'utf8')).toContain('name: department')
    expect(engine.config.transforms.find((t) => t.value.id === id)?.value.attributes).toMatchObject({
      input: { attributes: { name: 'department' } },
    })

    // A transform that does not compile: validate's message, at the body's field.
    const bad = await api.inject({
      method: 'POST',
      url: '/v3/transforms',
      headers: sourceAdmin,
      payload: { name: 'Broken', type: 'nosuchtype', attributes: {} },
    })
    expect(bad.statusCode).toBe(400)
    expect((bad.json().fields as { path: string }[])[0]?.path).toMatch(/^body/)

    // Still referred to by the identity profile: refused, naming it.
    const inUse = await api.inject({
      method: 'DELETE',
      url: `/v3/transforms/${DEPARTMENT_CODE}`,
      headers: sourceAdmin,
    })
    expect(inUse.statusCode).toBe(400)
    expect(inUse.json().messages[0].text).toContain('identity-profiles/employees.yaml')
    const removed = await api.inject({ method: 'DELETE', url: `/v3/transforms/${id}`, headers: sourceAdmin })
    expect(removed.statusCode).toBe(204)
    expect(existsSync(join(dir, 'transforms/upper-title.yaml'))).toBe(false)
    expect((await api.inject({ url: `/v3/transforms/${id}`, headers: sourceAdmin })).statusCode).toBe(404)
    // A role admin has no business with transforms.
    expect((await api.inject({ url: '/v3/transforms', headers: roleAdmin })).statusCode).toBe(403)
  })

  it('creates, patches and deletes an access profile', async () => {
    const list = await api.inject({
      url: `/v3/access-profiles?filters=${encodeURIComponent(`source.id eq "${BADGE}"`)}&sorters=name&count=true`,
      headers: roleAdmin,
    })
    expectReferenceShape('GET', '/access-profiles', 200, list.json())
    expect((list.json() as { name: string }[]).map((a) => a.name)).toEqual([
      'Datacenter Access',
      'Lobby Access',
    ])
    expect(list.headers['x-total-count']).toBe('2')

    const body = {
      name: 'Roof Access',
      description: 'The roof, for facilities staff',
      owner: { type: 'IDENTITY', name: 'james.lamarr' },
      source: { type: 'SOURCE', id: BADGE, name: 'Badge System' },
      entitlements: [{ type: 'ENTITLEMENT', attribute: 'zones', value: 'roof' }],
      requestable: true,
    }
    const created = await api.inject({
      method: 'POST',
      url: '/v3/access-profiles',
      headers: roleAdmin,
      payload: body,
    })
    expect(created.statusCode).toBe(201)
    expectReferenceShape('POST', '/access-profiles', 201, created.json())
    const id = created.json().id as string
    expect(created.json()).toMatchObject({
      name: 'Roof Access',
      enabled: true,
      entitlements: [{ type: 'ENTITLEMENT', name: 'roof', value: 'roof' }],
    })

    const patched = await api.inject({
      method: 'PATCH',
      url: `/v3/access-profiles/${id}`,
      headers: { ...roleAdmin, ...PATCH },
      payload: JSON.stringify([
        { op: 'replace', path: '/description', value: 'Roof and plant room' },
        {
          op: 'add',
          path: '/entitlements/-',
          value: { type: 'ENTITLEMENT', attribute: 'zones', value: 'plant-room' },
        },
      ]),
    })
    expect(patched.statusCode).toBe(200)
    expectReferenceShape('PATCH', '/access-profiles/{id}', 200, patched.json())
    const text = readFileSync(join(dir, 'access-profiles/roof-access.yaml'), 'utf8')
    expect(text).toContain('plant-room')
    expect(text).toContain('description: Roof and plant room')

    const unknown = await api.inject({
      method: 'PATCH',
      url: `/v3/access-profiles/${id}`,
      headers: { ...roleAdmin, ...PATCH },
      payload: JSON.stringify([{ op: 'add', path: '/requestible', value: false }]),
    })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().fields).toEqual([{ path: 'body.requestible', message: 'unknown field' }])

    const inUse = await api.inject({
      method: 'DELETE',
      url: `/v3/access-profiles/${LOBBY}`,
      headers: roleAdmin,
    })
    expect(inUse.statusCode).toBe(400)
    expect(inUse.json().messages[0].text).toMatch(/^cannot remove access profile "Lobby Access"/)
    expect(inUse.json().fields).toMatchObject([{ path: 'accessProfiles[0]' }])
    const removed = await api.inject({
      method: 'DELETE',
      url: `/v3/access-profiles/${id}`,
      headers: roleAdmin,
    })
    expect(removed.statusCode).toBe(204)
    expect(existsSync(join(dir, 'access-profiles/roof-access.yaml'))).toBe(false)
  })

  it('creates, patches and deletes a role; a source admin may read roles but not write them', async () => {
    const got = await api.inject({ url: `/v3/roles/${ALL_EMPLOYEES}`, headers: roleAdmin })
    expectReferenceShape('GET', '/roles/{id}', 200, got.json())
    expect(got.json()).toMatchObject({
      name: 'All Employees',
      accessProfiles: [
        { type: 'ACCESS_PROFILE', id: LOBBY, name: 'Lobby Access' },
        { type: 'ACCESS_PROFILE', name: 'Directory Users' },
      ],
      membership: { type: 'STANDARD', criteria: { operation: 'EQUALS' } },
    })
    const list = await api.inject({ url: '/v3/roles?filters=requestable%20eq%20true', headers: sourceAdmin })
    expectReferenceShape('GET', '/roles', 200, list.json())
    expect((list.json() as { name: string }[]).map((r) => r.name)).toEqual(['Operations Datacenter'])

    const body = {
      name: 'Finance Badges',
      owner: { type: 'IDENTITY', name: 'joan.goldwasser' },
      accessProfiles: [{ type: 'ACCESS_PROFILE', id: LOBBY }],
      membership: {
        type: 'STANDARD',
        criteria: {
          operation: 'EQUALS',
          key: { type: 'IDENTITY', property: 'attribute.department' },
          stringValue: 'Finance',
        },
      },
    }
    expect(
      (await api.inject({ method: 'POST', url: '/v3/roles', headers: sourceAdmin, payload: body }))
        .statusCode,
    ).toBe(403)
    const versions = (await configHistory(engine.db)).length
    const created = await api.inject({ method: 'POST', url: '/v3/roles', headers: roleAdmin, payload: body })
    expect(created.statusCode).toBe(201)
    expectReferenceShape('POST', '/roles', 201, created.json())
    const id = created.json().id as string
    expect(engine.config.roles.map((r) => r.value.name)).toContain('Finance Badges')
    expect((await configHistory(engine.db)).length).toBe(versions + 1)

    const patched = await api.inject({
      method: 'PATCH',
      url: `/v3/roles/${id}`,
      headers: { ...roleAdmin, ...PATCH },
      payload: JSON.stringify([
        { op: 'replace', path: '/membership/criteria/stringValue', value: 'Sales' },
        { op: 'replace', path: '/requestable', value: true },
      ]),
    })
    expect(patched.statusCode).toBe(200)
    expectReferenceShape('PATCH', '/roles/{id}', 200, patched.json())
    expect(engine.config.roles.find((r) => r.value.id === id)?.value).toMatchObject({
      requestable: true,
      membership: { criteria: { stringValue: 'Sales' } },
    })

    // A criteria tree that validate refuses, and fields Provisio cannot honour.
    const bad = await api.inject({
      method: 'PATCH',
      url: `/v3/roles/${id}`,
      headers: { ...roleAdmin, ...PATCH },
      payload: JSON.stringify([
        { op: 'replace', path: '/membership/criteria/operation', value: 'SOMETIMES' },
        { op: 'add', path: '/accessProfiles/-', value: { type: 'ACCESS_PROFILE', name: 'Nowhere' } },
      ]),
    })
    expect(bad.statusCode).toBe(400)
    expect((bad.json().fields as { path: string }[]).map((f) => f.path).sort()).toEqual([
      'body.accessProfiles[1]',
      'body.membership.criteria.operation',
    ])
    const dimensions = await api.inject({
      method: 'PATCH',
      url: `/v3/roles/${id}`,
      headers: { ...roleAdmin, ...PATCH },
      payload: JSON.stringify([{ op: 'replace', path: '/dimensional', value: true }]),
    })
    expect(dimensions.statusCode).toBe(400)
    expect(dimensions.json().fields).toMatchObject([{ path: 'body.dimensional' }])

    const removed = await api.inject({ method: 'DELETE', url: `/v3/roles/${id}`, headers: roleAdmin })
    expect(removed.statusCode).toBe(204)
    expect(engine.config.roles.map((r) => r.value.id)).not.toContain(id)
  })
})
