import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseUnavailableError, InputError } from '../domain/errors.js'
import { classifyError } from '../domain/execution/classify-error.js'
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
  return openEngineFor(await loadWorkspace(workspace), progress)
}

/** Whether the workspace has a store yet: DATABASE_URL, or an embedded database made by an earlier run. */
export function hasStore(config: WorkspaceConfig): boolean {
  return Boolean(process.env['DATABASE_URL']) || existsSync(join(config.dir, '.provisio', 'db'))
}

/** Opens the store of a workspace already loaded. */
export async function openEngineFor(config: WorkspaceConfig, progress?: Progress): Promise<OpenEngine> {
  const databaseUrl = process.env['DATABASE_URL'] || undefined
  if (databaseUrl !== undefined && !/^postgres(ql)?:$/.test(urlProtocol(databaseUrl))) {
    throw new InputError('DATABASE_URL must be a postgres://user@host:port/database URL')
  }
  const store = await openStore({ databaseUrl, workspaceDir: config.dir }).catch((err: unknown) => {
    throw databaseUrl ? serverFailure(databaseUrl, err) : err
  })
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

/**
 * What went wrong reaching DATABASE_URL's server, in words an operator can act on: a refused login or a
 * missing database (SQLSTATE class 28, 3D000) and an unreachable server are not Provisio's bugs.
 */
function serverFailure(databaseUrl: string, err: unknown): unknown {
  const where = `the database server of DATABASE_URL (${withoutPassword(databaseUrl)})`
  const message = err instanceof Error ? err.message : String(err)
  const code = (err as { code?: unknown } | null)?.code
  if (typeof code === 'string' && (code.startsWith('28') || code === '3D000')) {
    return new DatabaseUnavailableError(`${where} refused the connection: ${message}`, { cause: err })
  }
  if (classifyError(err).kind === 'RETRYABLE') {
    return new DatabaseUnavailableError(`${where} cannot be reached: ${message}`, { cause: err })
  }
  return err
}

function withoutPassword(url: string): string {
  try {
    const u = new URL(url)
    if (u.password) u.password = '********'
    return u.toString()
  } catch {
    return '(not a URL)'
  }
}

function urlProtocol(url: string): string {
  try {
    return new URL(url).protocol
  } catch {
    return ''
  }
}
