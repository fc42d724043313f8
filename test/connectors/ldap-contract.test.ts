import { describe, expect, it } from 'vitest'
import { LdapConnector, ldapSettings } from '../../src/connectors/ldap/ldap-connector.js'
import { connectorContract } from '../../src/connectors/contract/connector-contract-suite.js'
import {
  addGroups,
  hasSlapd,
  LDAP_ADMIN,
  LDAP_BASE,
  LDAP_PASSWORD,
  startSlapd,
} from '../../bench/slapd-server.js'

describe.runIf(hasSlapd)('LDAP against a real OpenLDAP slapd', () => {
  connectorContract('ldap', async () => {
    const server = await startSlapd()
    const [staff, admins] = (await addGroups(server.url, ['staff', 'admins'])) as [string, string]
    const settings = ldapSettings('LDAP', {
      url: server.url,
      bindDn: LDAP_ADMIN,
      password: '${env:TEST_LDAP_PASSWORD}',
      accountBase: `ou=people,${LDAP_BASE}`,
      groupBase: `ou=groups,${LDAP_BASE}`,
    })
    return {
      connector: new LdapConnector(settings, { TEST_LDAP_PASSWORD: LDAP_PASSWORD }),
      stop: server.stop,
      cleanup: server.stop,
      groups: { attribute: 'groups', values: [staff, admins] },
    }
  })
})

describe.runIf(hasSlapd)('LDAP group membership under load', () => {
  it('many accounts joining one group at once all become members, a member added twice included', async () => {
    const server = await startSlapd()
    const connector = new LdapConnector(
      ldapSettings('LDAP', {
        url: server.url,
        bindDn: LDAP_ADMIN,
        password: '${env:TEST_LDAP_PASSWORD}',
        accountBase: `ou=people,${LDAP_BASE}`,
        groupBase: `ou=groups,${LDAP_BASE}`,
      }),
      { TEST_LDAP_PASSWORD: LDAP_PASSWORD },
    )
    try {
      const [staff] = (await addGroups(server.url, ['staff'])) as [string]
      await connector.createAccount('early', { uid: 'early', groups: [staff] })
      await Promise.all([
        ...Array.from({ length: 100 }, (_, i) =>
          connector.createAccount(`user${i}`, { uid: `user${i}`, groups: [staff] }),
        ),
        // Already a member: the batch it lands in fails, and every value then goes alone.
        connector.updateAccount('early', [{ op: 'Add', attribute: 'groups', value: staff }]),
      ])
      const members = new Set<string>()
      for await (const a of connector.listAccounts()) {
        if ((a.attributes['groups'] as string[]).includes(staff)) members.add(a.nativeIdentity)
      }
      expect(members.size).toBe(101)
    } finally {
      await connector.close()
      await server.stop()
    }
  })
})
