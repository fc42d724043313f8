import { cpSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { builtInConnectors } from '../../src/connectors/built-in-connectors.js'
import type { WorkspaceConfig } from '../../src/domain/config/workspace-config.js'
import type { EngineContext } from '../../src/engine/engine-context.js'
import { writeDemoWorkspace } from '../../src/demo/demo-workspace.js'
import { loadWorkspace } from '../../src/engine/workspace/load-workspace.js'
import { openStore, type Store } from '../../src/store/open-store.js'

export function tempDir(prefix = 'provisio-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/** A fresh copy of the demo workspace in a temporary folder. */
export async function demoWorkspace(): Promise<{ dir: string; config: WorkspaceConfig }> {
  const dir = tempDir()
  await writeDemoWorkspace(dir)
  return { dir, config: await loadWorkspace(dir) }
}

/** An engine context over a store with the built-in connectors, with a fixed clock unless one is given. */
export function engineContext(config: WorkspaceConfig, store: Store, now = () => new Date()): EngineContext {
  return { config, db: store.db, connectors: builtInConnectors(), now }
}

let emptyDatabase: Promise<string> | undefined

/**
 * Puts an empty embedded database (created and migrated, no data) in the workspace `dir`, as the first
 * command to open it would. Creating a database (PGlite's initdb) costs several seconds of CPU: a test file
 * pays it once, here, and each workspace gets a copy of that folder. test/cli-startup.test.ts still lets
 * the CLI create its database.
 */
export async function withEmptyDatabase(dir: string): Promise<void> {
  emptyDatabase ??= (async () => {
    const made = tempDir('provisio-empty-db-')
    await (await openStore({ workspaceDir: made })).close()
    return made
  })()
  cpSync(join(await emptyDatabase, '.provisio'), join(dir, '.provisio'), { recursive: true })
}
