import {
  AccountActivitiesApi,
  AccountsApi,
  EntitlementsBetaApi,
  IdentitiesBetaApi,
  IdentitiesV2024Api,
  LifecycleStatesApi,
  Paginator,
  WorkItemsApi,
  type Configuration,
} from 'sailpoint-api-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Api } from '../src/api/build-api.js'
import type { OpenEngine } from '../src/app/open-engine.js'
import { applyPlan } from '../src/engine/apply-plan.js'
import { createApiClient, createPersonalAccessToken } from '../src/engine/auth/credentials.js'
import { executeDue } from '../src/engine/execution/execute-due.js'
import { findIdentity } from '../src/engine/queries/get-identity.js'
import { refreshSource } from '../src/engine/refresh-source.js'
import { databases } from './support/databases.js'
import { clientConfiguration, listening, quietly } from './support/official-client.js'
import { demoWorkspace } from './support/temp-workspace.js'
import { testApi } from './support/test-api.js'

/** The operational routes as the official client's users call them: its paths, parameters and bodies. */
describe.each(databases)('the official client on the operational routes on $name', (database) => {
  let api: Api
  let engine: OpenEngine
  let admin: Configuration
  let owner: Configuration

  beforeAll(async () => {
    const ws = await demoWorkspace()
    ;({ api, engine } = await testApi(ws.config, await database.open(), {
      rateLimit: { max: 10_000, windowSeconds: 10 },
    }))
    for (const s of engine.config.sources) await refreshSource(engine, s.value.name)
    await applyPlan(engine)
    await executeDue(engine)
    const base = await listening(api)
    admin = clientConfiguration(
      base,
      await createApiClient(engine, { name: 'ops', capabilities: ['ORG_ADMIN'] }),
    )
    owner = clientConfiguration(
      base,
      await createPersonalAccessToken(engine, { identity: 'james.lamarr', name: 'sdk' }),
    )
  }, 120_000)
  afterAll(async () => {
    await api.close()
    await engine.close()
  })

  it('lists identities and entitlements (beta, v2024) and pages them', async () => {
    const identities = new IdentitiesBetaApi(admin)
    const all = await quietly(() => Paginator.paginate(identities, identities.listIdentities, {}, 15))
    expect(all.data).toHaveLength(40)
    const one = await new IdentitiesV2024Api(admin).getIdentity({ id: all.data[0]?.id ?? '' })
    expect(one.data.alias).toBe(all.data[0]?.alias)
    const entitlements = await new EntitlementsBetaApi(admin).listEntitlements({ limit: 2, count: true })
    expect(entitlements.data).toHaveLength(2)
    expect(Number(entitlements.headers['x-total-count'])).toBeGreaterThan(2)
    const processed = await identities.startIdentityProcessing({
      processIdentitiesRequestBeta: { identityIds: [all.data[0]?.id ?? ''] },
    })
    expect(processed.status).toBe(202)
  })

  it('disables an account, correlates it, reads its entitlements and follows the activity', async () => {
    const accounts = new AccountsApi(admin)
    const [badge] = (await accounts.listAccounts({ filters: 'nativeIdentity eq "B5004"' })).data
    const disabled = await accounts.disableAccount({ id: badge?.id ?? '', accountToggleRequest: {} })
    expect(disabled.status).toBe(202)
    const activity = await new AccountActivitiesApi(admin).getAccountActivity({ id: disabled.data.id })
    expect(activity.data.items?.[0]?.operation).toBe('DISABLE')
    const held = await accounts.getAccountEntitlements({ id: badge?.id ?? '', count: true })
    expect(held.data.length).toBeGreaterThan(0)
    const identity = await findIdentity(engine, 'ada.lamarr')
    const patched = await accounts.updateAccount({
      id: badge?.id ?? '',
      requestBody: [{ op: 'replace', path: '/identityId', value: identity.id }],
    })
    expect(patched.status).toBe(202)
    await accounts.updateAccount({
      id: badge?.id ?? '',
      requestBody: [{ op: 'replace', path: '/identityId', value: badge?.identityId ?? '' }],
    })
  })

  it('sets a lifecycle state', async () => {
    const identity = await findIdentity(engine, 'alan.borg')
    const leave = engine.config.identityProfiles[0]?.value.lifecycleStates.find(
      (s) => s.technicalName === 'leave',
    )
    const set = await new LifecycleStatesApi(admin).setLifecycleState({
      identityId: identity.id,
      setLifecycleStateRequest: { lifecycleStateId: leave?.id ?? '' },
    })
    expect(set.status).toBe(200)
    expect((await findIdentity(engine, identity.id)).lifecycleState).toBe('leave')
  })

  it("lets a work item's owner list, complete and reject; an administrator forwards one", async () => {
    const items = new WorkItemsApi(owner)
    const mine = await items.listWorkItems({ count: true })
    expect(mine.data.length).toBeGreaterThan(0)
    expect(mine.data.every((w) => w.ownerName === 'james.lamarr')).toBe(true)
    const summary = await items.getWorkItemsSummary()
    expect(summary.data.open).toBe(mine.data.length)
    const [first, second] = mine.data
    const done = await items.completeWorkItem({ id: first?.id ?? '', body: 'done' })
    expect(done.data.state).toBe('Finished')
    const rejected = await items.rejectApprovalItemsInBulk({ id: second?.id ?? '' })
    expect(rejected.data.state).toBe('Rejected')
    const wilson = await findIdentity(engine, 'james.wilson')
    const forwarded = await new WorkItemsApi(admin).sendWorkItemForward({
      id: mine.data[2]?.id ?? '',
      workItemForward: { targetOwnerId: wilson.id, comment: 'for the directory team' },
    })
    expect(forwarded.status).toBe(200)
    expect((await items.getCountWorkItems()).data.count).toBe(mine.data.length - 3)
  })
})
