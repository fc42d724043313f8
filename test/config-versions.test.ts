import type { ChildProcess } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { openEngine, openPublishedEngine } from '../src/app/open-engine.js'
import { configSnapshot } from '../src/domain/config/config-snapshot.js'
import { NotFoundError } from '../src/domain/errors.js'
import { refreshSource } from '../src/engine/refresh-source.js'
import { applyPlan } from '../src/engine/apply-plan.js'
import { configHistory, diffConfigVersions } from '../src/engine/config/config-history.js'
import { loadPublishedConfig, publishConfig } from '../src/engine/config/publish-config.js'
import { runsFromPublished } from '../src/engine/config/runs-from-published.js'
import { executeDue } from '../src/engine/execution/execute-due.js'
import { loadWorkspace } from '../src/engine/workspace/load-workspace.js'
import { listActivities } from '../src/store/activities.js'
import type { Store } from '../src/store/open-store.js'
import { createServerDatabase, databases } from './support/databases.js'
import { spawnCli } from './support/run-cli.js'
import { demoWorkspace, tempDir } from './support/temp-workspace.js'

async function until(what: string, test: () => Promise<boolean>, seconds = 120): Promise<void> {
  const end = Date.now() + seconds * 1000
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await sleep(200)
  }
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)))
}

const at = (iso: string) => ({ now: new Date(iso), env: { PROVISIO_AUTHOR: 'ada' } })

describe.each(databases)('published configuration versions on $name', (database) => {
  let store: Store | undefined
  afterEach(async () => {
    await store?.close()
    store = undefined
  })

  it('publishes a configuration once per change, lists the versions and diffs them object by object', async () => {
    const { dir, config } = await demoWorkspace()
    store = await database.open()
    const first = await publishConfig(store.db, config, at('2026-12-01T10:00:00Z'))
    expect(first).toMatchObject({ number: 1, created: true })
    expect(first.hash).toMatch(/^[0-9a-f]{64}$/)
    // The same configuration again (read again from its files) is no new version.
    expect(await publishConfig(store.db, await loadWorkspace(dir), at('2026-12-01T11:00:00Z'))).toEqual({
      ...first,
      created: false,
    })

    const file = join(dir, 'access-profiles/lobby-access.yaml')
    writeFileSync(file, readFileSync(file, 'utf8').replace('Badge access to the building lobby', 'The lobby'))
    writeFileSync(
      join(dir, 'roles/visitors.yaml'),
      'name: Visitors\nmembership: { type: IDENTITY_LIST, identities: [{ name: joan.goldwasser }] }\n',
    )
    const second = await publishConfig(store.db, await loadWorkspace(dir), at('2026-12-02T10:00:00Z'))
    expect(second).toMatchObject({ number: 2, created: true })
    // Back to the first configuration: a new version, so the newest is always the one running.
    expect(await publishConfig(store.db, config, at('2026-12-03T10:00:00Z'))).toEqual({
      number: 3,
      hash: first.hash,
      created: true,
    })

    const history = await configHistory(store.db)
    expect(history.map((v) => [v.number, v.author, v.created.toISOString(), v.hash])).toEqual([
      [3, 'ada', '2026-12-03T10:00:00.000Z', first.hash],
      [2, 'ada', '2026-12-02T10:00:00.000Z', second.hash],
      [1, 'ada', '2026-12-01T10:00:00.000Z', first.hash],
    ])
    expect(history[2]?.counts).toEqual({
      source: 3,
      'identity profile': 1,
      'lifecycle state': 6,
      transform: 2,
      'access profile': 4,
      role: 2,
      'governance group': 1,
    })
    expect(history[1]?.counts['role']).toBe(3)

    const diff = await diffConfigVersions(store.db, '1', '2')
    expect(diff).toEqual({
      from: 1,
      to: 2,
      added: [{ kind: 'role', id: expect.stringMatching(/^[0-9a-f]{32}$/) as string, name: 'Visitors' }],
      removed: [],
      changed: [
        {
          kind: 'access profile',
          id: 'f2dd33ce00d17ebf955e7f5b1dda0154',
          name: 'Lobby Access',
          fields: ['description'],
        },
      ],
    })
    expect(await diffConfigVersions(store.db, 'latest', '1')).toEqual({
      from: 3,
      to: 1,
      added: [],
      removed: [],
      changed: [],
    })
    await expect(diffConfigVersions(store.db, '1', '9')).rejects.toThrow(NotFoundError)
    await expect(diffConfigVersions(store.db, 'first', '1')).rejects.toThrow(/a number or "latest"/)
  })

  it('reads back exactly the configuration it published', async () => {
    const { config } = await demoWorkspace()
    store = await database.open()
    await expect(loadPublishedConfig(store.db, '/elsewhere')).rejects.toThrow(NotFoundError)
    await publishConfig(store.db, config)
    const { config: published, version } = await loadPublishedConfig(store.db, '/elsewhere')
    expect(version.number).toBe(1)
    expect(published.dir).toBe('/elsewhere')
    expect(configSnapshot(published)).toEqual(configSnapshot(config))
    expect(published.sources.map((s) => [s.file, s.value.id])).toEqual(
      config.sources.map((s) => [s.file, s.value.id]),
    )
  })
})

