import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApi, type Api } from '../src/api/build-api.js'
import type { OpenEngine } from '../src/app/open-engine.js'
import { applyPlan } from '../src/engine/apply-plan.js'
import { createPersonalAccessToken } from '../src/engine/auth/credentials.js'
import { issueToken } from '../src/engine/auth/tokens.js'
import { executeDue } from '../src/engine/execution/execute-due.js'
import { findIdentity } from '../src/engine/queries/get-identity.js'
import { refreshSource } from '../src/engine/refresh-source.js'
import { submitSourceAggregation } from '../src/engine/refresh-task.js'
import { databases } from './support/databases.js'
import { expectReferenceShape } from './support/reference-schema.js'
import { demoWorkspace } from './support/temp-workspace.js'
import { clientBearer, testApi } from './support/test-api.js'

type Headers = { authorization: string }

describe.each(databases)('the operational routes on $name', (database) => {
  let api: Api
  let engine: OpenEngine
  let admin: Headers
  /** Personal access tokens: the Badge System's owner, his manager, and someone unrelated to either. */
  let lamarr: Headers
  let turing: Headers
  let ada: Headers
  const ids = new Map<string, string>()

  async function personal(name: string): Promise<Headers> {
    const credential = await createPersonalAccessToken(engine, { identity: name, name: 'tests' })
    const token = await issueToken(engine, credential)
    return { authorization: `Bearer ${token.access_token}` }
  }

  beforeAll(async () => {
    const ws = await demoWorkspace()
    ;({ api, engine } = await testApi(ws.config, await database.open(), {
      rateLimit: { max: 10_000, windowSeconds: 10 },
    }))
    for (const s of engine.config.sources) await refreshSource(engine, s.value.name)
    // The demo's provisioning is `review`: apply, then execute, which hands the Badge System's to its owner.
    await applyPlan(engine)
    await executeDue(engine)
    admin = await clientBearer(engine, ['ORG_ADMIN'])
    for (const name of ['james.lamarr', 'elodie.turing', 'ada.lamarr', 'ada.torvalds', 'alan.borg']) {
      ids.set(name, (await findIdentity(engine, name)).id)
    }
    lamarr = await personal('james.lamarr')
    turing = await personal('elodie.turing')
    ada = await personal('ada.lamarr')
  }, 120_000)
  afterAll(async () => {
    await api.close()
    await engine.close()
  })

  const get = (url: string, headers: Headers = admin) => api.inject({ url, headers })
  const post = (url: string, payload?: unknown, headers: Headers = admin) =>
    api.inject({
      method: 'POST',
      url,
      ...(payload !== undefined
        ? {
            headers: { ...headers, 'content-type': 'application/json' },
            payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
          }
        : { headers }),
    })

  async function badgeAccount(identity: string): Promise<{ id: string; nativeIdentity: string }> {
    const filters = encodeURIComponent(`identityId eq "${ids.get(identity) ?? ''}" and nativeIdentity sw "B"`)
    const [account] = (await get(`/v3/accounts?filters=${filters}`)).json() as {
      id: string
      nativeIdentity: string
    }[]
    if (!account) throw new Error(`no badge account for ${identity}`)
    return account
  }

  it('enables and disables an account: an activity, answered 202 with its id', async () => {
    const account = await badgeAccount('ada.lamarr')
    const disabled = await post(`/v3/accounts/${account.id}/disable`, {})
    expect(disabled.statusCode).toBe(202)
    expectReferenceShape('POST', '/accounts/{id}/disable', 202, disabled.json())
    const activity = await get(`/v3/account-activities/${disabled.json().id as string}`)
    expect(activity.statusCode).toBe(200)
    expectReferenceShape('GET', '/account-activities/{id}', 200, activity.json())
    expect(activity.json()).toMatchObject({
      type: 'MANUAL',
      executionStatus: 'EXECUTING',
      targetIdentitySummary: { id: ids.get('ada.lamarr'), name: 'ada.lamarr' },
      items: [{ operation: 'DISABLE', nativeIdentity: account.nativeIdentity }],
    })
    const enabled = await post(`/v3/accounts/${account.id}/enable`)
    expect(enabled.statusCode).toBe(202)
    expect(enabled.json().id).not.toBe(disabled.json().id)
    const unknownField = await post(`/v3/accounts/${account.id}/enable`, { force: true })
    expect(unknownField.statusCode).toBe(400)
    expectReferenceShape('POST', '/accounts/{id}/enable', 400, unknownField.json())
    const missing = await post('/v3/accounts/nope/enable', {})
    expect(missing.statusCode).toBe(404)
    expectReferenceShape('POST', '/accounts/{id}/enable', 404, missing.json())
    const helpdesk = await clientBearer(engine, ['HELPDESK'])
    expect((await post(`/v3/accounts/${account.id}/enable`, {}, helpdesk)).statusCode).toBe(202)
    const reports = await clientBearer(engine, ['REPORT_ADMIN'])
    expect((await post(`/v3/accounts/${account.id}/enable`, {}, reports)).statusCode).toBe(403)
  })

  it("lists an account's entitlements with paging and a total", async () => {
    const filters = encodeURIComponent('nativeIdentity eq "B5004"')
    const [holder] = (await get(`/v3/accounts?filters=${filters}`)).json() as { id: string }[]
    const page = await get(`/v3/accounts/${holder?.id ?? ''}/entitlements?count=true&limit=1`)
    expect(page.statusCode).toBe(200)
    expectReferenceShape('GET', '/accounts/{id}/entitlements', 200, page.json())
    expect(page.json()).toHaveLength(1)
    expect(Number(page.headers['x-total-count'])).toBeGreaterThanOrEqual(1)
    expect((await get('/v3/accounts/nope/entitlements')).statusCode).toBe(404)
    expect((await get(`/v3/accounts/${holder?.id ?? ''}/entitlements?filters=x`)).statusCode).toBe(400)
  })

  it('correlates an account by hand with a JSON Patch of identityId', async () => {
    const account = await badgeAccount('ada.torvalds')
    const patch = (body: unknown) =>
      api.inject({
        method: 'PATCH',
        url: `/v3/accounts/${account.id}`,
        headers: { ...admin, 'content-type': 'application/json-patch+json' },
        payload: JSON.stringify(body),
      })
    const moved = await patch([{ op: 'replace', path: '/identityId', value: ids.get('alan.borg') }])
    expect(moved.statusCode).toBe(202)
    expectReferenceShape('PATCH', '/accounts/{id}', 202, moved.json())
    expect(moved.json()).toMatchObject({ identityId: ids.get('alan.borg'), manuallyCorrelated: true })
    const bad = await patch([{ op: 'replace', path: '/attributes/holder', value: 'x' }])
    expect(bad.statusCode).toBe(400)
    expect(bad.json().fields).toEqual([{ path: 'body.0.path', message: expect.stringMatching(/identityId/) }])
    const nobody = await patch([{ op: 'replace', path: '/identityId', value: 'nobody' }])
    expect(nobody.statusCode).toBe(400)
    expect(nobody.json().messages[0].text).toMatch(/identityId/)
    const back = await patch([{ op: 'replace', path: '/identityId', value: ids.get('ada.torvalds') }])
    expect(back.json().identityId).toBe(ids.get('ada.torvalds'))
  })

  it('lists entitlements of every source under beta and v2024, with filters, paging and one by id', async () => {
    for (const version of ['beta', 'v2024']) {
      const page = await get(`/${version}/entitlements?count=true&limit=3&offset=1`)
      expect(page.statusCode).toBe(200)
      expect(page.json()).toHaveLength(3)
      expect(Number(page.headers['x-total-count'])).toBeGreaterThan(3)
      const filters = encodeURIComponent('value eq "datacenter"')
      const [one] = (await get(`/${version}/entitlements?filters=${filters}`)).json() as { id: string }[]
      const byId = await get(`/${version}/entitlements/${one?.id ?? ''}`)
      expect(byId.json()).toMatchObject({
        value: 'datacenter',
        source: { type: 'SOURCE', name: 'Badge System' },
      })
      expect((await get(`/${version}/entitlements/nope`)).statusCode).toBe(404)
    }
    const bad = await get(`/beta/entitlements?filters=${encodeURIComponent('colour eq "x"')}`)
    expect(bad.statusCode).toBe(400)
    expect(bad.json().messages[0].text).toMatch(/colour/)
  })

  it('lists identities: everyone for a reader, oneself and direct reports for a person', async () => {
    const all = await get('/beta/identities?count=true&limit=5')
    expect(all.statusCode).toBe(200)
    expect(all.json()).toHaveLength(5)
    expect(all.headers['x-total-count']).toBe('40')
    const filters = encodeURIComponent('alias eq "james.lamarr"')
    const [found] = (await get(`/v2024/identities?filters=${filters}`)).json() as object[]
    expect(found).toMatchObject({
      id: ids.get('james.lamarr'),
      name: 'James Lamarr',
      alias: 'james.lamarr',
      emailAddress: 'james.lamarr@example.com',
      managerRef: { type: 'IDENTITY', id: ids.get('elodie.turing') },
      lifecycleState: { stateName: 'active' },
    })
    const mine = (await get('/beta/identities?limit=250', turing)).json() as {
      id: string
      managerRef: unknown
    }[]
    expect(mine.map((i) => i.id)).toContain(ids.get('elodie.turing'))
    expect(mine.map((i) => i.id)).toContain(ids.get('james.lamarr'))
    expect(mine.length).toBeLessThan(40)
    const alone = (await get('/beta/identities', lamarr)).json() as { id: string; isManager: boolean }[]
    expect(alone.map((i) => i.id)).toEqual([ids.get('james.lamarr')])
    expect((await get(`/beta/identities/${ids.get('james.lamarr') ?? ''}`, turing)).statusCode).toBe(200)
    expect((await get(`/beta/identities/${ids.get('james.lamarr') ?? ''}`, lamarr)).statusCode).toBe(200)
    const other = await get(`/beta/identities/${ids.get('james.lamarr') ?? ''}`, ada)
    expect(other.statusCode).toBe(403)
    // A manager sees a direct report, not someone who reports to another.
    expect((await get(`/v2024/identities/${ids.get('ada.lamarr') ?? ''}`, turing)).statusCode).toBe(403)
    expect((await get('/beta/identities/nope')).statusCode).toBe(404)
    const badSort = await get('/beta/identities?sorters=cloudStatus')
    expect(badSort.statusCode).toBe(400)
    expect(badSort.json().messages[0].text).toMatch(/cloudStatus/)
  })

  it('processes identities again on request, and sets a lifecycle state by hand', async () => {
    const processed = await post('/beta/identities/process', { identityIds: [ids.get('ada.lamarr')] })
    expect(processed.statusCode).toBe(202)
    expect(processed.json()).toMatchObject({ type: 'TASK_RESULT', id: expect.any(String) })
    const unknown = await post('/beta/identities/process', { identityIds: ['nope'] })
    expect(unknown.statusCode).toBe(400)
    expect(unknown.json().messages[0].text).toMatch(/identityIds/)
    const empty = await post('/beta/identities/process', { identityIds: [] })
    expect(empty.statusCode).toBe(400)
    expect(empty.json().fields[0].path).toBe('body.identityIds')
    expect((await post('/beta/identities/process', { identityIds: ['x'] }, lamarr)).statusCode).toBe(403)

    const profile = engine.config.identityProfiles[0]?.value
    const byProfile = await post(`/v3/identity-profiles/${profile?.id ?? ''}/process-identities`)
    expect(byProfile.statusCode).toBe(202)
    expectReferenceShape(
      'POST',
      '/identity-profiles/{identity-profile-id}/process-identities',
      202,
      byProfile.json(),
    )
    expect((await post('/v3/identity-profiles/nope/process-identities')).statusCode).toBe(404)

    const leave = profile?.lifecycleStates.find((s) => s.technicalName === 'leave')
    const set = await post(`/v3/identities/${ids.get('alan.borg') ?? ''}/set-lifecycle-state`, {
      lifecycleStateId: leave?.id,
    })
    expect(set.statusCode).toBe(200)
    expectReferenceShape('POST', '/identities/{identity-id}/set-lifecycle-state', 200, set.json())
    const after = (await get(`/beta/identities/${ids.get('alan.borg') ?? ''}`)).json()
    expect(after.lifecycleState.stateName).toBe('leave')
    const wrong = await post(`/v3/identities/${ids.get('alan.borg') ?? ''}/set-lifecycle-state`, {
      lifecycleStateId: 'nope',
    })
    expect(wrong.statusCode).toBe(400)
    expect(wrong.json().messages[0].text).toMatch(/lifecycleStateId/)
    const missingField = await post(`/v3/identities/${ids.get('alan.borg') ?? ''}/set-lifecycle-state`, {})
    expect(missingField.json().fields[0].path).toBe('body.lifecycleStateId')
    expect(
      (await post('/v3/identities/nope/set-lifecycle-state', { lifecycleStateId: leave?.id })).statusCode,
    ).toBe(404)
  })

  it('lists account activities with filters and paging; a person sees their own only', async () => {
    const page = await get('/v3/account-activities?count=true&limit=2&sorters=-created')
    expect(page.statusCode).toBe(200)
    expectReferenceShape('GET', '/account-activities', 200, page.json())
    expect(page.json()).toHaveLength(2)
    const total = Number(page.headers['x-total-count'])
    expect(total).toBeGreaterThan(2)
    const filtered = await get(`/v3/account-activities?filters=${encodeURIComponent('type eq "MANUAL"')}`)
    expect((filtered.json() as { type: string }[]).every((a) => a.type === 'MANUAL')).toBe(true)
    const mine = (await get('/v3/account-activities?limit=250', lamarr)).json() as {
      targetIdentitySummary: { id: string }
    }[]
    expect(mine.length).toBeGreaterThan(0)
    expect(mine.every((a) => a.targetIdentitySummary.id === ids.get('james.lamarr'))).toBe(true)
    const me = (await get('/v3/account-activities?requested-for=me', lamarr)).json() as unknown[]
    expect(me).toHaveLength(mine.length)
    const [someone] = (
      await get(`/v3/account-activities?requested-for=${ids.get('ada.lamarr') ?? ''}`)
    ).json() as {
      id: string
    }[]
    expect((await get(`/v3/account-activities/${someone?.id ?? ''}`, lamarr)).statusCode).toBe(403)
    expect(
      (await get(`/v3/account-activities?requested-for=${ids.get('ada.lamarr') ?? ''}`, lamarr)).statusCode,
    ).toBe(403)
    const missing = await get('/v3/account-activities/nope')
    expect(missing.statusCode).toBe(404)
    expectReferenceShape('GET', '/account-activities/{id}', 404, missing.json())
    const bad = await get(`/v3/account-activities?filters=${encodeURIComponent('colour eq "x"')}`)
    expect(bad.statusCode).toBe(400)
    expectReferenceShape('GET', '/account-activities', 400, bad.json())
  })

  it('shows a person their own work items, and lets only the owner (or an administrator) act on one', async () => {
    const mine = await get('/v3/work-items?count=true', lamarr)
    expect(mine.statusCode).toBe(200)
    expectReferenceShape('GET', '/work-items', 200, mine.json())
    const items = mine.json() as {
      id: string
      ownerName: string
      ownerId: string
      remediationItems: { id: string }[]
    }[]
    expect(items.length).toBeGreaterThan(1)
    expect(Number(mine.headers['x-total-count'])).toBe(items.length)
    expect(items.every((w) => w.ownerName === 'james.lamarr' && w.ownerId === ids.get('james.lamarr'))).toBe(
      true,
    )
    expect((await get('/v3/work-items', ada)).json()).toEqual([])
    expect((await get(`/v3/work-items?ownerId=${ids.get('james.lamarr') ?? ''}`, ada)).statusCode).toBe(403)
    const everyone = await get(`/v3/work-items?ownerId=${ids.get('james.lamarr') ?? ''}&limit=1&count=true`)
    expect(everyone.json()).toHaveLength(1)
    expect(everyone.headers['x-total-count']).toBe(String(items.length))

    const [first, second, third] = items
    const one = await get(`/v3/work-items/${first?.id ?? ''}`, lamarr)
    expectReferenceShape('GET', '/work-items/{id}', 200, one.json())
    expect((await get(`/v3/work-items/${first?.id ?? ''}`, ada)).statusCode).toBe(403)
    const refused = await post(`/v3/work-items/${first?.id ?? ''}`, JSON.stringify('done'), ada)
    expect(refused.statusCode).toBe(403)
    const done = await post(`/v3/work-items/${first?.id ?? ''}`, JSON.stringify('done by hand'), lamarr)
    expect(done.statusCode).toBe(200)
    expectReferenceShape('POST', '/work-items/{id}', 200, done.json())
    expect(done.json()).toMatchObject({ state: 'Finished', comment: 'done by hand' })
    expect((await post(`/v3/work-items/${first?.id ?? ''}`, undefined, lamarr)).statusCode).toBe(409)

    const rejected = await post(
      `/v3/work-items/${second?.id ?? ''}/reject/${second?.remediationItems[0]?.id ?? ''}`,
      { comment: 'no such zone' },
      lamarr,
    )
    expect(rejected.statusCode).toBe(200)
    expectReferenceShape('POST', '/work-items/{id}/reject/{approvalItemId}', 200, rejected.json())
    expect(rejected.json().state).toBe('Rejected')
    expect((await post(`/v3/work-items/${third?.id ?? ''}/reject/other`, undefined, lamarr)).statusCode).toBe(
      404,
    )

    const forward = (body: unknown, headers: Headers = lamarr) =>
      post(`/v3/work-items/${third?.id ?? ''}/forward`, body, headers)
    expect((await forward({ targetOwnerId: ids.get('ada.lamarr') }, lamarr)).json().fields[0].path).toBe(
      'body.comment',
    )
    expect((await forward({ targetOwnerId: ids.get('ada.lamarr'), comment: 'x' }, ada)).statusCode).toBe(403)
    const forwarded = await forward({ targetOwnerId: ids.get('ada.lamarr'), comment: 'yours now' })
    expect(forwarded.statusCode).toBe(200)
    expect((await get(`/v3/work-items/${third?.id ?? ''}`, ada)).json()).toMatchObject({
      ownerName: 'ada.lamarr',
    })
    const byAda = await post(`/v3/work-items/bulk-reject/${third?.id ?? ''}`, undefined, ada)
    expect(byAda.statusCode).toBe(200)
    expectReferenceShape('POST', '/work-items/bulk-reject/{id}', 200, byAda.json())

    const completed = await get('/v3/work-items/completed', lamarr)
    expectReferenceShape('GET', '/work-items/completed', 200, completed.json())
    expect((completed.json() as { id: string }[]).map((w) => w.id).sort()).toEqual(
      [first?.id, second?.id].sort(),
    )
    const count = await get('/v3/work-items/count', lamarr)
    expectReferenceShape('GET', '/work-items/count', 200, count.json())
    expect(count.json()).toEqual({ count: items.length - 3 })
    const closedCount = await get('/v3/work-items/completed/count', lamarr)
    expectReferenceShape('GET', '/work-items/completed/count', 200, closedCount.json())
    expect(closedCount.json()).toEqual({ count: 2 })
    const summary = await get('/v3/work-items/summary', lamarr)
    expectReferenceShape('GET', '/work-items/summary', 200, summary.json())
    expect(summary.json()).toEqual({ open: items.length - 3, completed: 2, total: items.length - 1 })
    const missing = await get('/v3/work-items/nope')
    expect(missing.statusCode).toBe(404)
    expectReferenceShape('GET', '/work-items/{id}', 404, missing.json())
    expect((await get('/v3/work-items?limit=999', lamarr)).json().fields[0].path).toBe('querystring.limit')
  })

  it('shows the whole-tenant plan paged, and explains an identity to itself and its manager', async () => {
    const plan = await get('/provisio/v1/plan?count=true&limit=2')
    expect(plan.statusCode).toBe(200)
    expect(plan.json()).toMatchObject({ summary: expect.any(Object), accountSelections: [], errors: [] })
    expect(plan.json().items.length).toBeLessThanOrEqual(2)
    expect(Number(plan.headers['x-total-count'])).toBeGreaterThanOrEqual(plan.json().items.length)
    expect((await get('/provisio/v1/plan', lamarr)).statusCode).toBe(403)
    expect((await get('/provisio/v1/plan?identity=nobody')).statusCode).toBe(404)

    const explained = await get(`/provisio/v1/explain/${ids.get('james.lamarr') ?? ''}`, turing)
    expect(explained.statusCode).toBe(200)
    expect(explained.json()).toMatchObject({
      identity: { id: ids.get('james.lamarr'), name: 'james.lamarr' },
    })
    expect((await get(`/provisio/v1/explain/${ids.get('james.lamarr') ?? ''}`, lamarr)).statusCode).toBe(200)
    expect((await get(`/provisio/v1/explain/${ids.get('james.lamarr') ?? ''}`, ada)).statusCode).toBe(403)
    expect((await get('/provisio/v1/explain/nope')).statusCode).toBe(404)
  })

  it('queues load-accounts as a task with its status, and says so when no queue runs', async () => {
    const source = engine.config.sources.find((s) => s.value.name === 'HR')?.value
    const none = await post(`/v3/sources/${source?.id ?? ''}/load-accounts`)
    expect(none.statusCode).toBe(409)
    expect(none.json().messages[0].text).toMatch(/serve/)
    // With a queue: the task is recorded (a serve's queue would then run it).
    const queued = await buildApi(
      { engine, queueSourceAggregation: (name, launcher) => submitSourceAggregation(engine, name, launcher) },
      { log: () => undefined },
    )
    try {
      const r = await queued.inject({
        method: 'POST',
        url: `/v3/sources/${source?.id ?? ''}/load-accounts`,
        headers: admin,
      })
      expect(r.statusCode).toBe(202)
      const task = r.json().task as { id: string }
      const status = await queued.inject({ url: `/beta/task-status/${task.id}`, headers: admin })
      expect(status.json()).toMatchObject({ id: task.id, completionStatus: null, target: { name: 'HR' } })
      expect((await queued.inject({ url: `/v2024/task-status/${task.id}`, headers: admin })).statusCode).toBe(
        200,
      )
      expect((await queued.inject({ url: '/beta/task-status/nope', headers: admin })).statusCode).toBe(404)
      const missing = await queued.inject({
        method: 'POST',
        url: '/v3/sources/nope/load-accounts',
        headers: admin,
      })
      expect(missing.statusCode).toBe(404)
      expect(
        (
          await queued.inject({
            method: 'POST',
            url: `/v3/sources/${source?.id ?? ''}/load-accounts`,
            headers: lamarr,
          })
        ).statusCode,
      ).toBe(403)
    } finally {
      await queued.close()
    }
  })
})
