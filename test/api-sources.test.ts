import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Api } from '../src/api/build-api.js'
import type { OpenEngine } from '../src/app/open-engine.js'
import { configHistory } from '../src/engine/config/config-history.js'
import { publishConfig } from '../src/engine/config/publish-config.js'
import { listAuditEvents } from '../src/store/audit-events.js'
import { databases } from './support/databases.js'
import { expectReferenceShape } from './support/reference-schema.js'
import { demoWorkspace } from './support/temp-workspace.js'
import { clientBearer, testApi } from './support/test-api.js'

const BADGE = '8b3b760bc48f4aaf32f3d7d0f9882780'
const DIRECTORY = '7c6060c1ea6ed657346537e2d751712f'

/** A new flat-file source in the v3 shape, with Provisio's own fields (its account schema) under `provisio`. */
const VISITORS = {
  name: 'Visitor Log',
  description: 'Visitors signed in at reception',
  owner: { type: 'IDENTITY', name: 'james.lamarr' },
  connector: 'delimited-file',
  connectionType: 'file',
  connectorAttributes: { file: 'data/visitors.csv' },
  deleteThreshold: 50,
  provisio: {
    schemas: [
      {
        name: 'account',
        identityAttribute: 'visitorId',
        attributes: [{ name: 'visitorId' }, { name: 'host' }],
      },
    ],
  },
}