describe.runIf(process.env['PROVISIO_TEST_DATABASE_URL'])('a worker without the workspace folder', () => {
  const saved = process.env['DATABASE_URL']
  afterEach(() => {
    if (saved === undefined) delete process.env['DATABASE_URL']
    else process.env['DATABASE_URL'] = saved
  })

  it('runs from the published configuration in an empty folder and executes the queued activities', async () => {
    process.env['DATABASE_URL'] = await createServerDatabase()
    const { dir } = await demoWorkspace()
    // The workspace's process: opening the engine publishes; the plan queues directory and badge activities.
    const engine = await openEngine(dir)
    try {
      await refreshSource(engine, 'HR')
      await refreshSource(engine, 'Badge System')
      expect((await applyPlan(engine)).accountRequests).toBeGreaterThan(0)
    } finally {
      await engine.close()
    }

    // Another machine: an empty folder and the database's address.
    const elsewhere = tempDir('provisio-worker-')
    expect(runsFromPublished(elsewhere, false)).toBe(true)
    expect(runsFromPublished(dir, false)).toBe(false)
    const worker = await openPublishedEngine(elsewhere)
    try {
      expect(worker.config.dir).toBe(elsewhere)
      expect(worker.config.sources.map((s) => s.value.name)).toEqual([
        'Badge System',
        'Corporate Directory',
        'HR',
      ])
      const result = await executeDue(worker)
      const activities = await listActivities(worker.db, {})
      expect(result.finished).toBeGreaterThan(0)
      expect(result.manual).toBeGreaterThan(0)
      // Every activity was worked on: the directory's executed, the badge system's handed to people.
      expect(result.finished + result.manual).toBe(activities.length)
      expect(activities.filter((a) => a.status === 'FINISHED')).toHaveLength(result.finished)
      // The in-memory directory's state lives where the worker runs: the folder it was started in.
      expect(existsSync(join(elsewhere, 'systems/directory.json'))).toBe(true)
      expect(existsSync(join(elsewhere, 'provisio.yaml'))).toBe(false)
    } finally {
      await worker.close()
    }
  })

  it('provisio worker started in an empty folder with DATABASE_URL runs the published configuration', async () => {
    const url = await createServerDatabase()
    process.env['DATABASE_URL'] = url
    const { dir } = await demoWorkspace()
    const engine = await openEngine(dir)
    try {
      await refreshSource(engine, 'HR')
      await refreshSource(engine, 'Badge System')
      await applyPlan(engine)
    } finally {
      await engine.close()
    }
    const elsewhere = tempDir('provisio-worker-')
    const worker = spawnCli(['-w', elsewhere, 'worker', '--poll', '0.5'], { DATABASE_URL: url })
    let log = ''
    worker.stdout?.on('data', (d: Buffer) => (log += d.toString()))
    worker.stderr?.on('data', (d: Buffer) => (log += d.toString()))
    const observer = await openPublishedEngine(elsewhere)
    try {
      await until('the worker to execute the directory activities', async () => {
        const all = await listActivities(observer.db, {})
        return all.some((a) => a.status === 'FINISHED') && !all.some((a) => a.status === 'RETRY')
      })
      expect(log).toMatch(/provisio worker: the published configuration, postgres database/)
    } finally {
      worker.kill('SIGTERM')
      await exited(worker)
      await observer.close()
    }
    expect(existsSync(join(elsewhere, 'systems/directory.json'))).toBe(true)
  }, 180_000)
})
