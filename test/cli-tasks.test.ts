import type { ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { CLI_TEST_TIMEOUT, runCli, spawnCli } from './support/run-cli.js'
import { tempDir, withEmptyDatabase } from './support/temp-workspace.js'

function exited(p: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (p.exitCode !== null) resolve(p.exitCode)
    else p.on('exit', (code) => resolve(code))
  })
}

describe('provisio aggregate --async and provisio task', { timeout: CLI_TEST_TIMEOUT }, () => {
  const dir = join(tempDir(), 'ws')

  beforeAll(async () => {
    const init = runCli(['init', dir])
    expect(init.status, init.stderr).toBe(0)
    await withEmptyDatabase(dir)
  }, CLI_TEST_TIMEOUT)

  it('queues a source aggregation, shows it pending, and a worker runs it to SUCCESS', async () => {
    const queued = runCli(['-w', dir, 'aggregate', 'HR', '--async'])
    expect(queued.status, queued.stderr).toBe(0)
    const id = queued.stdout.split('\n')[0] as string
    expect(id).toMatch(/^[0-9a-f]{32}$/)
    expect(queued.stdout).toMatch(/queued: aggregate "HR"; a running serve or worker takes it up/)

    const pending = runCli(['-w', dir, 'task', 'status', id, '--json'])
    expect(pending.status, pending.stderr).toBe(0)
    expect(JSON.parse(pending.stdout)).toMatchObject({
      id,
      type: 'QUEUED_TASK',
      uniqueName: 'Cloud Account Aggregation',
      target: { type: 'SOURCE', name: 'HR' },
      launched: null,
      completionStatus: null,
      progress: 'Pending',
    })
    expect(runCli(['-w', dir, 'task', 'list', '--open']).stdout).toMatch(
      new RegExp(`${id} +Cloud Account Aggregation +HR +PENDING`),
    )

    // The embedded database has one process at a time: the worker runs the task, then stops.
    const worker = spawnCli(['-w', dir, 'worker', '--poll', '0.5'])
    let log = ''
    worker.stdout?.on('data', (d: Buffer) => (log += d.toString()))
    worker.stderr?.on('data', (d: Buffer) => (log += d.toString()))
    try {
      const until = Date.now() + 120_000
      while (!new RegExp(`task ${id} \\(aggregate "HR"\\): SUCCESS`).test(log)) {
        if (Date.now() > until || worker.exitCode !== null) {
          throw new Error(`the worker did not run it:\n${log}`)
        }
        await new Promise((r) => setTimeout(r, 250))
      }
    } finally {
      worker.kill('SIGTERM')
      await exited(worker)
    }

    const status = runCli(['-w', dir, 'task', 'status', id])
    expect(status.status, status.stderr).toBe(0)
    expect(status.stdout).toMatch(/state: SUCCESS \(Completed\)/)
    expect(status.stdout).toMatch(/counts: total 40, created 40, .*identitiesCreated 40/)
    const list = runCli(['-w', dir, 'task', 'list', '--json'])
    expect(JSON.parse(list.stdout)).toMatchObject([{ id, completionStatus: 'SUCCESS', percentComplete: 100 }])
  })

  it('answers an unknown task, an unknown source and --file with --async as errors', () => {
    const unknown = runCli(['-w', dir, 'task', 'status', 'nope'])
    expect(unknown.stderr).toMatch(/no task with id "nope"/)
    expect(unknown.status).not.toBe(0)
    const source = runCli(['-w', dir, 'aggregate', 'Nowhere', '--async'])
    expect(source.stderr).toMatch(/no source named "Nowhere"/)
    expect(source.status).not.toBe(0)
    const file = runCli(['-w', dir, 'aggregate', 'HR', '--async', '--file', 'x.csv'])
    expect(file.stderr).toMatch(/--file cannot be used with --async/)
    expect(file.status).toBe(2)
  })
})
