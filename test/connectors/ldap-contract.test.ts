import { describe } from 'vitest'
import { LdapConnector, ldapSettings } from '../../src/connectors/ldap/ldap-connector.js'
import { connectorContract } from '../support/connector-contract.js'
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
