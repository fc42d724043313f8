import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { WorkspaceConfig } from '../src/domain/config/workspace-config.js'
import { InputError } from '../src/domain/errors.js'
import type { EngineContext } from '../src/engine/engine-context.js'
import { listAccounts } from '../src/engine/queries/list-accounts.js'
import { insertAccounts } from '../src/store/account-aggregation.js'
import type { Store } from '../src/store/open-store.js'
import { ensureSource } from '../src/store/sources.js'
import { databases } from './support/databases.js'
import { demoWorkspace, engineContext } from './support/temp-workspace.js'

/**
 * Accounts by native identity, with their display names, on the first configured source (s1) and another (s2):
 *
 *   s1: alice    "Alice Adams"    → identity i-alice
 *       bob      "bob"            (uncorrelated, disabled)
 *       pct      "50%_off"
 *       digits   "500 off"
 *       letter   "50%xoff"
 *       quotes   `say "hi"`
 *       irish    "O'Brien"
 *       slash    "back\slash"
 *       inject   "x' OR '1'='1"  (its native identity too)
 *       empty    ""
 *       none     (no display name)
 *   s2: alice    "Alice on s2"    → identity i-alice  (its source, "Zz other", sorts after s1)
 */
const S1: [string, string | null, string | null, boolean][] = [
  ['alice', 'Alice Adams', 'i-alice', false],
  ['bob', 'bob', null, true],
  ['pct', '50%_off', null, false],
  ['digits', '500 off', null, false],
  ['letter', '50%xoff', null, false],
  ['quotes', 'say "hi"', null, false],
  ['irish', "O'Brien", null, false],
  ['slash', 'back\\slash', null, false],
  ["x' OR '1'='1", "x' OR '1'='1", null, false],
  ['empty', '', null, false],
  ['none', null, null, false],
]

