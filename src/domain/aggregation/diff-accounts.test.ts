import { describe, expect, it } from 'vitest'
import { ConflictError } from '../errors.js'
import { diffAccounts, hashAccount } from './diff-accounts.js'

const acct = (id: string, attrs: Record<string, string> = {}) => ({
  nativeIdentity: id,
  displayName: id,
  attributes: attrs,
})

describe('diffAccounts', () => {
  const stored = new Map(
    ['a', 'b', 'c', 'd'].map((id) => [
      id,
      { id: `id-${id}`, hash: hashAccount(acct(id)).hash, identityId: null },
    ]),
  )

  it('sorts accounts into created, updated, unchanged and deleted', () => {
    const d = diffAccounts([acct('a'), acct('b', { x: '1' }), acct('c'), acct('e')], stored, 30, 'S')
    expect(d.created.map((a) => a.account.nativeIdentity)).toEqual(['e'])
    expect(d.updated.map((a) => a.id)).toEqual(['id-b'])
    expect(d.unchanged).toBe(2)
    expect(d.deleted.map((a) => a.nativeIdentity)).toEqual(['d'])
  })

  it('refuses deletions above the threshold, and allows them at it', () => {
    expect(() => diffAccounts([acct('a'), acct('b')], stored, 49, 'S')).toThrow(ConflictError)
    expect(() => diffAccounts([acct('a'), acct('b')], stored, 49, 'S')).toThrow(
      /delete 2 of 4 accounts \(50.0%\)/,
    )
    expect(diffAccounts([acct('a'), acct('b')], stored, 50, 'S').deleted).toHaveLength(2)
  })

  it('hashes attribute order-independently', () => {
    expect(hashAccount({ nativeIdentity: 'x', displayName: 'x', attributes: { a: '1', b: '2' } }).hash).toBe(
      hashAccount({ nativeIdentity: 'x', displayName: 'x', attributes: { b: '2', a: '1' } }).hash,
    )
  })
})
