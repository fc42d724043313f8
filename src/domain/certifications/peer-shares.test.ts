import { describe, expect, it } from 'vitest'
import { PeerShares, type PeerKeys } from './peer-shares.js'

/**
 * A population: three engineers (two under m1, one under m2), one in Sales under m2, and one nobody can be
 * grouped with. Titles cut across departments: Dev is in both.
 */
const ada: PeerKeys = { department: 'Engineering', manager: 'm1', title: 'Dev' }
const bob: PeerKeys = { department: 'Engineering', manager: 'm1', title: 'Dev' }
const cyd: PeerKeys = { department: 'Engineering', manager: 'm2', title: 'QA' }
// Dee holds X twice (two accounts, say): counted once.
const dee: PeerKeys = { department: 'Sales', manager: 'm2', title: 'Dev' }
const eve: PeerKeys = { department: null, manager: null, title: null }

function population(): PeerShares {
  const peers = new PeerShares()
  peers.add(ada, ['X', 'Y'])
  peers.add(bob, ['X'])
  peers.add(cyd, ['Z'])
  peers.add(dee, ['X', 'X'])
  peers.add(eve, ['X', 'Y', 'Z'])
  return peers
}

describe('PeerShares', () => {
  it.each<[name: string, keys: PeerKeys, item: string, shares: Record<string, number>]>([
    [
      'two of three in the department, both under the manager, all Devs',
      ada,
      'X',
      { department: 0.67, manager: 1, title: 1 },
    ],
    [
      'held by the identity alone: its own share of each group',
      ada,
      'Y',
      { department: 0.33, manager: 0.5, title: 0.33 },
    ],
    ['alone in its title: 1 there', cyd, 'Z', { department: 0.33, manager: 0.5, title: 1 }],
    ['an item held twice by one identity counts once', dee, 'X', { department: 1, manager: 0.5, title: 1 }],
    ['an item nobody holds: 0 in every group', ada, 'W', { department: 0, manager: 0, title: 0 }],
    ['no groups: no shares', eve, 'X', {}],
    ['an empty value is no group', { department: '', manager: 'm1', title: '' }, 'X', { manager: 1 }],
    ['an absent key is no group', { title: 'Dev' }, 'Y', { title: 0.33 }],
    ['a group nobody was counted in: left out', { department: 'Legal', manager: 'm1' }, 'X', { manager: 1 }],
    [
      'groups are per attribute: a manager id equal to a department name is another group',
      { manager: 'Engineering' },
      'X',
      {},
    ],
  ])('%s', (_name, keys, item, shares) => {
    expect(population().shares(keys, item)).toEqual(shares)
  })

  it.each<[name: string, holders: number, size: number, share: number]>([
    ['one of eight rounds half up', 1, 8, 0.13],
    ['one of three', 1, 3, 0.33],
    ['two of three', 2, 3, 0.67],
    ['one of two hundred rounds down to 0.01', 1, 200, 0.01],
    ['one of two hundred and one rounds to 0', 1, 201, 0],
    ['all of them', 7, 7, 1],
  ])('two decimals: %s', (_name, holders, size, share) => {
    const peers = new PeerShares()
    for (let i = 0; i < size; i++) peers.add({ department: 'D' }, i < holders ? ['X'] : [])
    expect(peers.shares({ department: 'D' }, 'X')).toEqual({ department: share })
  })

  it('an identity holding nothing is still a peer: the share falls', () => {
    const peers = population()
    peers.add({ department: 'Engineering' }, [])
    expect(peers.shares(ada, 'X')).toMatchObject({ department: 0.5 })
  })

  it('item keys with NUL characters (entitlement keys) are told apart', () => {
    const peers = new PeerShares()
    peers.add({ title: 'Dev' }, ['E:src\u0000memberOf\u0000cn=a'])
    peers.add({ title: 'Dev' }, ['E:src\u0000memberOf\u0000cn=b'])
    expect(peers.shares({ title: 'Dev' }, 'E:src\u0000memberOf\u0000cn=a')).toEqual({ title: 0.5 })
    expect(peers.shares({ title: 'Dev' }, 'E:src\u0000memberOf')).toEqual({ title: 0 })
  })
})
