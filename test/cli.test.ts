import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { aggregateSource } from '../src/engine/aggregate-source.js'
import { withEngine } from '../src/cli/open-engine.js'
import { writeDemoWorkspace } from '../src/engine/workspace/demo-workspace.js'
import { CLI_TEST_TIMEOUT, runCli, spawnCli } from './support/run-cli.js'
import { tempDir } from './support/temp-workspace.js'

/** A demo workspace with HR and the badge system aggregated, made in this process (setup, not under test). */
async function aggregatedDemo(dir: string): Promise<void> {
  await writeDemoWorkspace(dir)
  await withEngine(dir, async (engine) => {
    for (const source of ['HR', 'Badge System']) await aggregateSource(engine, source)
  })
}

// Most tests here run a dozen or more CLI processes one after another: their limit is the CLI's.
describe('provisio command', { timeout: CLI_TEST_TIMEOUT }, () => {
  const dir = join(tempDir(), 'ws')

  beforeAll(() => {
    const init = runCli(['init', dir])
    expect(init.status, init.stderr).toBe(0)
  }, CLI_TEST_TIMEOUT)

  it('validates and aggregates', () => {
    expect(runCli(['-w', dir, 'validate']).stdout).toMatch(
      /is valid: 3 sources, 1 identity profiles, 2 transforms, 4 access profiles, 2 roles/,
    )

    const agg = runCli(['-w', dir, 'aggregate', 'HR'])
    expect(agg.status, agg.stderr).toBe(0)
    expect(agg.stdout).toMatch(
      /^aggregated "HR": accounts created 40, updated 0, unchanged 0, deleted 0, errors 0; .*identities created 40, updated 0, unchanged 0, errors 0; \d+\.\d\d s\n$/,
    )
    const badge = runCli(['-w', dir, 'aggregate', 'Badge System'])
    expect(badge.stdout).toMatch(/correlated \d+, uncorrelated 1;/)
  })

  // The tests below share the workspace above, in order; each runs a handful of CLI processes.
  it('lists identities, one identity, accounts and entitlements', () => {
    const identities = JSON.parse(runCli(['-w', dir, 'identities', '--json']).stdout) as {
      name: string
      lifecycleState: string
    }[]
    expect(identities).toHaveLength(40)
    expect(identities.every((i) => typeof i.lifecycleState === 'string')).toBe(true)
    const table = runCli(['-w', dir, 'identities']).stdout
    expect(table).toMatch(/^NAME\s+DISPLAY NAME\s+LIFECYCLE STATE\s+MANAGER/)
    expect(table).toMatch(/40 identities\n$/)

    const one = JSON.parse(
      runCli(['-w', dir, 'identity', identities[5]?.name as string, '--json']).stdout,
    ) as {
      accounts: { sourceName: string }[]
    }
    expect(one.accounts.map((a) => a.sourceName)).toContain('HR')
    expect(runCli(['-w', dir, 'identity', 'nobody']).status).toBe(6)

    const accounts = JSON.parse(runCli(['-w', dir, 'accounts', 'HR', '--json']).stdout) as unknown[]
    expect(accounts).toHaveLength(40)
    expect(runCli(['-w', dir, 'entitlements', 'Badge System']).stdout).toMatch(/zones\s+lobby/)
  })

  it('plans and explains', () => {
    const plan = runCli(['-w', dir, 'plan'])
    expect(plan.status, plan.stderr).toBe(0)
    expect(plan.stdout).toMatch(
      /\n {4}\+ zones = datacenter on account "B\d+" — access profile "Datacenter Access" via role "Operations Datacenter" \(department EQUALS "Operations"\)\n/,
    )
    expect(plan.stdout).toMatch(/plan: \d+ of 40 identities change — creates \d+, adds \d+, removes 0/)
    expect(plan.stdout).toMatch(/password = \*{8} \(generated when executed\)/)
    const json = JSON.parse(runCli(['-w', dir, 'plan', '--json']).stdout) as {
      items: { identity: { name: string }; source: { name: string }; operation: string; reasons: unknown[] }[]
      summary: { identities: number }
    }
    expect(json.summary.identities).toBe(40)
    const badge = json.items.find((i) => i.source.name === 'Badge System')
    const who = badge?.identity.name as string
    expect(badge).toMatchObject({
      source: { name: 'Badge System' },
      operation: 'Modify',
      attributeOperation: 'Add',
    })

    const explain = runCli(['-w', dir, 'explain', who])
    expect(explain.status, explain.stderr).toBe(0)
    expect(explain.stdout).toMatch(/lifecycle state: active — "Active", identity state ACTIVE/)
    expect(explain.stdout).toMatch(/✓ Operations Datacenter — department EQUALS "Operations"/)
    expect(explain.stdout).toMatch(
      /\+ zones=datacenter — access profile "Datacenter Access" via role "Operations Datacenter"/,
    )
  })

  it('applies, and lists the activities', () => {
    const apply = runCli(['-w', dir, 'apply', '--wait'])
    expect(apply.status, apply.stderr).toBe(0)
    expect(apply.stdout).toMatch(/^applied: \d+ account requests; plan: /)
    // The directory is provisioned directly; the badge system's changes wait for its owner.
    expect(apply.stdout).toMatch(/\nexecuted: finished \d+, failed 0, retrying 0, manual [1-9]\d*\n$/)
    expect(runCli(['-w', dir, 'plan']).stdout).toMatch(/plan: 0 of 40 identities change/)

    const activities = JSON.parse(runCli(['-w', dir, 'activities', '--json']).stdout) as {
      source: { name: string }
      completionStatus: string
      items: { attribute: string; value: unknown; provisioningStatus: string }[]
    }[]
    const direct = activities.filter((a) => a.source.name === 'Corporate Directory')
    expect(direct.length).toBeGreaterThan(20)
    expect(direct.every((a) => a.completionStatus === 'SUCCESS')).toBe(true)
    expect(direct[0]?.items.find((i) => i.attribute === 'password')).toMatchObject({
      value: null,
      secret: true,
    })
    expect(runCli(['-w', dir, 'activities', '--status', 'nope']).status).toBe(2)
  })

  it("shows, rejects and completes the badge system owner's tasks", () => {
    const tasks = JSON.parse(runCli(['-w', dir, 'tasks', '--json']).stdout) as {
      id: string
      description: string
    }[]
    expect(tasks[0]?.description).toMatch(/^Modify account 'B\d+' on source 'Badge System'$/)
    expect(runCli(['-w', dir, 'tasks', 'show', tasks[0]?.id as string]).stdout).toMatch(
      /\+ zones = datacenter/,
    )
    expect(runCli(['-w', dir, 'tasks', 'reject', tasks[0]?.id as string]).status).toBe(2)
    const done = runCli(['-w', dir, 'tasks', 'complete', tasks[0]?.id as string, '--comment', 'issued'])
    expect(done.stdout).toMatch(/is committed; the next aggregation verifies it/)
    expect(runCli(['-w', dir, 'tasks', 'complete', tasks[0]?.id as string]).status).toBe(5)
    expect(runCli(['-w', dir, 'retry']).status).toBe(2)
  })

  it('the demo loop: a broken directory shows retries, and recovers', async () => {
    const ws = join(tempDir(), 'loop')
    await aggregatedDemo(ws)
    const broken = runCli(['-w', ws, 'memory', 'break', 'Corporate Directory', '--operation', 'create'])
    expect(broken.stdout).toMatch(/create now NETWORK/)
    const apply = runCli(['-w', ws, 'apply', '--wait'])
    expect(apply.stdout).toMatch(/\nexecuted: finished 0, failed 0, retrying (\d+), manual \d+\n$/)
    const retrying = runCli(['-w', ws, 'activities', '--status', 'RETRY'])
    expect(retrying.stdout).toMatch(/Corporate Directory .* RETRY\s+1\s+\S+\s+connect ECONNREFUSED/)
    expect(runCli(['-w', ws, 'memory', 'heal', 'Corporate Directory']).status).toBe(0)
    const retried = runCli(['-w', ws, 'retry', '--failed', '--source', 'Corporate Directory'])
    expect(retried.stdout).toMatch(/^retried (\d+): finished \1, failed 0, retrying 0/)
    expect(runCli(['-w', ws, 'memory', 'break', 'HR']).status).toBe(2)
    expect(runCli(['-w', ws, 'source', 'test', 'Corporate Directory']).stdout).toMatch(/connection OK/)
    runCli(['-w', ws, 'memory', 'break', 'Corporate Directory', '--operation', 'test'])
    const down = runCli(['-w', ws, 'source', 'test', 'Corporate Directory'])
    expect(down.status).toBe(7)
    expect(down.stderr).toMatch(/unreachable \(retryable\): connect ECONNREFUSED/)
    expect(runCli(['-w', ws, 'source', 'test', 'Badge System']).status).toBe(2)
  })

  it('reports bad rows on stderr with file and line', () => {
    const file = join(tempDir(), 'hr.csv')
    writeFileSync(
      file,
      'employeeId,firstName,lastName,displayName,email,department,title,managerId,location,country,status,hireDate,terminationDate,phone\n' +
        '1,A,B,A B,a@x.io,Sales,Rep,,Paris,FR,A,2020-01-01,,\n' +
        '2,too,few\n',
    )
    const r = runCli(['-w', dir, 'aggregate', 'HR', '--file', file])
    // 39 of 40 would be deleted: the threshold stops it.
    expect(r.status).toBe(5)
    expect(r.stderr).toMatch(/deleteThreshold of 20%; nothing was changed/)
  })

  it('previews a transform, and fails on a bad one with one line on stderr', () => {
    const t = join(tempDir(), 't.json')
    const ctx = join(tempDir(), 'ctx.json')
    writeFileSync(
      t,
      JSON.stringify({
        type: 'static',
        attributes: {
          dept: { type: 'accountAttribute', attributes: { sourceName: 'HR', attributeName: 'department' } },
          value: '${identity.firstname}-${dept}-${manager.displayName}',
        },
      }),
    )
    writeFileSync(
      ctx,
      JSON.stringify({
        identity: { firstname: 'Ada' },
        accounts: { HR: { department: 'Eng' } },
        manager: { displayName: 'Boss' },
      }),
    )
    const ok = runCli(['-w', dir, 'transform', 'preview', t, '--context', ctx])
    expect(ok.stderr).toBe('')
    expect(ok.stdout).toBe('"Ada-Eng-Boss"\n')

    const ref = join(tempDir(), 'ref.json')
    writeFileSync(
      ref,
      JSON.stringify({ type: 'reference', attributes: { id: 'Department Code' }, input: 'x' }),
    )
    writeFileSync(ctx, JSON.stringify({ accounts: { HR: { department: 'Finance' } } }))
    expect(runCli(['-w', dir, 'transform', 'preview', ref, '--context', ctx]).stdout).toBe('"FIN"\n')

    writeFileSync(t, JSON.stringify({ type: 'lookup', attributes: { table: { a: 'b' } } }))
    writeFileSync(ctx, JSON.stringify({ input: 'zzz' }))
    const bad = runCli(['-w', dir, 'transform', 'preview', t, '--context', ctx])
    expect(bad.status).not.toBe(0)
    expect(bad.stdout).toBe('')
    expect(bad.stderr.trim().split('\n')).toHaveLength(1)

    writeFileSync(t, JSON.stringify({ type: 'lower' }))
    writeFileSync(ctx, JSON.stringify({}))
    expect(runCli(['-w', dir, 'transform', 'preview', t, '--context', ctx]).stdout).toBe('null\n')
  })

  it('lists every configuration problem and exits 3', async () => {
    const bad = join(tempDir(), 'ws')
    await writeDemoWorkspace(bad)
    writeFileSync(join(bad, 'sources/x.yaml'), 'name: X\ndeleteThreshold: -1\nschemas: []\n')
    const r = runCli(['-w', bad, 'validate'])
    expect(r.status).toBe(3)
    expect(r.stderr).toMatch(/sources\/x.yaml: source "X": deleteThreshold: /)
    expect(r.stderr).toMatch(/sources\/x.yaml: source "X": schemas: needs an account schema/)
  })

  it('serves: schedules on start, health endpoint, clean stop on SIGTERM', async () => {
    const ws = join(tempDir(), 'served')
    const child = spawnCli(['serve', '--demo', ws, '--port', '0'])
    let out = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (out += d.toString()))
    const deadline = Date.now() + CLI_TEST_TIMEOUT - 30_000
    const until = async (re: RegExp): Promise<RegExpMatchArray> => {
      for (;;) {
        const m = out.match(re)
        if (m) return m
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${re}; output:\n${out}`)
        await new Promise((r) => setTimeout(r, 100))
      }
    }
    const [, port] = await until(/health: http:\/\/127\.0\.0\.1:(\d+)\/health/)
    await until(/Badge System aggregation \(on start\): aggregated/)
    const res = await fetch(`http://127.0.0.1:${port}/health`)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ status: 'ok', database: 'pglite', identities: 40, schedules: 3 })
    expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404)
    // The embedded database belongs to the serving process: another command says so and stops.
    const busy = runCli(['-w', ws, 'identities'])
    expect(busy.status).toBe(2)
    expect(busy.stderr).toMatch(/embedded database is in use by process \d+/)
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(out).toMatch(/SIGTERM: stopping[\s\S]*stopped/)
  })
})
