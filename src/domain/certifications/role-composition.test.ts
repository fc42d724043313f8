import { describe, expect, it } from 'vitest'
import { entitlementKey } from '../plan/entitlement-key.js'
import { compositionItems, roleWithout } from './role-composition.js'

const AP = new Map([
  ['ap-1', { name: 'Datacenter Access', sourceId: 'badges' }],
  ['ap-2', { name: 'Operations Team', sourceId: 'directory' }],
])
const VPN = entitlementKey('directory', 'groups', 'vpn')

describe('compositionItems', () => {
  it('makes one revocable item per access profile and direct entitlement, the role and its members as context', () => {
    const items = compositionItems(
      {
        id: 'r-1',
        name: 'Operations',
        accessProfileIds: ['ap-1', 'ap-2', 'ap-1'],
        entitlements: [
          { sourceId: 'directory', attribute: 'groups', value: 'vpn' },
          { sourceId: 'directory', attribute: 'groups', value: 'vpn' },
        ],
        membership: 'department EQUALS "Operations"',
        members: 3,
      },
      AP,
    )
    expect(items.map((i) => [i.itemType, i.itemId, i.itemName, i.sourceId])).toEqual([
      ['ACCESS_PROFILE', 'ap-1', 'Datacenter Access', 'badges'],
      ['ACCESS_PROFILE', 'ap-2', 'Operations Team', 'directory'],
      ['ENTITLEMENT', VPN, 'vpn', 'directory'],
    ])
    expect(items.every((i) => i.revocable && i.assignmentIds.length === 0)).toBe(true)
    expect(items[0]?.reasons).toEqual([
      {
        kind: 'ROLE',
        id: 'r-1',
        name: 'Operations',
        detail: 'members by department EQUALS "Operations"; 3 identities hold it',
      },
    ])
  })

  it('says when a role is only assigned, and counts one member as one', () => {
    const [item] = compositionItems(
      { id: 'r', name: 'R', accessProfileIds: ['ap-2'], entitlements: [], membership: undefined, members: 1 },
      AP,
    )
    expect(item?.reasons[0]?.detail).toBe('assigned only; 1 identity holds it')
  })
})

describe('roleWithout', () => {
  const raw = {
    name: 'Operations',
    description: 'kept',
    accessProfiles: ['Datacenter Access', { type: 'ACCESS_PROFILE', id: 'ap-2' }, 'Unknown'],
    entitlements: [
      { source: 'Directory', value: 'vpn' },
      { source: 'Directory', value: 'wiki' },
    ],
  }
  const resolved = {
    accessProfileIds: ['ap-1', 'ap-2', undefined],
    entitlementKeys: [VPN, entitlementKey('directory', 'groups', 'wiki')],
  }

  it('drops every entry that resolves to revoked access, leaving the rest as written', () => {
    const { role, removed } = roleWithout(raw, resolved, {
      accessProfileIds: new Set(['ap-2']),
      entitlementKeys: new Set([VPN]),
    })
    expect(role).toEqual({
      name: 'Operations',
      description: 'kept',
      accessProfiles: ['Datacenter Access', 'Unknown'],
      entitlements: [{ source: 'Directory', value: 'wiki' }],
    })
    expect([...removed].sort()).toEqual(['ap-2', VPN].sort())
  })

  it('finds nothing to remove when the access is no longer in the role', () => {
    const { role, removed } = roleWithout(
      { name: 'Empty' },
      { accessProfileIds: [], entitlementKeys: [] },
      {
        accessProfileIds: new Set(['ap-2']),
        entitlementKeys: new Set(),
      },
    )
    expect(role).toEqual({ name: 'Empty' })
    expect(removed.size).toBe(0)
  })
})
