import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { ConfigFolderName } from '../../domain/config/config-kinds.js'
import type { WorkspaceConfig } from '../../domain/config/workspace-config.js'
import { ConflictError } from '../../domain/errors.js'
import type { EngineContext } from '../engine-context.js'
import { SETTINGS_FILE, type LoadedWorkspace } from '../workspace/load-workspace.js'
import type { PublishedVersion } from './publish-config.js'
import {
  ConfigRepository,
  type ConfigChange,
  type RawObject,
  type RemovedObject,
  type WrittenObject,
} from './config-repository.js'

/** An engine that can be switched to a new configuration (app/open-engine.ts's OpenEngine). */
export interface ReconfigurableEngine extends EngineContext {
  reconfigure(config: WorkspaceConfig, options?: { readonly author?: string }): Promise<PublishedVersion>
}

/** Whether this engine can switch configuration (an open engine can; a bare context, such as a test's, cannot). */
export function isReconfigurable(ctx: EngineContext): ctx is ReconfigurableEngine {
  return typeof (ctx as Partial<ReconfigurableEngine>).reconfigure === 'function'
}

/** A change written to the workspace and the version it was published as. */
export type Changed<T> = T & { readonly version: PublishedVersion }

// One change at a time per workspace: each is validated against the files as the previous one left them,
// and versions are published in the order the files were written.
const queues = new Map<string, Promise<unknown>>()

function serialised<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const before = queues.get(dir) ?? Promise.resolve()
  const run = before.then(work, work)
  const settled = run.catch(() => undefined)
  queues.set(dir, settled)
  void settled.then(() => {
    if (queues.get(dir) === settled) queues.delete(dir)
  })
  return run
}

/**
 * Writes one configuration object through the workspace's repository (validated with `provisio
 * validate`'s rules, nothing written when it fails), then publishes the new configuration and makes the
 * engine run with it.
 */
export function writeConfigObject(
  engine: ReconfigurableEngine,
  folder: ConfigFolderName,
  object: Readonly<Record<string, unknown>>,
  author?: string,
): Promise<Changed<WrittenObject>> {
  const repo = repositoryOf(engine)
  return serialised(repo.dir, async () => {
    const written = await repo.write(folder, object)
    const version = await engine.reconfigure(written.workspace.config, author ? { author } : {})
    return { ...written, version }
  })
}

/** Removes one configuration object (ConfigRepository.remove), then publishes and runs as writeConfigObject. */
export function removeConfigObject(
  engine: ReconfigurableEngine,
  folder: ConfigFolderName,
  id: string,
  author?: string,
): Promise<Changed<RemovedObject>> {
  const repo = repositoryOf(engine)
  return serialised(repo.dir, async () => {
    const removed = await repo.remove(folder, id)
    const version = await engine.reconfigure(removed.workspace.config, author ? { author } : {})
    return { ...removed, version }
  })
}

/**
 * Sets (or, undefined, removes) one top-level section of `provisio.yaml` (ConfigRepository.setSettingsSection:
 * only that section's text changes), validated with validate's rules, then publishes and runs as
 * writeConfigObject.
 */
export function writeSettingsSection(
  engine: ReconfigurableEngine,
  key: string,
  value: Readonly<Record<string, unknown>> | undefined,
  author?: string,
): Promise<Changed<{ readonly workspace: LoadedWorkspace }>> {
  const repo = repositoryOf(engine)
  return serialised(repo.dir, async () => {
    const workspace = await repo.setSettingsSection(key, value)
    const version = await engine.reconfigure(workspace.config, author ? { author } : {})
    return { workspace, version }
  })
}

/** An object as its file says it, for a change that keeps what it does not touch; undefined when none. */
export function rawConfigObject(
  engine: EngineContext,
  folder: ConfigFolderName,
  id: string,
): Promise<RawObject | undefined> {
  return repositoryOf(engine).raw(folder, id)
}

/** The configuration as it would be after these changes; nothing is written or published. */
export async function candidateConfig(
  engine: EngineContext,
  changes: readonly ConfigChange[],
): Promise<WorkspaceConfig> {
  return (await repositoryOf(engine).preview(changes)).config
}

/**
 * The repository of the workspace folder the engine runs from. A process running from the published
 * configuration (a worker given only the database) has no folder to write to.
 */
function repositoryOf(engine: EngineContext): ConfigRepository {
  if (!existsSync(join(engine.config.dir, SETTINGS_FILE))) {
    throw new ConflictError(
      `this process runs from the published configuration, without its workspace folder (${engine.config.dir}): ` +
        'change the configuration where the workspace folder is (provisio serve in that folder)',
    )
  }
  return new ConfigRepository(engine.config.dir)
}
