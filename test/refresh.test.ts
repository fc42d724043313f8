import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { aggregateThenProcess } from '../src/engine/aggregate-then-process.js'
import type { EngineContext } from '../src/engine/engine-context.js'
import { planIdentities } from '../src/engine/plan-identities.js'
import { processIdentities } from '../src/engine/process-identities.js'
import { loadWorkspace, SETTINGS_FILE } from '../src/engine/workspace/load-workspace.js'
import { listAccounts } from '../src/store/accounts.js'
import { findIdentity, listIdentities } from '../src/store/identities.js'
import type { Store } from '../src/store/open-store.js'
import { listPlannedActivities } from '../src/store/activities.js'
import { queuedIdentities } from '../src/store/queues.js'
import { databases } from './support/databases.js'
import { editHr, HR, removeHr } from './support/edit-hr.js'
import { demoWorkspace, engineContext } from './support/temp-workspace.js'

describe.each(databases)('incremental refresh with automatic provisioning on $name', (database) => {
  let store: Store | undefined
  afterEach(async () => {
    await store?.close()
    store = undefined
  })

  /** The demo with `provisioning: automatic`, aggregated once: everyone processed and planned. */
  async function setup() {
    const { dir } = await demoWorkspace()
    const settings = join(dir, SETTINGS_FILE)
    writeFileSync(
      settings,
      readFileSync(settings, 'utf8').replace('provisioning: review', 'provisioning: automatic'),
    )
    const config = await loadWorkspace(dir)
    store = await database.open()
    const ctx = engineContext(config, store)
    const hr = await aggregateThenProcess(ctx, 'HR')
    const badges = await aggregateThenProcess(ctx, 'Badge System')
    return { dir, ctx, store, hr, badges }
  }

  async function employee(
    ctx: EngineContext,
    filter: (i: Awaited<ReturnType<typeof listIdentities>>[number]) => boolean,
  ) {
    const badgeHolders = new Set(
      (await listAccounts(ctx.db, {}))
        .filter((a) => a.sourceName === 'Badge System')
        .map((a) => a.identityId),
    )
    const found = (await listIdentities(ctx.db)).find((i) => badgeHolders.has(i.id) && filter(i))
    expect(found).toBeDefined()
    return found as NonNullable<typeof found>
  }

  it('the first refresh covers everyone; then only what changed is processed and planned', async () => {
    const { dir, ctx, store, hr, badges } = await setup()
    expect(hr.identities).toMatchObject({ incremental: false, plan: { full: true, identities: 40 } })
    // The badges' owners were queued by their aggregation: only they are looked at again.
    expect(badges.identities.incremental).toBe(true)
    expect(badges.identities.plan?.full).toBe(false)
    expect(badges.identities.plan?.identities).toBeLessThan(40)
    const pending = await listPlannedActivities(store.db)
    expect(pending.length).toBeGreaterThan(0)

    // Nothing changed: nothing to process, nothing to plan, nothing queued.
    const again = await aggregateThenProcess(ctx, 'HR')
    expect(again.identities).toMatchObject({
      incremental: true,
      plan: { full: false, identities: 0, accountRequests: 0 },
    })
    expect(again.identities.identities.updated).toBe(0)

    // A mover: exactly one identity processed and planned, and its new access requested.
    const mover = await employee(
      ctx,
      (i) => i.lifecycleState === 'active' && i.attributes['department'] === 'Sales',
    )
    editHr(dir, mover.attributes['employeeNumber'] as string, { [HR.department]: 'Operations' })
    const moved = await aggregateThenProcess(ctx, 'HR')
    expect(moved.identities.identities).toMatchObject({ created: 0, updated: 1 })
    expect(moved.identities.plan).toMatchObject({ full: false, identities: 1, accountRequests: 1 })
    const added = (await listPlannedActivities(store.db)).slice(pending.length)
    expect(added).toMatchObject([
      {
        identityId: mover.id,
        operation: 'Modify',
        items: [{ operation: 'Add', attribute: 'zones', value: 'datacenter' }],
      },
    ])
    expect(await queuedIdentities(store.db, 'process')).toEqual([])
    expect(await queuedIdentities(store.db, 'plan')).toEqual([])

    // What was applied is what a plan of everyone finds: nothing left.
    expect((await planIdentities(ctx)).items).toEqual([])
    const full = await processIdentities(ctx, { full: true })
    expect(full).toMatchObject({
      incremental: false,
      plan: { full: true, identities: 40, accountRequests: 0 },
    })
  })

  it('a changed role plans everyone again', async () => {
    const { dir, ctx } = await setup()
    const file = join(dir, 'roles/operations-datacenter.yaml')
    writeFileSync(file, readFileSync(file, 'utf8').replace('stringValue: Operations', 'stringValue: Finance'))
    const changed = { ...ctx, config: await loadWorkspace(dir) }
    const result = await processIdentities(changed)
    expect(result.incremental).toBe(true)
    expect(result.plan).toMatchObject({ full: true, identities: 40 })
    expect(result.plan?.summary.adds).toBeGreaterThan(0)
  })

  it('follows a new manager and a leaver when only they are queued', async () => {
    const { dir, ctx, store } = await setup()
    const report = await employee(ctx, (i) => i.managerId !== null && i.lifecycleState === 'active')
    const other = (await listIdentities(store.db)).find(
      (i) => i.managerId === null && i.id !== report.managerId && i.lifecycleState === 'active',
    ) as NonNullable<Awaited<ReturnType<typeof findIdentity>>>
    editHr(dir, report.attributes['employeeNumber'] as string, {
      [HR.managerId]: other.attributes['employeeNumber'] as string,
    })
    const leaver = await employee(ctx, (i) => i.id !== report.id && i.id !== other.id && i.managerId !== null)
    removeHr(dir, leaver.attributes['employeeNumber'] as string)
    const result = await aggregateThenProcess(ctx, 'HR')
    expect(result.identities.incremental).toBe(true)
    const after = await findIdentity(store.db, report.id)
    expect(after?.managerId).toBe(other.id)
    expect(after?.attributes['managerDisplayName']).toBe(other.attributes['displayName'])
    expect((await findIdentity(store.db, leaver.id))?.authoritativeAccountRemoved).not.toBeNull()
    // The same answers as processing everyone.
    const before = await listIdentities(store.db)
    await processIdentities(ctx, { full: true })
    expect(await listIdentities(store.db)).toEqual(before)
  })
})
