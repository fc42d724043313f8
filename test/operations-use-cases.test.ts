import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { engineOver, type OpenEngine } from '../src/app/open-engine.js'
import { builtInConnectors } from '../src/connectors/built-in-connectors.js'
import type { WorkspaceConfig } from '../src/domain/config/workspace-config.js'
import { ConflictError, InputError, NotFoundError } from '../src/domain/errors.js'
import { correlateAccount } from '../src/engine/correlate-account.js'
import { executeDue } from '../src/engine/execution/execute-due.js'
import { completeTask, forwardTask, ownsTask } from '../src/engine/manual-tasks.js'
import { listAccountEntitlements } from '../src/engine/queries/list-account-entitlements.js'
import { listAccounts } from '../src/engine/queries/list-accounts.js'
import { listActivities } from '../src/engine/queries/list-activities.js'
import { listEntitlements } from '../src/engine/queries/list-entitlements.js'
import { findIdentity } from '../src/engine/queries/get-identity.js'
import { listWorkItems } from '../src/engine/queries/list-work-items.js'
import { refreshSource } from '../src/engine/refresh-source.js'
import { reprocessIdentities } from '../src/engine/reprocess-identities.js'
import { requestAccountChange } from '../src/engine/request-account-change.js'
import { setLifecycleState } from '../src/engine/set-lifecycle-state.js'
import { databases } from './support/databases.js'
import { demoWorkspace } from './support/temp-workspace.js'

/** The demo workspace, with `automatic` provisioning so a re-plan writes its activities at once. */
function automatic(config: WorkspaceConfig): WorkspaceConfig {
  return { ...config, settings: { ...config.settings, provisioning: 'automatic' } }
}

