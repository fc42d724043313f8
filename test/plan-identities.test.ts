import { appendFileSync, cpSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { aggregateThenProcess } from '../src/engine/aggregate-then-process.js'
import { applyPlan } from '../src/engine/apply-plan.js'
import { planIdentities } from '../src/engine/plan-identities.js'
import { loadWorkspace } from '../src/engine/workspace/load-workspace.js'
import { listAccounts } from '../src/store/accounts.js'
import { listIdentities } from '../src/store/identities.js'
import type { Store } from '../src/store/open-store.js'
import { listEntitlements } from '../src/store/entitlements.js'
import { listPlannedActivities } from '../src/store/activities.js'
import { listSourceRows } from '../src/store/sources.js'
import { databases } from './support/databases.js'
import { editHr, HR } from './support/edit-hr.js'
import { demoWorkspace, engineContext, tempDir } from './support/temp-workspace.js'

describe.each(databases)('planning on $name', (database) => {
  let store: Store | undefined
  afterEach(async () => {
    await store?.close()
    store = undefined
  })

  async function setup() {
    const ws = await demoWorkspace()
    store = await database.open()
    const ctx = engineContext(ws.config, store)
    await aggregateThenProcess(ctx, 'HR')
    await aggregateThenProcess(ctx, 'Badge System')
    return { ...ws, ctx, store }
  }

  it("apply --source applies only that source's plan; the next apply still applies the rest", async () => {
    const { dir, ctx, store } = await setup()
    await applyPlan(ctx)
    const requestsOf = async (source: string) =>
      (await listPlannedActivities(store.db)).filter((r) => r.sourceId === sourceIds.get(source))
    const sourceIds = new Map((await listSourceRows(store.db)).map((s) => [s.name, s.id]))
    const directoryBefore = (await requestsOf('Corporate Directory')).length
    // A badge holder leaves: the terminated state disables the badge and removes all access.
    const badge = (await listAccounts(store.db, {})).find((a) => a.sourceName === 'Badge System')
    const hr = (await listAccounts(store.db, { identityIds: [badge?.identityId as string] })).find(
      (a) => a.sourceName === 'HR',
    )
    editHr(dir, hr?.nativeIdentity as string, { [HR.status]: 'T', [HR.terminationDate]: '2020-01-31' })
    await aggregateThenProcess(ctx, 'HR')
    const leaverPlan = await planIdentities(ctx, { identity: badge?.identityId as string })
    expect(leaverPlan.items).toContainEqual(
      expect.objectContaining({ sourceName: 'Badge System', operation: 'Disable' }),
    )

    const partial = await applyPlan(ctx, { source: 'Corporate Directory' })
    const badgeNow = await requestsOf('Badge System')
    expect(badgeNow.filter((r) => r.identityId === badge?.identityId && r.operation === 'Disable')).toEqual(
      [],
    )
    expect((await requestsOf('Corporate Directory')).length).toBe(directoryBefore + partial.accountRequests)

    // Everything else is still to apply, the leaver's badge disable included; nothing is requested twice.
    const rest = await applyPlan(ctx)
    expect(rest.accountRequests).toBeGreaterThan(0)
    const disables = (await requestsOf('Badge System')).filter(
      (r) => r.identityId === badge?.identityId && r.operation === 'Disable',
    )
    expect(disables).toHaveLength(1)
    expect((await requestsOf('Corporate Directory')).length).toBe(directoryBefore + partial.accountRequests)
    await expect(applyPlan(ctx, { source: 'No Such Source' })).rejects.toThrow(/no source named/)
  })

  it('plans the role grants with their reasons, and nothing more once applied', async () => {
    const { ctx, store } = await setup()
    const plan = await planIdentities(ctx)
    expect(plan.errors).toEqual([])
    // Everyone active gets a directory account (checked in the execution tests); here, the badge changes.
    const badge = plan.items.filter((i) => i.sourceName === 'Badge System')
    expect(badge.length).toBeGreaterThan(0)
    for (const item of badge) {
      expect(item).toMatchObject({
        sourceName: 'Badge System',
        operation: 'Modify',
        attributeOperation: 'Add',
        attribute: 'zones',
        value: 'datacenter',
      })
      expect(item.reasons[0]).toMatchObject({ kind: 'ACCESS_PROFILE', name: 'Datacenter Access' })
      expect(item.reasons[0]?.detail).toMatch(
        /role "Operations Datacenter" \(department EQUALS "Operations"\)/,
      )
      expect(plan.identities.get(item.identityId)?.identity.attributes['department']).toBe('Operations')
    }
    // Planning changes nothing.
    expect(await listPlannedActivities(store.db)).toEqual([])

    const applied = await applyPlan(ctx)
    const requests = new Set(plan.items.map((i) => `${i.identityId}/${i.sourceId}/${i.operation}`))
    expect(applied.accountRequests).toBe(requests.size)
    const pending = await listPlannedActivities(store.db, { statuses: ['PENDING'] })
    expect(pending).toHaveLength(requests.size)
    expect(pending.find((r) => r.operation === 'Modify')).toMatchObject({
      operation: 'Modify',
      items: [{ operation: 'Add', attribute: 'zones', value: 'datacenter' }],
    })
    expect((await planIdentities(ctx)).items).toEqual([])
  })

  it('mover, leaver and joiner', async () => {
    const { ctx, dir, store } = await setup()
    await applyPlan(ctx)
    const people = await listIdentities(store.db)
    const withBadge = new Set(
      (await listAccounts(store.db, {}))
        .filter((a) => a.sourceName === 'Badge System')
        .map((a) => a.identityId),
    )
    const active = people.filter((p) => p.lifecycleState === 'active' && withBadge.has(p.id))
    const mover = active.find((p) => p.attributes['department'] === 'Sales') as (typeof people)[number]
    const leaver = active.find((p) => p.attributes['department'] === 'Finance') as (typeof people)[number]
    editHr(dir, mover.attributes['employeeNumber'] as string, { 5: 'Operations' })
    editHr(dir, leaver.attributes['employeeNumber'] as string, { 10: 'T', 12: '2026-01-31' })
    appendFileSync(
      join(dir, 'data/hr.csv'),
      '200001,Grace,Newhire,Grace Newhire,grace.newhire@example.com,Operations,Operations Analyst,100004,Austin,US,A,2026-11-01,,+15125550100\n',
    )
    await aggregateThenProcess(ctx, 'HR')
    const plan = await planIdentities(ctx)
    expect(plan.errors).toEqual([])
    const of = (id: string) =>
      plan.items
        .filter((i) => i.identityId === id && i.sourceName === 'Badge System')
        .map((i) =>
          [i.operation, i.attributeOperation, i.attribute, i.value].filter((x) => x !== undefined).join(' '),
        )

    expect(of(mover.id)).toEqual(['Modify Add zones datacenter'])
    expect(of(leaver.id)).toEqual(expect.arrayContaining(['Disable', 'Modify Remove zones lobby']))
    expect(
      plan.items.find((i) => i.identityId === leaver.id && i.operation === 'Disable')?.reasons[0],
    ).toMatchObject({
      kind: 'LIFECYCLE_STATE',
      name: 'terminated',
    })
    const joiner = [...plan.identities.values()].find(
      (p) => p.identity.attributes['employeeNumber'] === '200001',
    )
    expect(of(joiner?.identity.id as string)).toEqual([
      'Create Set badgeId B200001',
      'Create Set employeeNumber 200001',
      'Create Set holder Grace Newhire',
      'Create Set active true',
      'Create Add zones lobby',
      'Create Add zones datacenter',
    ])
  })

  it('resolves an entitlement given by its id alone, and says when it cannot', async () => {
    const { ctx, dir, store } = await setup()
    const sourceId = (await listSourceRows(store.db)).find((s) => s.name === 'Badge System')?.id as string
    const datacenter = (await listEntitlements(store.db, sourceId)).find((e) => e.value === 'datacenter')
    const file = join(dir, 'access-profiles/datacenter-access.yaml')
    const byValue = (await planIdentities(ctx, { source: 'Badge System' })).items
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('  - { value: datacenter }', `  - { id: ${datacenter?.id} }`),
    )
    const byId = await planIdentities(
      { ...ctx, config: await loadWorkspace(dir) },
      { source: 'Badge System' },
    )
    expect(byId.warnings).toEqual([])
    expect(byId.items).toEqual(byValue)
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        `{ id: ${datacenter?.id} }`,
        '{ id: 2c9180835d2e5168015d32f890ca1581 }',
      ),
    )
    const unknown = await planIdentities(
      { ...ctx, config: await loadWorkspace(dir) },
      { source: 'Badge System' },
    )
    expect(unknown.warnings).toEqual([
      'access profile "Datacenter Access": entitlement 2c9180835d2e5168015d32f890ca1581 is not an entitlement of its source (aggregate the source first?)',
    ])
    expect(unknown.items).toEqual([])
  })

  it('simulates a configuration change without enabling it', async () => {
    const { ctx, dir, store } = await setup()
    const other = join(tempDir(), 'candidate')
    cpSync(dir, other, { recursive: true, filter: (src) => !src.includes('.provisio') })
    const role = join(other, 'roles')
    const files = readFileSync(join(role, 'operations-datacenter.yaml'), 'utf8')
    writeFileSync(
      join(role, 'operations-datacenter.yaml'),
      files.replace('stringValue: Operations', 'stringValue: Finance'),
    )
    const simulated = await planIdentities(ctx, { config: await loadWorkspace(other) })
    const live = await planIdentities(ctx)
    const deps = (p: typeof live) =>
      new Set(
        p.items
          .filter((i) => i.sourceName === 'Badge System')
          .map((i) => p.identities.get(i.identityId)?.identity.attributes['department']),
      )
    expect(deps(live)).toEqual(new Set(['Operations']))
    expect(deps(simulated)).toEqual(new Set(['Finance']))
    expect(await listPlannedActivities(store.db)).toEqual([])
  })
})
