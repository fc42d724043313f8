import { builtInConnectors } from '../src/connectors/built-in-connectors.js'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { EngineContext } from '../src/engine/engine-context.js'
import { writeDemoWorkspace } from '../src/demo/demo-workspace.js'
import { loadWorkspace } from '../src/engine/workspace/load-workspace.js'
import { newId } from '../src/domain/new-id.js'
import type { Store } from '../src/store/open-store.js'
import { openBenchStore } from './bench-workspace.js'
import { analyze } from '../src/store/db.js'
import { insertActivities } from '../src/store/activities.js'
import { ensureSource } from '../src/store/sources.js'

/** A direct source on the memory connector, for the execution benchmarks. */
export function targetSource(name: string, concurrency: number, connectorAttributes = '{}'): string {
  return `name: ${name}
owner: { type: IDENTITY, name: james.wilson }
connectionType: direct
connector: memory
features: [PROVISIONING, ENABLE]
concurrency: ${concurrency}
connectorAttributes: ${connectorAttributes}
schemas:
  - identityAttribute: uid
    displayAttribute: uid
    attributes:
      - { name: uid }
      - { name: mail }
      - { name: groups, isMulti: true, isEntitlement: true }
`
}

/** The demo workspace plus target sources, on an embedded store (or a server, with `databaseUrl`); closing the store removes it. */
export async function executeWorkspace(
  sources: readonly { name: string; concurrency: number; connectorAttributes?: string }[],
  databaseUrl?: string,
): Promise<{ dir: string; store: Store; ctx: EngineContext }> {
  const dir = mkdtempSync(join(tmpdir(), 'provisio-bench-'))
  await writeDemoWorkspace(dir)
  for (const s of sources) {
    writeFileSync(
      join(dir, `sources/${s.name.toLowerCase()}.yaml`),
      targetSource(s.name, s.concurrency, s.connectorAttributes),
    )
  }
  const config = await loadWorkspace(dir)
  const store = await openBenchStore(dir, databaseUrl)
  return { dir, store, ctx: { config, db: store.db, connectors: builtInConnectors(), now: () => new Date() } }
}

/** The 3 items of a bench account create: two Sets and a group Add. */
export function createItems(uid: string): { operation: 'Set' | 'Add'; attribute: string; value: string }[] {
  return [
    { operation: 'Set', attribute: 'uid', value: uid },
    { operation: 'Set', attribute: 'mail', value: `${uid}@example.com` },
    { operation: 'Add', attribute: 'groups', value: 'all-staff' },
  ]
}

/** `count` account creates of 3 items each (two Sets and a group Add) on a source, as apply writes them. */
export async function insertCreates(
  ctx: EngineContext,
  sourceName: string,
  count: number,
  prefix = 'u',
): Promise<string[]> {
  const sourceId = await ensureSource(ctx.db, sourceName)
  const ids: string[] = []
  for (let start = 0; start < count; start += 5000) {
    const rows = Array.from({ length: Math.min(5000, count - start) }, (_, k) => {
      const uid = `${prefix}${start + k}`
      return {
        identityId: newId(),
        sourceId,
        nativeIdentity: uid,
        operation: 'Create' as const,
        items: createItems(uid),
        reasons: [{ kind: 'ROLE' as const, name: 'Bench' }],
        type: 'ROLE' as const,
      }
    })
    ids.push(...(await insertActivities(ctx.db, rows)))
  }
  // As apply does after writing many requests: the executors' queries need the statistics.
  await analyze(ctx.db, 'activities')
  return ids
}
