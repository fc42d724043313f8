import { afterEach, describe, expect, it } from 'vitest'
import { migrate } from '../src/store/migrate.js'
import { insertAccounts, loadAccountRefs, updateAccounts } from '../src/store/account-aggregation.js'
import { listAccounts } from '../src/store/accounts.js'
import { addEntitlements, listEntitlements } from '../src/store/entitlements.js'
import type { Store } from '../src/store/open-store.js'
import { ensureSource } from '../src/store/sources.js'
import { databases } from './support/databases.js'

describe.each(databases)('store on $name', (database) => {
  let store: Store | undefined
  afterEach(async () => {
    await store?.close()
    store = undefined
  })

  it('migrates once; a second run applies nothing', async () => {
    store = await database.open()
    expect(await migrate(store.db)).toEqual([])
    const rows = await store.db.query<{ version: number }>('SELECT version FROM schema_migrations')
    expect(rows.map((r) => Number(r.version)).sort((a, b) => a - b)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 22, 23, 24, 25, 26,
    ])
  })

  it('bulk-inserts accounts with awkward text and reads them back', async () => {
    store = await database.open()
    const { db } = store
    const sourceId = await ensureSource(db, 'HR')
    expect(await ensureSource(db, 'HR')).toBe(sourceId)
    const awkward = 'tab\there, newline\nthere, back\\slash, quote " and ü'
    await insertAccounts(db, [
      {
        id: 'a1',
        sourceId,
        nativeIdentity: 'n1',
        displayName: awkward,
        identityId: null,
        authoritative: true,
        attributesJson: JSON.stringify({ x: awkward, g: ['a', 'b'] }),
        hash: 'h1',
        disabled: false,
        locked: false,
      },
      {
        id: 'a2',
        sourceId,
        nativeIdentity: 'n2',
        displayName: null,
        identityId: null,
        authoritative: true,
        attributesJson: '{}',
        hash: 'h2',
        disabled: true,
        locked: false,
      },
    ])
    const accounts = await listAccounts(db, { sourceId })
    expect(accounts.map((a) => [a.nativeIdentity, a.displayName, a.attributes, a.disabled])).toEqual([
      ['n1', awkward, { x: awkward, g: ['a', 'b'] }, false],
      ['n2', null, {}, true],
    ])
    await updateAccounts(
      db,
      [
        {
          id: 'a2',
          displayName: 'Two',
          attributesJson: JSON.stringify({ y: '1' }),
          hash: 'h3',
          disabled: false,
          locked: true,
        },
      ],
      new Date(),
    )
    const refs = await loadAccountRefs(db, sourceId)
    expect(refs.get('n2')).toEqual({ id: 'a2', hash: 'h3', identityId: null })
    // The unique key (source, native identity) holds.
    await expect(
      insertAccounts(db, [
        {
          id: 'a3',
          sourceId,
          nativeIdentity: 'n1',
          displayName: null,
          identityId: null,
          authoritative: false,
          attributesJson: '{}',
          hash: 'x',
          disabled: false,
          locked: false,
        },
      ]),
    ).rejects.toThrow()
  })

  it('records each entitlement once', async () => {
    store = await database.open()
    const sourceId = await ensureSource(store.db, 'Badges')
    expect(
      await addEntitlements(store.db, sourceId, [
        { attribute: 'zones', value: 'lobby' },
        { attribute: 'zones', value: 'lab' },
      ]),
    ).toBe(2)
    expect(await addEntitlements(store.db, sourceId, [{ attribute: 'zones', value: 'lobby' }])).toBe(0)
    expect((await listEntitlements(store.db, sourceId)).map((e) => e.value)).toEqual(['lab', 'lobby'])
  })

  it('an entitlement both held and listed is recorded once, with the name the system gives', async () => {
    store = await database.open()
    const sourceId = await ensureSource(store.db, 'Directory')
    const staff = { attribute: 'groups', value: 'cn=staff' }
    expect(
      await addEntitlements(store.db, sourceId, [staff, { ...staff, displayName: 'Staff' }, staff]),
    ).toBe(1)
    expect(await addEntitlements(store.db, sourceId, [{ ...staff, displayName: 'All staff' }])).toBe(0)
    const [listed] = await listEntitlements(store.db, sourceId)
    expect(listed?.displayName).toBe('All staff')
  })
})