describe.each(databases)('account filters on $name', (database) => {
  let config: WorkspaceConfig
  let store: Store | undefined
  beforeAll(async () => {
    config = (await demoWorkspace()).config
  })
  afterEach(async () => {
    await store?.close()
    store = undefined
  })

  async function seeded(): Promise<{ ctx: EngineContext; s1: string; s2: string; source: string }> {
    store = await database.open()
    const ctx = engineContext(config, store)
    const source = config.sources[0]?.value.name as string
    const s1 = await ensureSource(store.db, source)
    const s2 = await ensureSource(store.db, 'Zz other')
    const row = (
      sourceId: string,
      i: number,
      nativeIdentity: string,
      name: string | null,
      identity: string | null,
    ) => ({
      id: `${sourceId}-${i}`,
      sourceId,
      nativeIdentity,
      displayName: name,
      identityId: identity,
      authoritative: false,
      attributesJson: '{}',
      hash: '',
      disabled: false,
      locked: false,
    })
    await insertAccounts(store.db, [
      ...S1.map(([n, name, identity, disabled], i) => ({ ...row(s1, i, n, name, identity), disabled })),
      row(s2, 0, 'alice', 'Alice on s2', 'i-alice'),
    ])
    return { ctx, s1, s2, source }
  }

  /** The native identities (with their source when not s1) a filter lists, in the listing's order. */
  async function matching(ctx: EngineContext, s2: string, filters: string): Promise<string[]> {
    const { rows } = await listAccounts(ctx, { filters })
    return rows.map((a) => (a.sourceId === s2 ? `s2:${a.nativeIdentity}` : a.nativeIdentity))
  }

  it('finds an account by source and native identity, as the SDK asks', async () => {
    const { ctx, s1, s2 } = await seeded()
    expect(await matching(ctx, s2, `sourceId eq "${s1}" and nativeIdentity eq "alice"`)).toEqual(['alice'])
    expect(await matching(ctx, s2, `sourceId eq "${s2}" and nativeIdentity eq "alice"`)).toEqual(['s2:alice'])
    expect(await matching(ctx, s2, 'nativeIdentity eq "alice"')).toEqual(['alice', 's2:alice'])
    expect(await matching(ctx, s2, `sourceId eq "${s1}" and nativeIdentity eq "nobody"`)).toEqual([])
  })

  it('matches %, _, quotes and backslashes literally', async () => {
    const { ctx, s2 } = await seeded()
    expect(await matching(ctx, s2, 'name sw "50%"')).toEqual(['letter', 'pct'])
    expect(await matching(ctx, s2, 'name sw "50%_"')).toEqual(['pct'])
    expect(await matching(ctx, s2, 'name co "%_o"')).toEqual(['pct'])
    expect(await matching(ctx, s2, 'name eq "say \\"hi\\""')).toEqual(['quotes'])
    expect(await matching(ctx, s2, 'name co "\\""')).toEqual(['quotes'])
    expect(await matching(ctx, s2, 'name eq "o\'brien"')).toEqual(['irish'])
    expect(await matching(ctx, s2, 'name co "\\\\"')).toEqual(['slash'])
    expect(await matching(ctx, s2, 'name eq "back\\\\slash"')).toEqual(['slash'])
  })

  it('treats SQL in a value as text: only the exact match', async () => {
    const { ctx, s2 } = await seeded()
    expect(await matching(ctx, s2, `nativeIdentity eq "x' OR '1'='1"`)).toEqual(["x' OR '1'='1"])
    expect(await matching(ctx, s2, `nativeIdentity eq "' OR 1=1 --"`)).toEqual([])
    expect(await matching(ctx, s2, `name eq "'; DROP TABLE accounts; --"`)).toEqual([])
    expect(await matching(ctx, s2, `nativeIdentity in ("x' OR '1'='1", "bob")`)).toEqual([
      'bob',
      "x' OR '1'='1",
    ])
    expect((await listAccounts(ctx, { count: true })).total).toBe(S1.length + 1)
  })

  it('compares names ignoring case, native identities not', async () => {
    const { ctx, s2 } = await seeded()
    expect(await matching(ctx, s2, 'name eq "ALICE ADAMS"')).toEqual(['alice'])
    expect(await matching(ctx, s2, 'name sw "alice"')).toEqual(['alice', 's2:alice'])
    expect(await matching(ctx, s2, 'name in ("BOB", "o\'BRIEN")')).toEqual(['bob', 'irish'])
    expect(await matching(ctx, s2, 'nativeIdentity eq "ALICE"')).toEqual([])
  })

  it('combines with and, or, not and parentheses', async () => {
    const { ctx, s1, s2 } = await seeded()
    expect(await matching(ctx, s2, 'identityId eq "i-alice"')).toEqual(['alice', 's2:alice'])
    expect(await matching(ctx, s2, `identityId eq "i-alice" and not sourceId eq "${s2}"`)).toEqual(['alice'])
    // and binds tighter than or.
    expect(
      await matching(ctx, s2, `nativeIdentity eq "bob" or sourceId eq "${s2}" and nativeIdentity eq "alice"`),
    ).toEqual(['bob', 's2:alice'])
    expect(
      await matching(
        ctx,
        s2,
        `(nativeIdentity eq "bob" or sourceId eq "${s2}") and nativeIdentity eq "alice"`,
      ),
    ).toEqual(['s2:alice'])
    expect(await matching(ctx, s2, 'disabled eq true')).toEqual(['bob'])
    expect(await matching(ctx, s2, `uncorrelated eq false and sourceId eq "${s1}"`)).toEqual(['alice'])
    // A missing name matches no comparison; `not` is every row the comparison does not match.
    expect(await matching(ctx, s2, `sourceId eq "${s1}" and not name sw "a"`)).toHaveLength(S1.length - 1)
  })

  it('tells a name from no name: pr and isnull, the empty name counting as none', async () => {
    const { ctx, s1, s2 } = await seeded()
    expect(await matching(ctx, s2, `sourceId eq "${s1}" and name isnull`)).toEqual(['empty', 'none'])
    expect(await matching(ctx, s2, `sourceId eq "${s1}" and name eq null`)).toEqual(['empty', 'none'])
    expect(await matching(ctx, s2, `sourceId eq "${s1}" and name pr`)).toHaveLength(S1.length - 2)
    expect(await matching(ctx, s2, `sourceId eq "${s1}" and identityId pr`)).toEqual(['alice'])
  })

  it('filters dates, pages, sorts and counts a filtered listing', async () => {
    const { ctx, s1, s2 } = await seeded()
    expect(await matching(ctx, s2, 'created gt 2000-01-01')).toHaveLength(S1.length + 1)
    expect(await matching(ctx, s2, 'modified lt "2000-01-01T00:00:00Z"')).toEqual([])
    const page = await listAccounts(ctx, {
      filters: `sourceId eq "${s1}" and name sw "50"`,
      limit: 2,
      offset: 1,
      count: true,
      sorters: ['-nativeIdentity'],
    })
    expect(page.rows.map((a) => a.nativeIdentity)).toEqual(['letter', 'digits'])
    expect(page.total).toBe(3)
  })

  it('keeps the structured filters', async () => {
    const { ctx, source, s2 } = await seeded()
    const bySource = await listAccounts(ctx, { filters: { source }, count: true })
    expect(bySource.total).toBe(S1.length)
    const byIdentity = await listAccounts(ctx, { filters: { identityId: 'i-alice' } })
    expect(byIdentity.rows.map((a) => (a.sourceId === s2 ? 's2' : 's1'))).toEqual(['s1', 's2'])
  })

  it('refuses what it cannot filter by, naming what it can', async () => {
    const { ctx } = await seeded()
    await expect(listAccounts(ctx, { filters: 'email eq "x"' })).rejects.toThrow(
      new InputError(
        'filters: cannot filter by "email"; filter by id, identityId, sourceId, nativeIdentity, name, uncorrelated, ' +
          'manuallyCorrelated, disabled, locked, created, modified',
      ),
    )
    await expect(listAccounts(ctx, { filters: 'sourceId sw "x"' })).rejects.toThrow(
      'filters: "sourceId" does not support "sw"; it supports eq, ne, in',
    )
    await expect(listAccounts(ctx, { filters: 'name eq' })).rejects.toBeInstanceOf(InputError)
  })
})
