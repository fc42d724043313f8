import type { Connector } from './connector.js'

/**
 * One connector instance shared by several runs: every run closes the connector it got, and this one stays
 * open for the next. For a test or a benchmark that substitutes an instance (`registry.with(type, () =>
 * keptOpen(instance))`) and reads its state afterwards; the owner closes the instance itself.
 */
export function keptOpen(connector: Connector): Connector {
  return {
    testConnection: () => connector.testConnection(),
    listAccounts: () => connector.listAccounts(),
    readAccount: (id) => connector.readAccount(id),
    createAccount: (id, attributes) => connector.createAccount(id, attributes),
    updateAccount: (id, changes) => connector.updateAccount(id, changes),
    deleteAccount: (id) => connector.deleteAccount(id),
    enableAccount: (id) => connector.enableAccount(id),
    disableAccount: (id) => connector.disableAccount(id),
    listEntitlements: () => connector.listEntitlements(),
    close: async () => {},
  }
}
