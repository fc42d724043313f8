import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Api } from '../src/api/build-api.js'
import type { OpenEngine } from '../src/app/open-engine.js'
import { databases } from './support/databases.js'
import { expectReferenceSchema, expectReferenceShape } from './support/reference-schema.js'
import { demoWorkspace } from './support/temp-workspace.js'
import { clientBearer, testApi } from './support/test-api.js'

const EMPLOYEES = '8af1c1bc61994b2aafe698599247727d'
const ACTIVE = '6b09ef5354a03852fa86a5f11ce19fe6'
const BADGE = '8b3b760bc48f4aaf32f3d7d0f9882780'
const DIRECTORY = '7c6060c1ea6ed657346537e2d751712f'
const HR = 'ba98b3b48b9122b7c73ec1149b6b59f0'
const PATCH = { 'content-type': 'application/json-patch+json' }
const STATES = `/v3/identity-profiles/${EMPLOYEES}/lifecycle-states`

describe.each(databases)(
  'configuration routes: identity profiles and lifecycle states on $name',
  (database) => {
    let api: Api
    let engine: OpenEngine
    let dir: string
    let admin: { authorization: string }

    beforeAll(async () => {
      const ws = await demoWorkspace()
      dir = ws.dir
      ;({ api, engine } = await testApi(ws.config, await database.open(), {
        rateLimit: { max: 10_000, windowSeconds: 10 },
      }))
      admin = await clientBearer(engine, ['SOURCE_ADMIN'])
    })
    afterAll(async () => {
      await api.close()
      await engine.close()
    })

    it('lists and gets identity profiles in the reference shape', async () => {
      const list = await api.inject({
        url: '/v3/identity-profiles?filters=priority%20eq%2010',
        headers: admin,
      })
      expect(list.statusCode).toBe(200)
      expectReferenceShape('GET', '/identity-profiles', 200, list.json())
      const one = await api.inject({ url: `/v3/identity-profiles/${EMPLOYEES}`, headers: admin })
      expectReferenceShape('GET', '/identity-profiles/{identity-profile-id}', 200, one.json())
      expect(one.json()).toMatchObject({
        id: EMPLOYEES,
        name: 'Employees',
        authoritativeSource: { type: 'SOURCE', id: HR, name: 'HR' },
        identityAttributeConfig: {
          enabled: true,
          attributeTransforms: expect.arrayContaining([
            expect.objectContaining({ identityAttributeName: 'uid' }),
          ]),
        },
      })
      const helpdesk = await clientBearer(engine, ['HELPDESK'])
      expect((await api.inject({ url: '/v3/identity-profiles', headers: helpdesk })).statusCode).toBe(200)
    })

    it('lists, creates, replaces, patches and deletes lifecycle states, writing them in the profile', async () => {
      const list = await api.inject({ url: `${STATES}?sorters=-priority&limit=2`, headers: admin })
      expectReferenceShape(
        'GET',
        '/identity-profiles/{identity-profile-id}/lifecycle-states',
        200,
        list.json(),
      )
      expect((list.json() as { technicalName: string }[]).map((s) => s.technicalName)).toEqual([
        'inactive',
        'terminated',
      ])
      const active = await api.inject({ url: `${STATES}/${ACTIVE}`, headers: admin })
      expectReferenceShape(
        'GET',
        '/identity-profiles/{identity-profile-id}/lifecycle-states/{lifecycle-state-id}',
        200,
        active.json(),
      )
      // Sources are named by their ids, as the reference does; the YAML names them.
      expect(active.json()).toMatchObject({
        technicalName: 'active',
        accountActions: [{ action: 'ENABLE', sourceIds: [BADGE, DIRECTORY] }],
      })

      const created = await api.inject({
        method: 'POST',
        url: STATES,
        headers: admin,
        payload: {
          name: 'Contractor',
          technicalName: 'contractor',
          enabled: true,
          accountActions: [{ action: 'ENABLE', sourceIds: [DIRECTORY] }],
          accessProfileIds: ['Directory Users'],
        },
      })
      expect(created.statusCode).toBe(201)
      expectReferenceShape(
        'POST',
        '/identity-profiles/{identity-profile-id}/lifecycle-states',
        201,
        created.json(),
      )
      const id = created.json().id as string
      const file = join(dir, 'identity-profiles/employees.yaml')
      expect(readFileSync(file, 'utf8')).toContain('technicalName: contractor')
      expect(readFileSync(file, 'utf8')).toContain(
        '# Tests append attribute mappings to this file, so identityAttributeConfig stays last.',
      )

      const replaced = await api.inject({
        method: 'PUT',
        url: `${STATES}/${id}`,
        headers: admin,
        payload: { ...(created.json() as object), technicalName: 'externalContractor', priority: 70 },
      })
      expect(replaced.statusCode).toBe(200)
      expectReferenceSchema('LifecycleState', replaced.json())
      expect(replaced.json()).toMatchObject({ id, technicalName: 'externalContractor', priority: 70 })

      const patched = await api.inject({
        method: 'PATCH',
        url: `${STATES}/${id}`,
        headers: { ...admin, ...PATCH },
        payload: JSON.stringify([
          { op: 'replace', path: '/accessActionConfiguration/removeAllAccessEnabled', value: true },
        ]),
      })
      expect(patched.statusCode).toBe(200)
      expectReferenceShape(
        'PATCH',
        '/identity-profiles/{identity-profile-id}/lifecycle-states/{lifecycle-state-id}',
        200,
        patched.json(),
      )
      const state = engine.config.identityProfiles[0]?.value.lifecycleStates.find((s) => s.id === id)
      expect(state).toMatchObject({
        technicalName: 'externalContractor',
        accessActionConfiguration: { removeAllAccessEnabled: true },
      })

      // A technical name another state has, a source nobody knows: validate's problems, at the body's fields.
      const bad = await api.inject({
        method: 'PATCH',
        url: `${STATES}/${id}`,
        headers: { ...admin, ...PATCH },
        payload: JSON.stringify([
          { op: 'replace', path: '/technicalName', value: 'active' },
          { op: 'replace', path: '/accountActions/0/sourceIds/0', value: 'No Such Source' },
        ]),
      })
      expect(bad.statusCode).toBe(400)
      expect((bad.json().fields as { path: string }[]).every((f) => f.path.startsWith('body.'))).toBe(true)
      expect(JSON.stringify(bad.json().fields)).toContain('No Such Source')
      const unknown = await api.inject({
        method: 'POST',
        url: STATES,
        headers: admin,
        payload: { name: 'X', technicalName: 'x', enabeld: true },
      })
      expect(unknown.statusCode).toBe(400)
      expect(unknown.json().fields).toEqual([{ path: 'body.enabeld', message: 'unknown field' }])

      const removed = await api.inject({ method: 'DELETE', url: `${STATES}/${id}`, headers: admin })
      expect(removed.statusCode).toBe(202)
      expectReferenceShape(
        'DELETE',
        '/identity-profiles/{identity-profile-id}/lifecycle-states/{lifecycle-state-id}',
        202,
        removed.json(),
      )
      expect(readFileSync(file, 'utf8')).not.toContain('externalContractor')
      expect((await api.inject({ url: `${STATES}/${id}`, headers: admin })).statusCode).toBe(404)
    })
  },
)
