import { buildApi, type Api, type ApiOptions } from '../../src/api/build-api.js'
import { engineOver, type OpenEngine } from '../../src/app/open-engine.js'
import { builtInConnectors } from '../../src/connectors/built-in-connectors.js'
import type { WorkspaceConfig } from '../../src/domain/config/workspace-config.js'
import { createApiClient } from '../../src/engine/auth/credentials.js'
import { issueToken } from '../../src/engine/auth/tokens.js'
import type { Store } from '../../src/store/open-store.js'

/** The API over a workspace and a store the test opened, built but not listening (use `inject`). */
export async function testApi(
  config: WorkspaceConfig,
  store: Store,
  options: ApiOptions & { now?: () => Date } = {},
): Promise<{ api: Api; engine: OpenEngine }> {
  const engine = engineOver(config, store, builtInConnectors(), undefined, options.now)
  const api = await buildApi({ engine }, { log: () => undefined, ...options })
  return { api, engine }
}

/** A bearer header for a new API client with these capabilities. */
export async function clientBearer(
  engine: OpenEngine,
  capabilities: readonly string[],
  name = `client ${capabilities.join(' ') || 'none'} ${Math.random()}`,
): Promise<{ authorization: string; clientId: string }> {
  const client = await createApiClient(engine, { name, capabilities })
  const token = await issueToken(engine, client, {})
  return { authorization: `Bearer ${token.access_token}`, clientId: client.clientId }
}
