import type { Api } from '../../src/api/build-api.js'
import type { OpenEngine } from '../../src/app/open-engine.js'
import type { WorkspaceConfig } from '../../src/domain/config/workspace-config.js'
import { applyPlan } from '../../src/engine/apply-plan.js'
import type { EngineContext } from '../../src/engine/engine-context.js'
import { executeDue } from '../../src/engine/execution/execute-due.js'
import { refreshSource } from '../../src/engine/refresh-source.js'
import type { TestDatabase } from './databases.js'
import { listening } from './official-client.js'
import { demoWorkspace } from './temp-workspace.js'
import { testApi } from './test-api.js'

/**
 * The demo as it stands once provisioned: every source aggregated and its identities processed, the plan
 * applied and executed, and the directory read back so that what was created is what the store holds.
 */
export async function provisionDemo(engine: EngineContext): Promise<void> {
  for (const s of engine.config.sources) await refreshSource(engine, s.value.name)
  await applyPlan(engine)
  await executeDue(engine)
  await refreshSource(engine, 'Corporate Directory')
}

/**
 * The provisioned demo behind a listening API on a test database, rate limit raised for tests that make
 * many calls; `adapt` changes the demo's configuration first.
 */
export async function provisionedDemoApi(
  database: TestDatabase,
  adapt: (config: WorkspaceConfig) => WorkspaceConfig = (c) => c,
): Promise<{ api: Api; engine: OpenEngine; base: string; dir: string }> {
  const ws = await demoWorkspace()
  const { api, engine } = await testApi(adapt(ws.config), await database.open(), {
    rateLimit: { max: 10_000, windowSeconds: 10 },
  })
  await provisionDemo(engine)
  return { api, engine, base: await listening(api), dir: ws.dir }
}
