import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { WorkspaceConfig } from '../src/domain/config/workspace-config.js'
import { InputError, NotFoundError } from '../src/domain/errors.js'
import type { EngineContext } from '../src/engine/engine-context.js'
import { getIdentity } from '../src/engine/queries/get-identity.js'
import { listAccounts } from '../src/engine/queries/list-accounts.js'
import { listActivities } from '../src/engine/queries/list-activities.js'
import { listEntitlements } from '../src/engine/queries/list-entitlements.js'
import { listIdentities } from '../src/engine/queries/list-identities.js'
import { getWorkItem, listWorkItems } from '../src/engine/queries/list-work-items.js'
import { insertActivities } from '../src/store/activities.js'
import { insertIdentities } from '../src/store/identity-processing.js'
import type { Store } from '../src/store/open-store.js'
import { ensureSource } from '../src/store/sources.js'
import { databases } from './support/databases.js'
import { identityRow } from './support/identity-rows.js'
import { demoWorkspace, engineContext } from './support/temp-workspace.js'

const NAMES = ['carol', 'alice', 'erin', 'bob', 'dave']

describe.each(databases)('queries on $name', (database) => {
  let config: WorkspaceConfig
  let store: Store | undefined
  beforeAll(async () => {
    config = (await demoWorkspace()).config
  })
  afterEach(async () => {
    await store?.close()
    store = undefined
  })

  /** Five identities, and three activities of alice's on the first source. */
  async function seeded(): Promise<{ ctx: EngineContext; source: string; ids: Map<string, string> }> {
    store = await database.open()
    const ctx = engineContext(config, store)
    const ids = new Map(NAMES.map((n, i) => [n, `id-${i}`]))
    await insertIdentities(
      store.db,
      NAMES.map((name, i) =>
        identityRow(ids.get(name) as string, name, {
          attributes: { email: `${name}@Example.com` },
          // carol, erin and dave active, alice and bob inactive; bob and carol report to alice.
          lifecycleState: i % 2 === 0 ? 'active' : 'inactive',
          managerId: name === 'bob' || name === 'carol' ? (ids.get('alice') as string) : null,
        }),
      ),
    )
    const source = config.sources[0]?.value.name as string
    const sourceId = await ensureSource(store.db, source)
    await insertActivities(
      store.db,
      ['a1', 'a2', 'a3'].map((nativeIdentity) => ({
        identityId: ids.get('alice') as string,
        sourceId,
        nativeIdentity,
        operation: 'Disable' as const,
        items: [],
        reasons: [],
        type: 'LIFECYCLE_STATE' as const,
      })),
    )
    return { ctx, source, ids }
  }

  it('pages, counts, sorts and filters identities', async () => {
    const { ctx } = await seeded()
    expect((await listIdentities(ctx)).rows.map((i) => i.name)).toEqual([
      'alice',
      'bob',
      'carol',
      'dave',
      'erin',
    ])
    const page = await listIdentities(ctx, { limit: 2, offset: 1, count: true })
    expect(page.rows.map((i) => i.name)).toEqual(['bob', 'carol'])
    expect(page.total).toBe(5)
    expect((await listIdentities(ctx, { limit: 2 })).total).toBeUndefined()
    expect((await listIdentities(ctx, { sorters: ['-name'], limit: 1 })).rows.map((i) => i.name)).toEqual([
      'erin',
    ])
    const filtered = await listIdentities(ctx, { filters: { nameStartsWith: 'da' }, count: true })
    expect(filtered.rows.map((i) => i.name)).toEqual(['dave'])
    expect(filtered.total).toBe(1)
    // LIKE's wildcards in a name are taken literally.
    expect((await listIdentities(ctx, { filters: { nameStartsWith: '%' } })).rows).toEqual([])
  })

  it('filters identities with the v3 grammar, and refuses what it cannot filter by', async () => {
    const { ctx, ids } = await seeded()
    const names = async (filters: string) => (await listIdentities(ctx, { filters })).rows.map((i) => i.name)
    expect(await names('email sw "A"')).toEqual(['alice'])
    expect(await names('email eq "BOB@example.com"')).toEqual(['bob'])
    expect(await names('lifecycleState eq "active" and not name eq "erin"')).toEqual(['carol', 'dave'])
    expect(await names(`managerId eq "${ids.get('alice') ?? ''}" or name in ("dave")`)).toEqual([
      'bob',
      'carol',
      'dave',
    ])
    expect(await names('managerId isnull and lifecycleState eq "inactive"')).toEqual(['alice'])
    expect(await names('alias co "%"')).toEqual([])
    const counted = await listIdentities(ctx, { filters: 'email co "example"', count: true, limit: 2 })
    expect(counted.total).toBe(5)
    expect(counted.rows.map((i) => i.name)).toEqual(['alice', 'bob'])
    await expect(names('salary gt 5')).rejects.toThrow(InputError)
    await expect(names('email gt "a"')).rejects.toThrow(/"email" does not support "gt"/)
    await expect(names('name eq')).rejects.toThrow(/filters: expected a value/)
  })

  it('rejects a sorter or a page it does not know, in words', async () => {
    const { ctx } = await seeded()
    await expect(listIdentities(ctx, { sorters: ['salary'] })).rejects.toThrow(InputError)
    await expect(listIdentities(ctx, { sorters: ['salary'] })).rejects.toThrow(/sort by name, created/)
    await expect(listIdentities(ctx, { limit: -1 })).rejects.toThrow(/limit must be a whole number/)
    await expect(listIdentities(ctx, { offset: 1.5 })).rejects.toThrow(InputError)
  })

  it('pages and sorts activities, with their source names', async () => {
    const { ctx, source } = await seeded()
    const all = await listActivities(ctx, { filters: { identity: 'alice', source }, count: true })
    expect(all.rows.map((a) => a.nativeIdentity)).toEqual(['a1', 'a2', 'a3'])
    expect(all.total).toBe(3)
    expect(all.rows.every((a) => a.sourceName === source)).toBe(true)
    const newest = await listActivities(ctx, { sorters: ['-id'], limit: 2, offset: 0 })
    expect(newest.rows.map((a) => a.nativeIdentity)).toEqual(['a3', 'a2'])
    const second = await listActivities(ctx, { limit: 1, offset: 1, count: true })
    expect(second.rows.map((a) => a.nativeIdentity)).toEqual(['a2'])
    expect(second.total).toBe(3)
    expect((await listActivities(ctx, { filters: { identity: 'bob' } })).rows).toEqual([])
  })

  it('each query raises NotFoundError itself', async () => {
    const { ctx } = await seeded()
    await expect(getIdentity(ctx, 'nobody')).rejects.toThrow(NotFoundError)
    await expect(getIdentity(ctx, 'nobody')).rejects.toThrow('no identity with id or name "nobody"')
    await expect(listActivities(ctx, { filters: { identity: 'nobody' } })).rejects.toThrow(NotFoundError)
    await expect(listActivities(ctx, { filters: { source: 'Nowhere' } })).rejects.toThrow(
      'no source named "Nowhere"',
    )
    await expect(listAccounts(ctx, { filters: { source: 'Nowhere' } })).rejects.toThrow(NotFoundError)
    await expect(listEntitlements(ctx, { filters: { source: 'Nowhere' } })).rejects.toThrow(NotFoundError)
    await expect(getWorkItem(ctx, 'nothing')).rejects.toThrow('no work item with id "nothing"')
  })

  it('returns an identity with its accounts, and empty pages with their totals', async () => {
    const { ctx, source } = await seeded()
    const { identity, accounts } = await getIdentity(ctx, 'alice')
    expect(identity.name).toBe('alice')
    expect(accounts).toEqual([])
    expect(await listAccounts(ctx, { filters: { source }, count: true })).toEqual({ rows: [], total: 0 })
    expect(await listWorkItems(ctx, { count: true, filters: { state: 'all' } })).toEqual({
      rows: [],
      total: 0,
    })
  })
})
