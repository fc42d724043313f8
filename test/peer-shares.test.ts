import { describe, expect, it } from 'vitest'
import { PeerShares } from '../src/domain/certifications/peer-shares.js'

describe('PeerShares', () => {
  it('tells the share of each peer group holding an item, the identity included', () => {
    const peers = new PeerShares()
    const ann = { department: 'Sales', manager: 'm1', title: 'Rep' }
    const bob = { department: 'Sales', manager: 'm1', title: 'Lead' }
    const cat = { department: 'Sales', manager: 'm2', title: 'Rep' }
    const dan = { department: 'Finance', manager: 'm2', title: null }
    peers.add(ann, ['AP:crm', 'E:vpn', 'AP:crm'])
    peers.add(bob, ['AP:crm'])
    peers.add(cat, ['E:vpn'])
    peers.add(dan, ['E:vpn'])
    expect(peers.shares(ann, 'AP:crm')).toEqual({ department: 0.67, manager: 1, title: 0.5 })
    expect(peers.shares(cat, 'E:vpn')).toEqual({ department: 0.67, manager: 1, title: 1 })
    // No title: no title group; an item nobody else holds: 0 among the others' groups.
    expect(peers.shares(dan, 'E:vpn')).toEqual({ department: 1, manager: 1 })
    expect(peers.shares(bob, 'E:vpn')).toEqual({ department: 0.67, manager: 0.5, title: 0 })
    // Equal values in another object are the same groups.
    expect(peers.shares({ ...ann }, 'AP:crm')).toEqual({ department: 0.67, manager: 1, title: 0.5 })
  })

  it('counts identities added after a share was read, and leaves out groups nobody was added to', () => {
    const peers = new PeerShares()
    const ann = { department: 'Sales', manager: null, title: '' }
    expect(peers.shares(ann, 'AP:crm')).toEqual({})
    peers.add(ann, ['AP:crm'])
    expect(peers.shares(ann, 'AP:crm')).toEqual({ department: 1 })
    peers.add({ department: 'Sales' }, [])
    expect(peers.shares(ann, 'AP:crm')).toEqual({ department: 0.5 })
    expect(peers.shares({}, 'AP:crm')).toEqual({})
  })
})
