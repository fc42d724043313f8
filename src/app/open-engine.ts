import { AsyncLocalStorage } from 'node:async_hooks'
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { builtInConnectors } from '../connectors/built-in-connectors.js'
import type { ConnectorRegistry } from '../connectors/connector-registry.js'
import { DatabaseUnavailableError, InputError } from '../domain/errors.js'
import { classifyError } from '../domain/execution/classify-error.js'
import type { WorkspaceConfig } from '../domain/config/workspace-config.js'
import type { EngineContext, Progress } from '../engine/engine-context.js'
import { loadWorkspace, SETTINGS_FILE } from '../engine/workspace/load-workspace.js'
import { loadPublishedConfig, publishConfig, type PublishedVersion } from '../engine/config/publish-config.js'
import { openStore, type Store } from '../store/open-store.js'

export interface OpenEngine extends EngineContext {
  readonly store: Store
  /**
   * Publishes a configuration (written through the configuration repository) and runs with it from now
   * on: every holder of this engine — the API, the executor, the schedules' runs — reads the new one.
   */
  reconfigure(config: WorkspaceConfig, options?: { readonly author?: string }): Promise<PublishedVersion>
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
  const connectors = builtInConnectors()
  const [loaded, opened] = await Promise.allSettled([loadWorkspace(dir, { connectors }), openStoreOf(dir)])
  if (loaded.status === 'rejected') {
    if (opened.status === 'fulfilled') await opened.value.close()
    throw loaded.reason
  }
  if (opened.status === 'rejected') throw opened.reason
  const engine = engineOver(loaded.value, opened.value, connectors, progress)
  // The configuration this process runs with becomes a published version (config/publish-config.ts).
  await publishConfig(engine.db, engine.config).catch(async (err: unknown) => {
    await engine.close()
    throw err
  })
  return engine
}

/** DATABASE_URL's server and the newest configuration published to it: a process without the workspace. */
export async function openPublishedEngine(dir: string, progress?: Progress): Promise<OpenEngine> {
  if (!process.env['DATABASE_URL']) {
    throw new InputError('running from the published configuration needs DATABASE_URL (a PostgreSQL server)')
  }
  const store = await openStoreOf(resolve(dir))
  const published = await loadPublishedConfig(store.db, resolve(dir)).catch(async (err: unknown) => {
    await store.close()
    throw err
  })
  return engineOver(published.config, store, builtInConnectors(), progress)
}

/** Opens the store of a workspace already loaded. */
export async function openEngineFor(config: WorkspaceConfig, progress?: Progress): Promise<OpenEngine> {
  return engineOver(config, await openStoreOf(config.dir), builtInConnectors(), progress)
}

/** DATABASE_URL's server, else the workspace's embedded database; a server's failure in an operator's words. */
async function openStoreOf(dir: string): Promise<Store> {
  const databaseUrl = process.env['DATABASE_URL'] || undefined
  if (databaseUrl !== undefined && !/^postgres(ql)?:$/.test(urlProtocol(databaseUrl))) {
    throw new InputError('DATABASE_URL must be a postgres://user@host:port/database URL')
  }
  return openStore({ databaseUrl, workspaceDir: dir }).catch((err: unknown) => {
    throw databaseUrl ? serverFailure(databaseUrl, err) : err
  })
}

/**
 * The engine over a store already open: what `openEngine` returns, for a caller (a test) that opened the
 * store itself. `now` is the clock every use case reads.
 */
export function engineOver(
  config: WorkspaceConfig,
  store: Store,
  connectors: ConnectorRegistry,
  progress?: Progress,
  now: () => Date = () => new Date(),
): OpenEngine {
  let current = config
  return {
    get config() {
      return current
    },
    reconfigure: async (next, options = {}) => {
      const published = await publishConfig(store.db, next, options)
      current = next
      return published
    },
    db: store.db,
    store,
    connectors,
    now,
    ...(progress ? { progress } : {}),
    close: () => store.close(),
  }
}

const lent = new AsyncLocalStorage<OpenEngine>()

/**
 * Runs `fn` with `engine` lent to every `withEngine` inside it: what `serve` does to run a command handed to
 * it by the CLI of another process, on its own open engine (the embedded database has one owner).
 */
export function withLentEngine<T>(engine: OpenEngine, fn: () => Promise<T>): Promise<T> {
  return lent.run(engine, fn)
}

/**
 * Opens, runs, and always closes (the embedded database must be closed to release its lock). Inside
 * `withLentEngine`, runs on the lent engine and leaves it open.
 */
export async function withEngine<T>(
  workspace: string,
  fn: (engine: OpenEngine) => Promise<T>,
  progress?: Progress,
): Promise<T> {
  const borrowed = lent.getStore()
  if (borrowed !== undefined) return fn(borrowed)
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
