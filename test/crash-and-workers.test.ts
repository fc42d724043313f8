import type { ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { createMemoryConnector } from '../src/connectors/memory/memory-connector.js'
import { writeDemoWorkspace } from '../src/demo/demo-workspace.js'
import { loadWorkspace } from '../src/engine/workspace/load-workspace.js'
import { countByStatus } from '../src/store/activities.js'
import { openStore } from '../src/store/open-store.js'
import { insertCreates, targetSource } from '../bench/execute-workspace.js'
import { createServerDatabase } from './support/databases.js'
import { spawnCli } from './support/run-cli.js'
import { tempDir } from './support/temp-workspace.js'
import { builtInConnectors } from '../src/connectors/built-in-connectors.js'

/** A workspace with a directly provisioned in-memory "Target" whose state file other processes share. */
async function workspace(concurrency: number, latencyMs: number): Promise<{ dir: string; journal: string }> {
  const dir = join(tempDir(), 'ws')
  await writeDemoWorkspace(dir)
  writeFileSync(
    join(dir, 'sources/target.yaml'),
    targetSource(
      'Target',
      concurrency,
      `{ file: systems/target.json, idAttribute: uid, latencyMs: ${latencyMs} }`,
    ),
  )
  return { dir, journal: join(dir, 'systems/target.json') }
}

/** How many operations the system has applied so far, from its journal (one line each, after a header). */
function applied(journal: string): number {
  if (!existsSync(journal)) return 0
  return readFileSync(journal, 'utf8')
    .split('\n')
    .filter((l) => l.includes('"create"')).length
}

async function until(what: string, test: () => boolean | Promise<boolean>, seconds: number): Promise<void> {
  const end = Date.now() + seconds * 1000
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(100)
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)))
}

/** Each create applied exactly once: the system's log has one create per account, and all of them. */
function expectEachCreatedOnce(journal: string, count: number): void {
  const log = createMemoryConnector({ file: journal, idAttribute: 'uid' }).operationLog()
  const creates = log.filter((e) => e.op === 'create').map((e) => e.nativeIdentity)
  expect(creates).toHaveLength(count)
  expect(new Set(creates).size).toBe(count)
}

describe('crash safety and scale-out', () => {
  it('a process killed in the middle of 10,000 requests loses none and repeats none', async () => {
    const { dir, journal } = await workspace(32, 0)
    const store = await openStore({ workspaceDir: dir })
    await insertCreates(
      {
        config: await loadWorkspace(dir),
        db: store.db,
        connectors: builtInConnectors(),
        now: () => new Date(),
      },
      'Target',
      10_000,
    )
    await store.close()

    const first = spawnCli(['-w', dir, 'execute'])
    await until('the first process to be under way', () => applied(journal) >= 1500, 120)
    first.kill('SIGKILL')
    await exited(first)
    const before = applied(journal)
    expect(before).toBeLessThan(10_000)

    const second = spawnCli(['-w', dir, 'execute'])
    let out = ''
    second.stdout?.on('data', (d: Buffer) => (out += d.toString()))
    expect(await exited(second)).toBe(0)
    expect(out).toMatch(/finished/)

    const reopened = await openStore({ workspaceDir: dir })
    expect(await countByStatus(reopened.db)).toEqual({ FINISHED: 10_000 })
    await reopened.close()
    expectEachCreatedOnce(journal, 10_000)
  }, 180_000)

  it.runIf(process.env['PROVISIO_TEST_DATABASE_URL'])(
    'three workers on one PostgreSQL share the work; one killed mid-run loses nothing',
    async () => {
      const { dir, journal } = await workspace(16, 5)
      const url = await createServerDatabase()
      const store = await openStore({ databaseUrl: url })
      await insertCreates(
        {
          config: await loadWorkspace(dir),
          db: store.db,
          connectors: builtInConnectors(),
          now: () => new Date(),
        },
        'Target',
        3000,
      )
      const env = { DATABASE_URL: url }
      const workers = [0, 1, 2].map(() =>
        spawnCli(['-w', dir, 'worker', '--lease', '3', '--poll', '0.5'], env),
      )
      const logs = workers.map(() => '')
      workers.forEach((w, i) => w.stdout?.on('data', (d: Buffer) => (logs[i] += d.toString())))
      try {
        await until('the workers to be under way', () => applied(journal) >= 600, 120)
        workers[0]?.kill('SIGKILL')
        await exited(workers[0] as ChildProcess)
        await until(
          'every request to finish',
          async () => (await countByStatus(store.db))['FINISHED'] === 3000,
          120,
        )
      } finally {
        for (const w of workers.slice(1)) w.kill('SIGTERM')
        await Promise.all(workers.slice(1).map(exited))
      }
      expect(await countByStatus(store.db)).toEqual({ FINISHED: 3000 })
      await store.close()
      expectEachCreatedOnce(journal, 3000)
      // The survivors both did part of the work.
      expect(logs.slice(1).filter((l) => /provisioned "Target"/.test(l)).length).toBe(2)
    },
    240_000,
  )
})
