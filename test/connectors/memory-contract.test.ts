import { createMemoryConnector } from '../../src/connectors/memory/memory-connector.js'
import { connectorContract } from '../../src/connectors/contract/connector-contract-suite.js'

connectorContract('memory', async () => {
  const connector = createMemoryConnector({ idAttribute: 'uid', entitlementAttributes: ['groups'] })
  return {
    connector,
    stop: async () => connector.setBreakMode('*', 'NETWORK'),
    groups: { attribute: 'groups', values: ['cn=staff', 'cn=admins'] },
  }
})
