import { describe } from 'vitest'
import { ScimConnector } from '../../src/connectors/scim/scim-connector.js'
import { scimSettings } from '../../src/connectors/scim/scim-connector-attributes.js'
import { connectorContract } from '../../src/connectors/contract/connector-contract-suite.js'
import { SCIM_TOKEN, startScimServer } from '../../bench/scim-server.js'

describe('SCIM 2.0 against a SCIMMY server', () => {
  connectorContract('scim', async () => {
    const server = await startScimServer()
    const staff = server.addGroup('staff')
    const admins = server.addGroup('admins')
    const settings = scimSettings('SCIM', {
      baseUrl: server.url,
      auth: { type: 'bearer', token: '${env:TEST_SCIM_TOKEN}' },
    })
    return {
      connector: new ScimConnector(settings, { env: { TEST_SCIM_TOKEN: SCIM_TOKEN } }),
      stop: server.stop,
      cleanup: server.stop,
      groups: { attribute: 'groups', values: [staff, admins] },
    }
  })
})
