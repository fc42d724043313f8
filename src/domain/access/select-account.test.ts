import { describe, expect, it } from 'vitest'
import { compileProvisioningCriteria, type ProvisioningCriteria } from './provisioning-criteria.js'
import { selectAccount, type AccountSelection } from './select-account.js'

const user = { nativeIdentity: 'jdoe', attributes: { type: 'user' } }
const admin = { nativeIdentity: 'jdoe-adm', attributes: { type: 'admin' } }
const admin2 = { nativeIdentity: 'jdoe-adm2', attributes: { type: 'admin' } }
type Acc = typeof user

const isAdmin: ProvisioningCriteria = { operation: 'EQUALS', attribute: 'type', value: 'admin' }
const isService: ProvisioningCriteria = { operation: 'EQUALS', attribute: 'type', value: 'service' }

describe('selectAccount', () => {
  it.each<[string, ProvisioningCriteria | undefined, Acc[], AccountSelection<Acc>]>([
    ['no account → none', isAdmin, [], { none: true }],
    ['no account, no criteria → none', undefined, [], { none: true }],
    ['one account → it, without criteria', undefined, [user], { account: user }],
    ['one account → it, even when the criteria do not match it', isAdmin, [user], { account: user }],
    [
      'several, no criteria → ambiguous (never a guess)',
      undefined,
      [user, admin],
      { ambiguous: [user, admin] },
    ],
    ['several, criteria pick one → it', isAdmin, [user, admin], { account: admin }],
    ['several, criteria match none → none', isService, [user, admin], { none: true }],
    [
      'several, criteria match several → ambiguous among those',
      isAdmin,
      [user, admin, admin2],
      { ambiguous: [admin, admin2] },
    ],
  ])('%s', (_name, criteria, accounts, expected) => {
    expect(selectAccount(criteria, accounts)).toEqual(expected)
  })

  it('accepts compiled criteria, to compile once for many identities', () => {
    expect(selectAccount(compileProvisioningCriteria(isAdmin), [user, admin])).toEqual({ account: admin })
  })

  it('rejects invalid criteria rather than guessing', () => {
    const bad = { operation: 'EQUALS' } as unknown as ProvisioningCriteria
    expect(() => selectAccount(bad, [user, admin])).toThrow('invalid provisioning criteria')
  })
})