describe.each(databases)('operational use cases on $name', (database) => {
  let engine: OpenEngine

  beforeAll(async () => {
    const ws = await demoWorkspace()
    engine = engineOver(automatic(ws.config), await database.open(), builtInConnectors())
    for (const s of engine.config.sources) await refreshSource(engine, s.value.name)
    await executeDue(engine)
  })
  afterAll(async () => {
    await engine.close()
  })

  const badgeOf = async (name: string) => {
    const identity = await findIdentity(engine, name)
    const { rows } = await listAccounts(engine, {
      filters: `identityId eq "${identity.id}" and sourceId eq "${engine.config.sources.find((s) => s.value.name === 'Badge System')?.value.id ?? ''}"`,
    })
    return { identity, account: rows[0] }
  }

  it('requests an enable or disable of one account as a MANUAL activity, once while it is open', async () => {
    const { account } = await badgeOf('ada.lamarr')
    expect(account).toBeDefined()
    const first = await requestAccountChange(engine, account?.id ?? '', 'Disable')
    expect(first.alreadyRequested).toBe(false)
    const again = await requestAccountChange(engine, account?.id ?? '', 'Disable')
    expect(again).toMatchObject({ activityId: first.activityId, alreadyRequested: true })
    const [activity] = (await listActivities(engine, { filters: { ids: [first.activityId] } })).rows
    expect(activity).toMatchObject({ type: 'MANUAL', operation: 'Disable', status: 'PENDING' })
    await expect(requestAccountChange(engine, 'nope', 'Enable')).rejects.toThrow(NotFoundError)
  })

  it('correlates an account by hand, and automatic correlation leaves an uncorrelated one alone', async () => {
    const { identity, account } = await badgeOf('ada.torvalds')
    const other = await findIdentity(engine, 'alan.borg')
    const moved = await correlateAccount(engine, account?.id ?? '', other.id)
    expect(moved.before.identityId).toBe(identity.id)
    expect(moved.after).toMatchObject({ identityId: other.id, manuallyCorrelated: true })
    const removed = await correlateAccount(engine, account?.id ?? '', null)
    expect(removed.after.identityId).toBeNull()
    await refreshSource(engine, 'Badge System')
    const [after] = (await listAccounts(engine, { filters: `id eq "${account?.id ?? ''}"` })).rows
    expect(after?.identityId).toBeNull()
    await expect(correlateAccount(engine, account?.id ?? '', 'nobody')).rejects.toThrow(/identityId/)
    const hr = (
      await listAccounts(engine, { filters: `identityId eq "${identity.id}"`, limit: 10 })
    ).rows.find((a) => a.authoritative)
    await expect(correlateAccount(engine, hr?.id ?? '', other.id)).rejects.toThrow(ConflictError)
    // Put back for the tests after this one.
    await correlateAccount(engine, account?.id ?? '', identity.id)
  })

  it("sets a lifecycle state by hand and applies the state's account actions", async () => {
    const states = engine.config.identityProfiles[0]?.value.lifecycleStates ?? []
    const leave = states.find((s) => s.technicalName === 'leave')
    const set = await setLifecycleState(engine, 'james.wilson', leave?.id ?? '')
    expect(set.before.lifecycleState).toBe('active')
    expect(set.identity).toMatchObject({
      lifecycleState: 'leave',
      attributes: { cloudLifecycleState: 'leave' },
    })
    expect(Object.keys(set.identity.attributes)).toEqual(Object.keys(set.before.attributes))
    const activities = (await listActivities(engine, { filters: { ids: set.activityIds } })).rows
    expect(activities.map((a) => `${a.operation} ${a.type}`)).toContain('Disable LIFECYCLE_STATE')
    await expect(setLifecycleState(engine, 'james.wilson', 'nope')).rejects.toThrow(InputError)
    await expect(setLifecycleState(engine, 'nobody', leave?.id ?? '')).rejects.toThrow(NotFoundError)
    // Processing again computes the state from the source data.
    const again = await reprocessIdentities(engine, { identityIds: [set.identity.id] })
    expect(again.identityIds).toEqual([set.identity.id])
    expect((await findIdentity(engine, set.identity.id)).lifecycleState).toBe('active')
    await expect(reprocessIdentities(engine, { identityIds: ['nope'] })).rejects.toThrow(/identityIds.*nope/)
    const profile = await reprocessIdentities(engine, { identityProfile: 'Employees' })
    expect(profile.identityIds).toHaveLength(40)
    await expect(reprocessIdentities(engine, { identityProfile: 'Nobody' })).rejects.toThrow(NotFoundError)
  })

  it("lists an account's entitlements and filters entitlements across sources", async () => {
    const all = await listEntitlements(engine, { count: true, limit: 2 })
    expect(all.rows).toHaveLength(2)
    expect(all.total).toBeGreaterThan(2)
    const zones = await listEntitlements(engine, { filters: 'attribute eq "zones" and value sw "data"' })
    expect(zones.rows.map((e) => e.value)).toEqual(['datacenter'])
    await expect(listEntitlements(engine, { filters: 'colour eq "x"' })).rejects.toThrow(InputError)
    const holder = (await listAccounts(engine, { filters: 'nativeIdentity eq "B5004"' })).rows[0]
    const held = await listAccountEntitlements(engine, holder?.id ?? '', { count: true })
    expect(held.rows.length).toBeGreaterThan(0)
    expect(held.total).toBe(held.rows.length)
    expect(held.rows.every((e) => e.sourceId === holder?.sourceId)).toBe(true)
  })

  it('forwards a work item to another identity, which then owns it', async () => {
    const lamarr = await findIdentity(engine, 'james.lamarr')
    const mine = await listWorkItems(engine, { filters: { ownerIdentity: lamarr.id }, count: true })
    expect(mine.total).toBeGreaterThan(0)
    const task = mine.rows[0]
    expect(task && ownsTask(task, lamarr)).toBe(true)
    const wilson = await findIdentity(engine, 'james.wilson')
    const { owner } = await forwardTask(engine, task?.id ?? '', wilson.id, 'you have the keys')
    expect(owner.id).toBe(wilson.id)
    const theirs = await listWorkItems(engine, { filters: { ownerIdentity: 'james.wilson' } })
    expect(theirs.rows.map((t) => t.id)).toContain(task?.id)
    await expect(forwardTask(engine, task?.id ?? '', 'nobody', 'x')).rejects.toThrow(/targetOwnerId/)
    await completeTask(engine, task?.id ?? '')
    await expect(forwardTask(engine, task?.id ?? '', wilson.id, 'x')).rejects.toThrow(ConflictError)
    const closed = await listWorkItems(engine, {
      filters: { ownerIdentity: wilson.id, states: ['Finished'] },
    })
    expect(closed.rows.map((t) => t.id)).toEqual([task?.id])
  })

  it('filters activities with a v3 filters string', async () => {
    const manual = await listActivities(engine, { filters: { expression: 'type eq "MANUAL"' }, count: true })
    expect(manual.total).toBe(1)
    const sorted = await listActivities(engine, { sorters: ['-type'], limit: 1 })
    expect(sorted.rows).toHaveLength(1)
    await expect(listActivities(engine, { filters: { expression: 'colour eq "x"' } })).rejects.toThrow(
      InputError,
    )
  })
})
