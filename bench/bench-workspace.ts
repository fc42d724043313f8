import { builtInConnectors } from '../src/connectors/built-in-connectors.js'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { WorkspaceConfig } from '../src/domain/config/workspace-config.js'
import type { EngineContext } from '../src/engine/engine-context.js'
import { directoryCsv, generatePeople, hrCsv, type Person } from '../src/demo/generate-people.js'
import { writeDemoWorkspace } from '../src/demo/demo-workspace.js'
import { loadWorkspace } from '../src/engine/workspace/load-workspace.js'
import { openStore, type Store } from '../src/store/open-store.js'

const DIRECTORY_SOURCE = `name: Directory
owner: { type: IDENTITY, name: james.wilson }
connectionType: file
connector: delimited-file
deleteThreshold: 10
connectorAttributes: { file: data/directory.csv, multiValueDelimiter: "|" }
schemas:
  - identityAttribute: username
    displayAttribute: displayName
    attributes:
      - { name: username }
      - { name: employeeNumber }
      - { name: displayName }
      - { name: mail }
      - { name: givenName }
      - { name: sn }
      - { name: department }
      - { name: title }
      - { name: enabled, type: BOOLEAN }
      - { name: groups, isMulti: true, isEntitlement: true }
accountCorrelationConfig:
  attributeAssignments:
    - { property: employeeNumber, value: employeeNumber }
`

/**
 * The demo workspace with `size` people in HR and a 10-column Directory source, on an embedded store on
 * disk (or the database of `databaseUrl`), in a temporary folder that closing the store removes.
 * `prepare` writes a benchmark's own files into the folder (and may rewrite the generated ones) before
 * the workspace is loaded.
 */
export async function benchWorkspace(
  size: number,
  databaseUrl?: string,
  prepare?: (dir: string, people: readonly Person[]) => void,
): Promise<{ config: WorkspaceConfig; store: Store; ctx: EngineContext }> {
  const dir = mkdtempSync(join(tmpdir(), 'provisio-bench-'))
  await writeDemoWorkspace(dir)
  const people = generatePeople(size)
  writeFileSync(join(dir, 'data/hr.csv'), hrCsv(people))
  writeFileSync(join(dir, 'data/directory.csv'), directoryCsv(people))
  writeFileSync(join(dir, 'sources/directory.yaml'), DIRECTORY_SOURCE)
  withoutDemoDirectory(dir)
  prepare?.(dir, people)
  const config = await loadWorkspace(dir)
  const store = await openBenchStore(dir, databaseUrl)
  return {
    config,
    store,
    ctx: { config, db: store.db, connectors: builtInConnectors(), now: () => new Date() },
  }
}

/**
 * The store of a benchmark's temporary workspace `dir` (embedded, or on a server with `databaseUrl`).
 * A benchmark's workspace and database are gigabytes at 100,000: closing the store removes the folder.
 */
export async function openBenchStore(dir: string, databaseUrl?: string): Promise<Store> {
  const opened = await openStore({ workspaceDir: dir, ...(databaseUrl ? { databaseUrl } : {}) })
  return {
    ...opened,
    close: async () => {
      await opened.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * The benchmarks measure their own sources: the demo's in-memory Corporate Directory (and what refers to
 * it) is taken out, so every benchmark's workspace is what its description says.
 */
function withoutDemoDirectory(dir: string): void {
  for (const f of [
    'sources/corporate-directory.yaml',
    'access-profiles/directory-users.yaml',
    'access-profiles/operations-team.yaml',
  ]) {
    rmSync(join(dir, f))
  }
  const edit = (file: string, from: string, to: string): void => {
    const path = join(dir, file)
    writeFileSync(path, readFileSync(path, 'utf8').replaceAll(from, to))
  }
  edit('roles/all-employees.yaml', '  - { type: ACCESS_PROFILE, name: Directory Users }\n', '')
  edit('roles/operations-datacenter.yaml', '  - Operations Team\n', '')
  edit('identity-profiles/employees.yaml', '[Badge System, Corporate Directory]', '[Badge System]')
}
