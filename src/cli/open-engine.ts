import type { WorkspaceConfig } from '../domain/config/workspace-config.js'
import type { EngineContext, Progress } from '../engine/engine-context.js'
import { loadWorkspace } from '../engine/workspace/load-workspace.js'
import { openStore, type Store } from '../store/open-store.js'

export interface OpenEngine extends EngineContext {
  readonly store: Store
  close(): Promise<void>
}

/** Loads the workspace and opens its store: the embedded database, or DATABASE_URL's server. */
export async function openEngine(workspace: string, progress?: Progress): Promise<OpenEngine> {
  const config: WorkspaceConfig = await loadWorkspace(workspace)
  const store = await openStore({ databaseUrl: process.env['DATABASE_URL'], workspaceDir: config.dir })
  return {
    config,
    db: store.db,
    store,
    now: () => new Date(),
    ...(progress ? { progress } : {}),
    close: () => store.close(),
  }
}

/** Opens, runs, and always closes (the embedded database must be closed to release its lock). */
export async function withEngine<T>(
  workspace: string,
  fn: (engine: OpenEngine) => Promise<T>,
  progress?: Progress,
): Promise<T> {
  const engine = await openEngine(workspace, progress)
  try {
    return await fn(engine)
  } finally {
    await engine.close()
  }
}
