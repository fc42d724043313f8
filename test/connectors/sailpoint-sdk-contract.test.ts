import { join } from 'node:path'
import { describe } from 'vitest'
import { SailPointSdkConnector } from '../../src/connectors/sailpoint-sdk/sailpoint-sdk-connector.js'
import { sailpointSdkSettings } from '../../src/connectors/sailpoint-sdk/sailpoint-sdk-settings.js'
import { bundleSdkConnector } from '../support/bundle-sdk-connector.js'
import {
  connectorContract,
  type ContractSubject,
} from '../../src/connectors/contract/connector-contract-suite.js'
import { startRestTarget } from '../support/rest-target-server.js'

const FIXTURES = join(import.meta.dirname, '../fixtures/sdk-connectors')
const TOKEN = 'contract-token'

/** The rest-users connector against a fresh REST target; `stop` takes the target down, so fetch is refused. */
async function restUsers(module: string): Promise<ContractSubject> {
  const server = await startRestTarget({ token: TOKEN, groups: ['staff', 'admins'] })
  const settings = sailpointSdkSettings(
    'REST Users',
    { module, config: { baseUrl: server.url, token: '${env:TEST_REST_TOKEN}' } },
    FIXTURES,
  )
  return {
    connector: new SailPointSdkConnector(settings, { env: { TEST_REST_TOKEN: TOKEN } }),
    stop: server.stop,
    cleanup: server.stop,
    groups: { attribute: 'groups', values: ['staff', 'admins'] },
  }
}

describe('SailPoint SDK connectors hosted unmodified', () => {
  // The package as built: `main` of its package.json, the SDK resolved from node_modules.
  connectorContract('sailpoint-sdk: plain build', () => restUsers('rest-users'))
  // As SailPoint ships it: one ncc bundle in a folder of its own, carrying its own copy of the SDK.
  connectorContract('sailpoint-sdk: ncc bundle', async () =>
    restUsers(await bundleSdkConnector(join(FIXTURES, 'rest-users'))),
  )
})
