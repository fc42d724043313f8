import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Api } from '../src/api/build-api.js'
import { holdsAny, type RouteAccess } from '../src/api/http/route-access.js'
import { ROUTE_TABLE } from '../src/api/route-table.js'
import type { OpenEngine } from '../src/app/open-engine.js'
import { CAPABILITIES } from '../src/domain/auth/capabilities.js'
import { createPersonalAccessToken } from '../src/engine/auth/credentials.js'
import { issueToken } from '../src/engine/auth/tokens.js'
import { insertIdentities } from '../src/store/identity-processing.js'
import { openStore } from '../src/store/open-store.js'
import { identityRow } from './support/identity-rows.js'
import { demoWorkspace } from './support/temp-workspace.js'
import { clientBearer, testApi } from './support/test-api.js'

/** Who calls: nobody, a person without capabilities, or an API client holding one capability. */
interface Subject {
  readonly name: string
  readonly headers: Record<string, string>
  readonly identityId: string | null
  readonly capabilities: readonly string[]
}

/** What the table says this subject may do on a route (the `self` path aside). */
function allowed(s: Subject, access: RouteAccess): boolean {
  if (access.kind === 'public') return true
  if (s.name === 'nobody') return false
  if (access.kind === 'user') {
    if (s.identityId !== null) return true
    return access.personOnly !== true && holdsAny(s.capabilities, access.seeAll)
  }
  return holdsAny(s.capabilities, access.anyOf)
}

const PLACEHOLDER = 'walk-placeholder'
const ME = 'id-walker'

/** The route's path with every parameter filled: the placeholder, or the caller's own identity. */
function pathOf(url: string, self?: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => (name === self ? ME : PLACEHOLDER))
}

/**
 * Walks every line of the route table with every kind of caller and checks the answer: 401 without
 * credentials (public routes aside), 403 for a caller the table refuses, and neither for one it lets in
 * (whatever else the placeholder request earns: 400, 404…). A route registered without a line fails the
 * server's start; a line without a route fails here.
 */
describe('the route table, route by route, capability by capability', () => {
  let api: Api
  let engine: OpenEngine
  const subjects: Subject[] = []

  beforeAll(async () => {
    const ws = await demoWorkspace()
    const store = await openStore({ workspaceDir: 'memory' })
    await insertIdentities(store.db, [identityRow(ME, 'walker')])
    ;({ api, engine } = await testApi(ws.config, store, { rateLimit: { max: 100_000, windowSeconds: 10 } }))
    subjects.push({ name: 'nobody', headers: {}, identityId: null, capabilities: [] })
    const pat = await createPersonalAccessToken(engine, { identity: ME, name: 'walk' })
    const token = await issueToken(engine, pat, {})
    subjects.push({
      name: 'a person without capabilities',
      headers: { authorization: `Bearer ${token.access_token}` },
      identityId: ME,
      capabilities: [],
    })
    for (const c of CAPABILITIES) {
      const bearer = await clientBearer(engine, [c])
      subjects.push({ name: `an API client with ${c}`, headers: bearer, identityId: null, capabilities: [c] })
    }
  })
  afterAll(async () => {
    await api.close()
    await engine.close()
  })

  it('has a route for every line of the table', () => {
    const missing = Object.keys(ROUTE_TABLE).filter((key) => {
      const [method, url] = key.split(' ') as [string, string]
      return !api.hasRoute({ method: method as 'GET', url })
    })
    expect(missing).toEqual([])
  })

  const lines = Object.entries(ROUTE_TABLE)
  it.each(lines)('%s', async (key, access) => {
    const [method, url] = key.split(' ') as [string, string]
    const body = ['POST', 'PUT', 'PATCH'].includes(method) ? {} : undefined
    const problems: string[] = []
    const call = async (s: Subject, path: string): Promise<number> => {
      const r = await api.inject({
        method: method as 'GET',
        url: path,
        headers: s.headers,
        ...(body !== undefined ? { payload: body } : {}),
      })
      return r.statusCode
    }
    for (const s of subjects) {
      const status = await call(s, pathOf(url))
      const ok = allowed(s, access)
      const expected = ok ? 'neither 401 nor 403' : s.name === 'nobody' ? '401' : '403'
      const right = ok ? status !== 401 && status !== 403 : status === (s.name === 'nobody' ? 401 : 403)
      if (!right) problems.push(`${s.name}: ${status}, expected ${expected}`)
      if (status >= 500) problems.push(`${s.name}: ${status}`)
    }
    // A person acting on their own identity passes a `self` route.
    if (access.kind === 'capability' && access.self !== undefined) {
      const me = subjects[1] as Subject
      const status = await call(me, pathOf(url, access.self.param))
      if (status === 401 || status === 403 || status >= 500) problems.push(`own identity: ${status}`)
    }
    expect(problems).toEqual([])
  })
})
