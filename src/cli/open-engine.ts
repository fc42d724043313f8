import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { WorkspaceConfig } from '../domain/config/workspace-config.js'
import type { EngineContext, Progress } from '../engine/engine-context.js'
import { loadWorkspace, SETTINGS_FILE } from '../engine/workspace/load-workspace.js'
import { openStore, type Store } from '../store/open-store.js'

export interface OpenEngine extends EngineContext {
  readonly store: Store
  close(): Promise<void>
}

/**
 * Loads the workspace and opens its store: the embedded database, or DATABASE_URL's server. Both at once:
 * opening the embedded database waits on its files and on compiling PostgreSQL's WebAssembly, and the
 * configuration is read and checked meanwhile. A configuration problem still comes first (and the store
 * is closed again); a folder that is not a workspace gets no database.
 */
export async function openEngine(workspace: string, progress?: Progress): Promise<OpenEngine> {
  const dir = resolve(workspace)
  if (!existsSync(join(dir, SETTINGS_FILE))) await loadWorkspace(dir)
  const [loaded, opened] = await Promise.allSettled([
    loadWorkspace(dir),
    openStore({ databaseUrl: process.env['DATABASE_URL'], workspaceDir: dir }),
  ])
  if (loaded.status === 'rejected') {
    if (opened.status === 'fulfilled') await opened.value.close()
    throw loaded.reason
  }
  if (opened.status === 'rejected') throw opened.reason
  const config: WorkspaceConfig = loaded.value
  const store = opened.value
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