describe.each(databases)('configuration routes: sources on $name', (database) => {
  let api: Api
  let engine: OpenEngine
  let dir: string
  let admin: { authorization: string }

  beforeAll(async () => {
    const ws = await demoWorkspace()
    dir = ws.dir
    const built = await testApi(ws.config, await database.open(), {
      rateLimit: { max: 10_000, windowSeconds: 10 },
    })
    ;({ api, engine } = built)
    await publishConfig(engine.db, engine.config)
    admin = await clientBearer(engine, ['SOURCE_ADMIN'])
  })
  afterAll(async () => {
    await api.close()
    await engine.close()
  })

  const patch = { 'content-type': 'application/json-patch+json' }

  it('lists sources with filters and sorters, and gets one, in the reference shape', async () => {
    const all = await api.inject({ url: '/v3/sources?count=true&sorters=-name', headers: admin })
    expect(all.statusCode).toBe(200)
    expectReferenceShape('GET', '/sources', 200, all.json())
    expect(all.headers['x-total-count']).toBe('3')
    expect((all.json() as { name: string }[]).map((s) => s.name)).toEqual([
      'HR',
      'Corporate Directory',
      'Badge System',
    ])
    const filtered = await api.inject({
      url: `/v3/sources?filters=${encodeURIComponent('name sw "corp" or features co "ENABLE"')}`,
      headers: admin,
    })
    expect((filtered.json() as { id: string }[]).map((s) => s.id)).toEqual([DIRECTORY])
    const byId = await api.inject({
      url: `/v3/sources?filters=${encodeURIComponent(`id eq "${BADGE}"`)}`,
      headers: admin,
    })
    expect(byId.json()).toHaveLength(1)

    const one = await api.inject({ url: `/v3/sources/${BADGE}`, headers: admin })
    expectReferenceShape('GET', '/sources/{id}', 200, one.json())
    expect(one.json()).toMatchObject({
      id: BADGE,
      name: 'Badge System',
      owner: { type: 'IDENTITY', name: 'james.lamarr' },
      connector: 'delimited-file',
      connectorAttributes: { file: 'data/badges.csv', multiValueDelimiter: '|' },
      schemas: [{ type: 'CONNECTOR_SCHEMA', name: 'account' }],
      accountCorrelationConfig: { type: 'ACCOUNT_CORRELATION_CONFIG' },
      provisio: {
        schemas: [{ identityAttribute: 'badgeId' }],
        provisioningPolicies: [{ usageType: 'CREATE' }],
      },
    })
    const missing = await api.inject({ url: '/v3/sources/nope', headers: admin })
    expect(missing.statusCode).toBe(404)
    const badFilter = await api.inject({ url: '/v3/sources?filters=color%20eq%20%22red%22', headers: admin })
    expect(badFilter.statusCode).toBe(400)
  })

  it('creates a source, changes it with PUT and JSON Patch: the YAML has the change and its comments, a new version runs', async () => {
    const versions = (await configHistory(engine.db)).length
    const created = await api.inject({
      method: 'POST',
      url: '/v3/sources',
      headers: admin,
      payload: VISITORS,
    })
    expect(created.statusCode).toBe(201)
    expectReferenceShape('POST', '/sources', 201, created.json())
    const id = created.json().id as string
    expect(id).toMatch(/^[0-9a-f]{32}$/)
    expect(readFileSync(join(dir, 'sources/visitor-log.yaml'), 'utf8')).toContain(
      'identityAttribute: visitorId',
    )
    expect(engine.config.sources.map((s) => s.value.name)).toContain('Visitor Log')
    expect((await configHistory(engine.db)).length).toBe(versions + 1)

    // PUT the object as read, with one change: Provisio's own fields (connector settings, schemas,
    // policies, comments in the YAML) stay as they were.
    const file = join(dir, 'sources/badge-system.yaml')
    const before = readFileSync(file, 'utf8')
    const read = (await api.inject({ url: `/v3/sources/${BADGE}`, headers: admin })).json()
    const { provisio: _own, ...v3Only } = read
    const put = await api.inject({
      method: 'PUT',
      url: `/v3/sources/${BADGE}`,
      headers: admin,
      payload: { ...v3Only, description: 'Badges, provisioned by facilities', deleteThreshold: 25 },
    })
    expect(put.statusCode).toBe(200)
    expectReferenceShape('PUT', '/sources/{id}', 200, put.json())
    expect(put.json()).toMatchObject({
      description: 'Badges, provisioned by facilities',
      deleteThreshold: 25,
    })
    const after = readFileSync(file, 'utf8')
    expect(after).toContain('description: Badges, provisioned by facilities')
    expect(after).toContain('deleteThreshold: 25')
    // Everything else of the file, its comments included, is as it was.
    const unchanged = (text: string) =>
      text.split('\n').filter((l) => !l.startsWith('description:') && !l.startsWith('deleteThreshold:'))
    expect(unchanged(after)).toEqual(unchanged(before))
    expect(after).toContain(
      '# How facilities issue a badge (the Create Account profile); fields are evaluated in order.',
    )
    expect(engine.config.sources.find((s) => s.value.id === BADGE)?.value.deleteThreshold).toBe(25)
    expect((await configHistory(engine.db)).length).toBe(versions + 2)

    const patched = await api.inject({
      method: 'PATCH',
      url: `/v3/sources/${BADGE}`,
      headers: { ...admin, ...patch },
      payload: JSON.stringify([
        { op: 'replace', path: '/deleteThreshold', value: 40 },
        { op: 'add', path: '/connectorAttributes/delimiter', value: ';' },
        { op: 'replace', path: '/provisio/concurrency', value: 4 },
      ]),
    })
    expect(patched.statusCode).toBe(200)
    expectReferenceShape('PATCH', '/sources/{id}', 200, patched.json())
    expect(patched.json()).toMatchObject({
      deleteThreshold: 40,
      connectorAttributes: { delimiter: ';' },
      provisio: { concurrency: 4 },
    })
    const text = readFileSync(file, 'utf8')
    expect(text).toContain('deleteThreshold: 40')
    expect(text).toContain('concurrency: 4')
    expect(text).toContain("# A badge shows the holder's current name.")
    // The engine runs with it now, as a new published version.
    const running = engine.config.sources.find((s) => s.value.id === BADGE)?.value
    expect(running).toMatchObject({ deleteThreshold: 40, concurrency: 4 })
    const history = await configHistory(engine.db)
    expect(history.length).toBe(versions + 3)
    expect(history[0]?.author).toMatch(/^api: client /)

    // Each write is audited with the object before and after.
    const events = await listAuditEvents(engine.db)
    const update = events.find((e) => e.action === 'SOURCE_UPDATED' && e.status === 200)
    expect(update).toMatchObject({ targetId: BADGE, targetName: 'Badge System', targetType: 'SOURCE' })
    expect(JSON.stringify(update?.before)).toContain('badges.csv')
  })

  it('refuses a bad body with a 400 naming each bad field, and writes nothing', async () => {
    const snapshot = () =>
      readdirSync(join(dir, 'sources')).map((f) => readFileSync(join(dir, 'sources', f), 'utf8'))
    const files = snapshot()
    const versions = (await configHistory(engine.db)).length
    const bad = await api.inject({
      method: 'POST',
      url: '/v3/sources',
      headers: admin,
      payload: {
        ...VISITORS,
        name: 'Bad',
        deleteThreshold: 'many',
        descripton: 'typo',
        cluster: { id: 'c1', name: 'VA', type: 'CLUSTER' },
      },
    })
    expect(bad.statusCode).toBe(400)
    expectReferenceShape('POST', '/sources', 400, bad.json())
    const paths = (bad.json().fields as { path: string }[]).map((f) => f.path)
    expect(paths).toEqual(expect.arrayContaining(['body.deleteThreshold', 'body.descripton']))

    // Past the shape, validate's rules: each bad field named at its place in the body.
    const outOfRange = await api.inject({
      method: 'POST',
      url: '/v3/sources',
      headers: admin,
      payload: {
        ...VISITORS,
        name: 'Invalid',
        deleteThreshold: 500,
        provisio: {
          schemas: [
            {
              name: 'account',
              identityAttribute: 'visitorId',
              attributes: [{ name: 'visitorId', isMulit: true }],
            },
          ],
        },
      },
    })
    expect(outOfRange.statusCode).toBe(400)
    expect((outOfRange.json().fields as { path: string }[]).map((f) => f.path).sort()).toEqual([
      'body.deleteThreshold',
      'body.provisio.schemas[0].attributes[0].isMulit',
    ])
    const unresolved = await api.inject({
      method: 'POST',
      url: '/v3/sources',
      headers: admin,
      payload: {
        ...VISITORS,
        name: 'Invalid',
        connectorAttributes: { file: 'data/x.csv', delimeter: ';' },
        provisio: {
          schemas: [{ name: 'account', identityAttribute: 'nope', attributes: [{ name: 'visitorId' }] }],
        },
      },
    })
    expect(unresolved.statusCode).toBe(400)
    expect((unresolved.json().fields as { path: string }[]).map((f) => f.path).sort()).toEqual([
      'body.connectorAttributes.delimeter',
      'body.provisio.schemas[0].identityAttribute',
    ])

    const unsupported = await api.inject({
      method: 'PUT',
      url: `/v3/sources/${BADGE}`,
      headers: admin,
      payload: {
        name: 'Badge System',
        connector: 'delimited-file',
        owner: { name: 'james.lamarr' },
        cluster: { id: 'c1', name: 'VA', type: 'CLUSTER' },
        schemas: [{ name: 'group' }],
      },
    })
    expect(unsupported.statusCode).toBe(400)
    expect((unsupported.json().fields as { path: string }[]).map((f) => f.path)).toEqual([
      'body.cluster',
      'body.schemas',
    ])

    const badPatch = await api.inject({
      method: 'PATCH',
      url: `/v3/sources/${BADGE}`,
      headers: { ...admin, ...patch },
      payload: JSON.stringify([{ op: 'replace', path: '/nope', value: 1 }]),
    })
    expect(badPatch.statusCode).toBe(400)
    expect(badPatch.json().messages[0].text).toMatch(/JSON Patch operation 0/)
    const renameId = await api.inject({
      method: 'PATCH',
      url: `/v3/sources/${BADGE}`,
      headers: { ...admin, ...patch },
      payload: JSON.stringify([{ op: 'replace', path: '/id', value: 'other' }]),
    })
    expect(renameId.statusCode).toBe(400)
    expect(renameId.json().fields).toEqual([
      { path: 'body.id', message: `is ${BADGE} and cannot be changed` },
    ])
    const taken = await api.inject({
      method: 'POST',
      url: '/v3/sources',
      headers: admin,
      payload: { ...VISITORS, name: 'HR' },
    })
    expect(taken.statusCode).toBe(409)

    expect(snapshot()).toEqual(files)
    expect((await configHistory(engine.db)).length).toBe(versions)
  })

  it('refuses to delete a source others refer to, naming them; deletes one nobody refers to', async () => {
    const refused = await api.inject({ method: 'DELETE', url: `/v3/sources/${DIRECTORY}`, headers: admin })
    expect(refused.statusCode).toBe(400)
    const text = refused.json().messages[0].text as string
    expect(text).toMatch(/^cannot remove source "Corporate Directory"/)
    expect(text).toContain('access-profiles/directory-users.yaml')
    expect(readdirSync(join(dir, 'sources'))).toContain('corporate-directory.yaml')

    const created = await api.inject({
      method: 'POST',
      url: '/v3/sources',
      headers: admin,
      payload: { ...VISITORS, name: 'Temporary' },
    })
    const removed = await api.inject({
      method: 'DELETE',
      url: `/v3/sources/${created.json().id}`,
      headers: admin,
    })
    expect(removed.statusCode).toBe(202)
    expectReferenceShape('DELETE', '/sources/{id}', 202, removed.json())
    expect(readdirSync(join(dir, 'sources'))).not.toContain('temporary.yaml')
    expect(engine.config.sources.map((s) => s.value.name)).not.toContain('Temporary')
  })

  it('serves provisioning policies, schemas and health', async () => {
    const policies = await api.inject({ url: `/v3/sources/${BADGE}/provisioning-policies`, headers: admin })
    expectReferenceShape('GET', '/sources/{sourceId}/provisioning-policies', 200, policies.json())
    expect(policies.json()).toMatchObject([
      { usageType: 'CREATE', fields: [{ name: 'badgeId' }, {}, {}, {}] },
    ])
    const create = await api.inject({
      url: `/v3/sources/${BADGE}/provisioning-policies/CREATE`,
      headers: admin,
    })
    expectReferenceShape('GET', '/sources/{sourceId}/provisioning-policies/{usageType}', 200, create.json())
    const none = await api.inject({
      url: `/v3/sources/${BADGE}/provisioning-policies/DELETE`,
      headers: admin,
    })
    expect(none.statusCode).toBe(404)

    const policy = {
      name: 'Badge System Disable',
      usageType: 'DISABLE',
      fields: [
        { name: 'active', transform: { type: 'static', attributes: { value: 'false' } }, type: 'boolean' },
      ],
    }
    const put = await api.inject({
      method: 'PUT',
      url: `/v3/sources/${BADGE}/provisioning-policies/DISABLE`,
      headers: admin,
      payload: policy,
    })
    expect(put.statusCode).toBe(200)
    expectReferenceShape('PUT', '/sources/{sourceId}/provisioning-policies/{usageType}', 200, put.json())
    expect(readFileSync(join(dir, 'sources/badge-system.yaml'), 'utf8')).toContain(
      'name: Badge System Disable',
    )
    const badField = await api.inject({
      method: 'PUT',
      url: `/v3/sources/${BADGE}/provisioning-policies/DISABLE`,
      headers: admin,
      payload: { ...policy, fields: [{ name: 'active', transfrom: {} }] },
    })
    expect(badField.statusCode).toBe(400)
    expect((badField.json().fields as { path: string }[]).map((f) => f.path)).toEqual([
      'body.fields[0].transfrom',
    ])

    const schemas = await api.inject({ url: `/v3/sources/${BADGE}/schemas`, headers: admin })
    expectReferenceShape('GET', '/sources/{sourceId}/schemas', 200, schemas.json())
    expect(schemas.json()).toMatchObject([{ name: 'account', identityAttribute: 'badgeId' }])

    const health = await api.inject({ url: `/v3/sources/${BADGE}/source-health`, headers: admin })
    expectReferenceShape('GET', '/sources/{sourceId}/source-health', 200, health.json())
    expect(health.json()).toMatchObject({
      status: 'SOURCE_STATE_UNCHECKED_SOURCE',
      provisio: { checkedBy: 'last-aggregation' },
    })
    const direct = await api.inject({ url: `/v3/sources/${DIRECTORY}/source-health`, headers: admin })
    expect(direct.json()).toMatchObject({
      status: 'SOURCE_STATE_HEALTHY',
      provisio: { checkedBy: 'connection-test' },
    })
  })

  it('keeps secrets as references: in the YAML, the response and the audit log, never resolved', async () => {
    process.env['PROVISIO_TEST_SCIM_TOKEN'] = 's3cret-token-value'
    const scim = {
      name: 'SCIM App',
      owner: { type: 'IDENTITY', name: 'james.wilson' },
      connector: 'scim',
      connectionType: 'direct',
      features: ['PROVISIONING', 'ENABLE'],
      connectorAttributes: {
        baseUrl: 'https://scim.example.invalid/scim/v2',
        auth: { type: 'bearer', token: '${env:PROVISIO_TEST_SCIM_TOKEN}' },
      },
      provisio: { schemas: [{ name: 'account', identityAttribute: 'uid', attributes: [{ name: 'uid' }] }] },
    }
    const plain = await api.inject({
      method: 'POST',
      url: '/v3/sources',
      headers: admin,
      payload: {
        ...scim,
        connectorAttributes: { ...scim.connectorAttributes, auth: { type: 'bearer', token: 'abc' } },
      },
    })
    expect(plain.statusCode).toBe(400)
    expect((plain.json().fields as { path: string }[]).map((f) => f.path)).toEqual([
      'body.connectorAttributes.auth.token',
    ])
    const created = await api.inject({ method: 'POST', url: '/v3/sources', headers: admin, payload: scim })
    expect(created.statusCode).toBe(201)
    expect(created.json().connectorAttributes.auth.token).toBe('${env:PROVISIO_TEST_SCIM_TOKEN}')
    expect(readFileSync(join(dir, 'sources/scim-app.yaml'), 'utf8')).toContain(
      '${env:PROVISIO_TEST_SCIM_TOKEN}',
    )
    // The audit row is written once the response is sent: on PostgreSQL it can land a moment later.
    const audit = await vi.waitFor(async () => {
      const rows = JSON.stringify(await engine.db.query('SELECT before, after FROM audit_events'))
      expect(rows).toContain('${env:PROVISIO_TEST_SCIM_TOKEN}')
      return rows
    })
    expect(audit).not.toContain('s3cret-token-value')
    expect(JSON.stringify(created.json())).not.toContain('s3cret-token-value')
  })

  it('lets a role admin read sources but not change them', async () => {
    const roleAdmin = await clientBearer(engine, ['ROLE_ADMIN'])
    expect((await api.inject({ url: '/v3/sources', headers: roleAdmin })).statusCode).toBe(200)
    const denied = await api.inject({
      method: 'POST',
      url: '/v3/sources',
      headers: roleAdmin,
      payload: VISITORS,
    })
    expect(denied.statusCode).toBe(403)
  })
})
