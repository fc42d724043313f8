import type { AttributeChange, Attributes, Connector } from './connector.js'

/**
 * A connector whose module is loaded on its first call, not when the registry is: a connector that pulls
 * in a heavy client library (the PostgreSQL driver) costs nothing to the commands and sources that never
 * call it. `load` runs once; its failure is the failure of that call (and of every later one).
 */
export function lazyConnector(load: () => Promise<Connector>): Connector {
  let loaded: Promise<Connector> | undefined
  const connector = (): Promise<Connector> => (loaded ??= load())
  return {
    testConnection: async () => (await connector()).testConnection(),
    listAccounts: () => iterate(async () => (await connector()).listAccounts()),
    readAccount: async (id: string) => (await connector()).readAccount(id),
    createAccount: async (id: string | null, attributes: Attributes) =>
      (await connector()).createAccount(id, attributes),
    updateAccount: async (id: string, changes: readonly AttributeChange[]) =>
      (await connector()).updateAccount(id, changes),
    deleteAccount: async (id: string) => (await connector()).deleteAccount(id),
    enableAccount: async (id: string) => (await connector()).enableAccount(id),
    disableAccount: async (id: string) => (await connector()).disableAccount(id),
    listEntitlements: () => iterate(async () => (await connector()).listEntitlements()),
    // Never called, never loaded: nothing to close.
    close: async () => {
      if (loaded !== undefined) await (await loaded).close()
    },
  }
}

async function* iterate<T>(items: () => Promise<AsyncIterable<T>>): AsyncIterable<T> {
  yield* await items()
}
