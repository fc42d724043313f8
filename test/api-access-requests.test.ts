import {
  AccessRequestApprovalsApi,
  AccessRequestsApi,
  AccessRequestsV2024Api,
  RequestableObjectsApi,
  type Configuration,
} from 'sailpoint-api-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Api } from '../src/api/build-api.js'
import type { OpenEngine } from '../src/app/open-engine.js'
import type { Identity } from '../src/domain/model.js'
import { createApiClient, createPersonalAccessToken } from '../src/engine/auth/credentials.js'
import { executeDue } from '../src/engine/execution/execute-due.js'
import { listAccounts } from '../src/store/accounts.js'
import { findIdentity, listIdentities } from '../src/store/identities.js'
import { databases } from './support/databases.js'
import { OPS_TEAM_ID, withApprovals } from './support/request-fixtures.js'
import { clientConfiguration, tokenOf } from './support/official-client.js'
import { expectReferenceShape } from './support/reference-schema.js'
import { provisionedDemoApi } from './support/provisioned-demo.js'

/** Access requests as the official client's users make and decide them, over real HTTP. */
describe.each(databases)('access requests through the official client on $name', (database) => {
  let api: Api
  let engine: OpenEngine
  let base: string
  let requester: Identity
  let manager: Identity
  let owner: Identity
  const as = async (who: Identity): Promise<Configuration> =>
    clientConfiguration(
      base,
      await createPersonalAccessToken(engine, { identity: who.name, name: `sdk ${Math.random()}` }),
    )

  beforeAll(async () => {
    ;({ api, engine, base } = await provisionedDemoApi(database, withApprovals))
    const people = await listIdentities(engine.db, {})
    const directory = (await listAccounts(engine.db, {})).filter(
      (a) => a.sourceName === 'Corporate Directory',
    )
    const candidate = directory.find((a) => {
      const person = people.find((p) => p.id === a.identityId)
      return (
        !String(a.attributes['groups'] ?? '').includes('ops-team') &&
        person?.managerId &&
        person.name !== 'james.wilson'
      )
    })
    requester = people.find((p) => p.id === candidate?.identityId) as Identity
    manager = (await findIdentity(engine.db, requester.managerId ?? '')) as Identity
    owner = (await findIdentity(engine.db, 'james.wilson')) as Identity
  }, 120_000)
  afterAll(async () => {
    await api.close()
    await engine.close()
  })

  it('requests, approves in order, provisions and shows the status', async () => {
    const mine = await as(requester)
    const requestable = await new RequestableObjectsApi(mine).listRequestableObjects({
      identityId: requester.id,
    })
    const ops = requestable.data.find((o) => o.id === OPS_TEAM_ID)
    expect(ops).toMatchObject({ type: 'ACCESS_PROFILE', requestStatus: 'AVAILABLE' })
    expectReferenceShape('GET', '/requestable-objects', 200, requestable.data)

    // The preview, through Provisio's own route: who approves, what would change; nothing is written.
    const previewed = await fetch(`${base}/provisio/v1/access-requests/preview`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenOf(base, mine)}` },
      body: JSON.stringify({
        requestedFor: [requester.id],
        requestedItems: [{ type: 'ACCESS_PROFILE', id: OPS_TEAM_ID }],
      }),
    })
    expect(previewed.status).toBe(200)
    expect(await previewed.json()).toMatchObject([
      {
        outcome: 'NEW',
        approvers: [
          { scheme: 'MANAGER', owners: [manager.id] },
          { scheme: 'OWNER', owners: [owner.id] },
        ],
        changes: [expect.objectContaining({ attribute: 'groups', value: 'ops-team' })],
      },
    ])
    const made = await new AccessRequestsApi(mine).createAccessRequest({
      accessRequest: {
        requestedFor: [requester.id],
        requestType: 'GRANT_ACCESS',
        requestedItems: [{ type: 'ACCESS_PROFILE', id: OPS_TEAM_ID, comment: 'on call' }],
      },
    })
    expect(made.status).toBe(202)
    expectReferenceShape('POST', '/access-requests', 202, made.data)
    const pendingNow = await new RequestableObjectsApi(mine).listRequestableObjects({
      identityId: requester.id,
    })
    expect(pendingNow.data.find((o) => o.id === OPS_TEAM_ID)?.requestStatus).toBe('PENDING')

    const boss = new AccessRequestApprovalsApi(await as(manager))
    const pending = await boss.listPendingApprovals({})
    expect(pending.data.map((a) => a.requestedFor?.id)).toContain(requester.id)
    expectReferenceShape('GET', '/access-request-approvals/pending', 200, pending.data)
    const first = pending.data.find((a) => a.requestedFor?.id === requester.id)
    await boss.approveAccessRequest({ approvalId: first?.id ?? '', commentDto: { comment: 'ok' } })
    expect((await boss.getAccessRequestApprovalSummary({})).data).toMatchObject({ approved: 1 })
    const completed = await boss.listCompletedApprovals({})
    expectReferenceShape('GET', '/access-request-approvals/completed', 200, completed.data)

    // The requester cannot decide the owner's step.
    const ownerStep = (await new AccessRequestApprovalsApi(await as(owner)).listPendingApprovals({})).data[0]
    await expect(
      new AccessRequestApprovalsApi(mine).approveAccessRequest({ approvalId: ownerStep?.id ?? '' }),
    ).rejects.toMatchObject({ response: { status: 403 } })
    await new AccessRequestApprovalsApi(await as(owner)).approveAccessRequest({
      approvalId: ownerStep?.id ?? '',
    })

    await executeDue(engine)
    const status = await new AccessRequestsApi(mine).listAccessRequestStatus({ requestedFor: requester.id })
    expectReferenceShape('GET', '/access-request-status', 200, status.data)
    expect(status.data[0]).toMatchObject({
      id: OPS_TEAM_ID,
      state: 'REQUEST_COMPLETED',
      requestType: 'GRANT_ACCESS',
      approvalDetails: [
        expect.objectContaining({ scheme: 'MANAGER', status: 'APPROVED' }),
        expect.objectContaining({ scheme: 'ACCESS_PROFILE_OWNER', status: 'APPROVED' }),
      ],
    })
    const account = (await listAccounts(engine.db, { identityIds: [requester.id] })).find(
      (a) => a.sourceName === 'Corporate Directory',
    )
    expect(String(account?.attributes['groups'])).toContain('ops-team')
  })

  it('answers bad and unauthorised requests with clear errors', async () => {
    const mine = await as(requester)
    const requests = new AccessRequestsApi(mine)
    // A request the official client would not send: an unknown field, a missing item.
    await expect(
      requests.createAccessRequest({ accessRequest: { requestedFor: [requester.id], requestedItems: [] } }),
    ).rejects.toMatchObject({
      response: { status: 400 },
    })
    await expect(
      requests.createAccessRequest({
        accessRequest: {
          requestedFor: [owner.id],
          requestType: 'GRANT_ACCESS',
          requestedItems: [{ type: 'ACCESS_PROFILE', id: OPS_TEAM_ID }],
        },
      }),
    ).rejects.toMatchObject({ response: { status: 403 } })
    const noClient = clientConfiguration(
      base,
      await createApiClient(engine, { name: 'reader', capabilities: ['REPORT_ADMIN'] }),
    )
    await expect(
      new AccessRequestsApi(noClient).createAccessRequest({
        accessRequest: { requestedFor: [requester.id], requestedItems: [{ type: 'ROLE', id: 'x' }] },
      }),
    ).rejects.toMatchObject({ response: { status: 403 } })
  })

  it("a person's status page neither shows nor counts requests they neither made nor are for", async () => {
    // The first test left the requester with a request; the owner approved it but neither made it nor
    // has it: asked about the requester, the owner's page is empty and so is its count.
    const status = async (who: Identity, query: string) => {
      const token = await tokenOf(base, await as(who))
      const r = await fetch(`${base}/v3/access-request-status?${query}&count=true`, {
        headers: { authorization: `Bearer ${token}` },
      })
      expect(r.status).toBe(200)
      return { total: r.headers.get('x-total-count'), rows: (await r.json()) as unknown[] }
    }
    const own = await status(requester, `regarding-identity=${requester.id}`)
    expect(Number(own.total)).toBeGreaterThan(0)
    expect(own.rows).toHaveLength(Number(own.total))
    for (const query of [`regarding-identity=${requester.id}`, `requested-for=${requester.id}`]) {
      expect(await status(owner, query)).toEqual({ total: '0', rows: [] })
    }
  })

  it('a limit or offset that is not a whole number is refused naming it, not read as 0', async () => {
    const token = await tokenOf(base, await as(requester))
    const page = (query: string) =>
      fetch(`${base}/v3/access-request-status?${query}`, { headers: { authorization: `Bearer ${token}` } })
    expect((await page('limit=1&offset=0')).status).toBe(200)
    // Number('') is 0: `limit=` gave an empty page with a 200.
    for (const query of ['limit=', 'limit=%201', 'offset=', 'limit=1e2', 'limit=-1', 'limit=abc']) {
      const r = await page(query)
      expect(r.status, query).toBe(400)
      const [field] = query.split('=')
      expect(((await r.json()) as { fields: { path: string }[] }).fields, query).toEqual([
        { path: `querystring.${field}`, message: expect.any(String) },
      ])
    }
  })

  it('an administrator closes a pending request; an id that names no request is a 404, nothing closed', async () => {
    // Someone without Operations Team (the requester has it since the first test), asking for themselves.
    const without = (await listAccounts(engine.db, {})).find(
      (a) =>
        a.sourceName === 'Corporate Directory' &&
        !String(a.attributes['groups'] ?? '').includes('ops-team') &&
        ![requester.id, owner.id].includes(a.identityId ?? ''),
    )
    const asker = (await findIdentity(engine.db, without?.identityId ?? '')) as Identity
    const made = await new AccessRequestsApi(await as(asker)).createAccessRequest({
      accessRequest: {
        requestedFor: [asker.id],
        requestType: 'GRANT_ACCESS',
        requestedItems: [{ type: 'ACCESS_PROFILE', id: OPS_TEAM_ID, comment: 'stuck' }],
      },
    })
    const id = made.data.newRequests?.[0]?.accessRequestIds?.[0] as string
    const admin = await tokenOf(
      base,
      clientConfiguration(
        base,
        await createApiClient(engine, { name: 'closer', capabilities: ['ORG_ADMIN'] }),
      ),
    )
    const close = (token: string, accessRequestIds: string[]) =>
      fetch(`${base}/v2025/access-requests/close`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ accessRequestIds, message: 'stuck since the outage' }),
      })
    const stateOf = async () =>
      (
        await new AccessRequestsApi(await as(asker)).listAccessRequestStatus({
          filters: `accessRequestId eq "${id}"`,
        })
      ).data.map((s) => s.state)
    expect((await close(await tokenOf(base, await as(asker)), [id])).status).toBe(403)
    const unknown = await close(admin, [id, 'no-such-request'])
    expect(unknown.status).toBe(404)
    expect(JSON.stringify(await unknown.json())).toContain('no-such-request')
    expect(await stateOf()).toEqual(['EXECUTING'])
    expect((await close(admin, [id])).status).toBe(202)
    expect(await stateOf()).toEqual(['TERMINATED'])
  })

  it('a manager asks for several reports at once, and the approvers decide them in bulk', async () => {
    const people = await listIdentities(engine.db, {})
    const directory = (await listAccounts(engine.db, {})).filter(
      (a) =>
        a.sourceName === 'Corporate Directory' && !String(a.attributes['groups'] ?? '').includes('ops-team'),
    )
    const without = new Set(directory.map((a) => a.identityId))
    const reportsOf = new Map<string, Identity[]>()
    for (const p of people) {
      if (p.managerId === null || !without.has(p.id) || p.id === requester.id || p.name === 'james.wilson') {
        continue
      }
      reportsOf.set(p.managerId, [...(reportsOf.get(p.managerId) ?? []), p])
    }
    const [bossId, reports] = [...reportsOf].find(([id, list]) => list.length >= 2 && id !== owner.id) as [
      string,
      Identity[],
    ]
    const boss = people.find((p) => p.id === bossId) as Identity
    const two = reports.slice(0, 2)
    const bossCfg = await as(boss)
    const made = await new AccessRequestsApi(bossCfg).createAccessRequest({
      accessRequest: {
        requestedFor: two.map((r) => r.id),
        requestType: 'GRANT_ACCESS',
        requestedItems: [{ type: 'ACCESS_PROFILE', id: OPS_TEAM_ID, comment: 'both on call' }],
      },
    })
    expect(made.data).toMatchObject({ newRequests: [expect.anything(), expect.anything()] })
    const mine = (await new AccessRequestApprovalsApi(bossCfg).listPendingApprovals({})).data.filter((a) =>
      two.some((r) => r.id === a.requestedFor?.id),
    )
    expect(mine).toHaveLength(2)
    const bulk = (cfg: Configuration, approvalIds: string[]) =>
      new AccessRequestsV2024Api(cfg).approveBulkAccessRequest({
        bulkApproveAccessRequestV2024: { approvalIds, comment: 'both fine' },
      })
    // Not the owner's to decide: refused, and neither is decided.
    await expect(
      bulk(
        await as(owner),
        mine.map((a) => a.id ?? ''),
      ),
    ).rejects.toMatchObject({
      response: { status: 403 },
    })
    await expect(bulk(bossCfg, [])).rejects.toMatchObject({ response: { status: 400 } })
    await expect(bulk(bossCfg, [mine[0]?.id ?? '', 'no-such-approval'])).rejects.toMatchObject({
      response: { status: 404 },
    })
    expect(
      (
        await bulk(
          bossCfg,
          mine.map((a) => a.id ?? ''),
        )
      ).status,
    ).toBe(202)
    await expect(
      bulk(
        bossCfg,
        mine.map((a) => a.id ?? ''),
      ),
    ).rejects.toMatchObject({
      response: { status: 409 },
    })
    const ownerCfg = await as(owner)
    const ownerSteps = (await new AccessRequestApprovalsApi(ownerCfg).listPendingApprovals({})).data.filter(
      (a) => two.some((r) => r.id === a.requestedFor?.id),
    )
    expect(ownerSteps).toHaveLength(2)
    await bulk(
      ownerCfg,
      ownerSteps.map((a) => a.id ?? ''),
    )
    await executeDue(engine)
    for (const r of two) {
      const account = (await listAccounts(engine.db, { identityIds: [r.id] })).find(
        (a) => a.sourceName === 'Corporate Directory',
      )
      expect(String(account?.attributes['groups'])).toContain('ops-team')
    }
  })
})
