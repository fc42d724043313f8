import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Api } from '../src/api/build-api.js'
import type { OpenEngine } from '../src/app/open-engine.js'
import { configHistory } from '../src/engine/config/config-history.js'
import { publishConfig } from '../src/engine/config/publish-config.js'
import { refreshSource } from '../src/engine/refresh-source.js'
import { databases } from './support/databases.js'
import { demoWorkspace } from './support/temp-workspace.js'
import { clientBearer, testApi } from './support/test-api.js'

const ALL_EMPLOYEES = '012bf03e6e61fb018d1c58048f4282e1'
const LOBBY = 'f2dd33ce00d17ebf955e7f5b1dda0154'

interface Item {
  source: { name: string }
  operation: string
  attribute?: string
  value?: unknown
  reasons: { kind: string; name: string; detail?: string }[]
}
interface Preview {
  objects: { added: unknown[]; removed: { name: string }[]; changed: { name: string; fields: string[] }[] }
  identities: { identity: { id: string; name: string }; added: Item[]; removed: Item[]; changed: unknown[] }[]
  summary: { identitiesChanged: number; added: number; removed: number }
}

/** Every configuration file of the workspace with its text and modification time. */
function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const d of ['sources', 'roles', 'access-profiles', 'transforms', 'identity-profiles']) {
    for (const f of readdirSync(join(dir, d))) {
      const path = join(dir, d, f)
      out[`${d}/${f}`] = `${statSync(path).mtimeMs} ${readFileSync(path, 'utf8')}`
    }
  }
  return out
}

describe.each(databases)('configuration versions and previews on $name', (database) => {
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
    await publishConfig(engine.db, engine.config)
    for (const s of engine.config.sources) await refreshSource(engine, s.value.name)
    admin = await clientBearer(engine, ['ROLE_ADMIN'])
  })
  afterAll(async () => {
    await api.close()
    await engine.close()
  })

  it('lists the published versions and shows one with its objects', async () => {
    const list = await api.inject({ url: '/provisio/v1/config/versions', headers: admin })
    expect(list.statusCode).toBe(200)
    expect(list.json()).toMatchObject([{ number: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/) }])
    const one = await api.inject({ url: '/provisio/v1/config/versions/1', headers: admin })
    expect(one.json()).toMatchObject({ number: 1, objects: { settings: { name: 'demo' } } })
    expect(JSON.stringify(one.json().objects)).toContain('All Employees')
    expect(
      (await api.inject({ url: '/provisio/v1/config/versions/latest', headers: admin })).json().number,
    ).toBe(1)
    expect((await api.inject({ url: '/provisio/v1/config/versions/99', headers: admin })).statusCode).toBe(
      404,
    )
    expect((await api.inject({ url: '/provisio/v1/config/versions/abc', headers: admin })).statusCode).toBe(
      400,
    )
    const helpdesk = await clientBearer(engine, ['HELPDESK'])
    expect((await api.inject({ url: '/provisio/v1/config/versions', headers: helpdesk })).statusCode).toBe(
      403,
    )
  })

  it('previews the whole-tenant plan difference of a change, and writes nothing', async () => {
    const before = files(dir)
    const versions = (await configHistory(engine.db)).length
    const running = engine.config
    const role = engine.config.roles.find((r) => r.value.id === ALL_EMPLOYEES)?.value
    const preview = await api.inject({
      method: 'POST',
      url: '/provisio/v1/config/preview',
      headers: admin,
      payload: {
        kind: 'roles',
        object: {
          id: ALL_EMPLOYEES,
          name: 'All Employees',
          description: role?.description,
          owner: role?.owner,
          membership: role?.membership,
          accessProfiles: [...(role?.accessProfiles ?? []), 'Datacenter Access'],
        },
      },
    })
    expect(preview.statusCode).toBe(200)
    const body = preview.json() as Preview
    expect(body.objects.changed).toMatchObject([{ name: 'All Employees', fields: ['accessProfiles[2]'] }])
    expect(body.identities.length).toBeGreaterThan(0)
    // Every active employee gets the datacenter zone, because of the role.
    const added = body.identities.flatMap((d) => d.added)
    expect(added.length).toBeGreaterThan(0)
    for (const item of added) {
      expect(item).toMatchObject({
        source: { name: 'Badge System' },
        attribute: 'zones',
        value: 'datacenter',
      })
      expect(JSON.stringify(item.reasons)).toContain('All Employees')
    }
    expect(body.identities.every((d) => d.removed.length === 0)).toBe(true)
    expect(body.summary.added).toBe(added.length)

    // Nothing written, nothing published, the engine runs as before.
    expect(files(dir)).toEqual(before)
    expect((await configHistory(engine.db)).length).toBe(versions)
    expect(engine.config).toBe(running)
  })

  it('previews several changes in order, and refuses a change that would not validate', async () => {
    const before = files(dir)
    const alone = await api.inject({
      method: 'POST',
      url: '/provisio/v1/config/preview',
      headers: admin,
      payload: { kind: 'access profile', remove: LOBBY },
    })
    expect(alone.statusCode).toBe(400)
    expect(alone.json().messages[0].text).toContain('role "All Employees"')

    const both = await api.inject({
      method: 'POST',
      url: '/provisio/v1/config/preview',
      headers: admin,
      payload: [
        { kind: 'roles', remove: ALL_EMPLOYEES },
        { kind: 'accessProfiles', remove: LOBBY },
      ],
    })
    expect(both.statusCode).toBe(200)
    const body = both.json() as Preview
    expect(body.objects.removed.map((o) => o.name).sort()).toEqual(['All Employees', 'Lobby Access'])
    // What the role granted leaves the plan.
    const removed = body.identities.flatMap((d) => d.removed)
    expect(removed.length).toBeGreaterThan(0)
    // Each by the role itself, or by one of its access profiles "via role".
    expect(removed.every((i) => JSON.stringify(i.reasons).includes('All Employees'))).toBe(true)

    const unknownKind = await api.inject({
      method: 'POST',
      url: '/provisio/v1/config/preview',
      headers: admin,
      payload: { kind: 'widgets', remove: LOBBY },
    })
    expect(unknownKind.statusCode).toBe(400)
    expect(files(dir)).toEqual(before)
  })
})
