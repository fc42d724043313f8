import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { aggregateThenProcess } from '../src/engine/aggregate-then-process.js'
import { withEngine } from '../src/app/open-engine.js'
import { writeDemoWorkspace } from '../src/demo/demo-workspace.js'
import { editHr, HR } from './support/edit-hr.js'
import { CLI_TEST_TIMEOUT, runCli, spawnCli } from './support/run-cli.js'
import { tempDir, withEmptyDatabase } from './support/temp-workspace.js'

const ROOT = join(import.meta.dirname, '..')
const doc = (file: string): string => readFileSync(join(ROOT, file), 'utf8')

/** A demo workspace with HR and the badge system aggregated, made in this process (setup, not under test). */
async function aggregatedDemo(dir: string): Promise<void> {
  await writeDemoWorkspace(dir)
  await withEmptyDatabase(dir)
  await withEngine(dir, async (engine) => {
    for (const source of ['HR', 'Badge System']) await aggregateThenProcess(engine, source)
  })
}

// Most tests here run a dozen or more CLI processes one after another: their limit is the CLI's.
describe('provisio command', { timeout: CLI_TEST_TIMEOUT }, () => {
  const dir = join(tempDir(), 'ws')

  beforeAll(async () => {
    const init = runCli(['init', dir])
    expect(init.status, init.stderr).toBe(0)
    await withEmptyDatabase(dir)
  }, CLI_TEST_TIMEOUT)

  it('validates and aggregates', () => {
    const first = runCli(['-w', dir, 'validate']).stdout
    expect(first).toMatch(
      /is valid: 3 sources, 1 identity profiles, 2 transforms, 4 access profiles, 2 roles, 1 governance groups/,
    )
    expect(first).toMatch(/owners not checked against identities: no identities yet/)

    const agg = runCli(['-w', dir, 'aggregate', 'HR'])
    expect(agg.status, agg.stderr).toBe(0)
    expect(agg.stdout).toMatch(
      /^aggregated "HR": accounts created 40, updated 0, unchanged 0, deleted 0, errors 0; .*identities created 40, updated 0, unchanged 0, errors 0; \d+\.\d\d s\n$/,
    )
    const badge = runCli(['-w', dir, 'aggregate', 'Badge System'])
    expect(badge.stdout).toMatch(/correlated \d+, uncorrelated 1;/)
    // Now owners are checked against the identities: the demo's are people of the HR file.
    expect(runCli(['-w', dir, 'validate']).stdout).not.toMatch(/owners not checked/)
    const badgeFile = join(dir, 'sources/badge-system.yaml')
    const badgeYaml = readFileSync(badgeFile, 'utf8')
    writeFileSync(badgeFile, badgeYaml.replace('name: james.lamarr', 'name: facilities.lead'))
    const notOwner = runCli(['-w', dir, 'validate'])
    expect(notOwner.status).toBe(3)
    expect(notOwner.stderr).toMatch(
      /sources\/badge-system.yaml: source "Badge System": owner: "facilities.lead" is not an identity/,
    )
    writeFileSync(badgeFile, badgeYaml)
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
    // The README's tour names identities of the demo.
    const tour = [...doc('README.md').matchAll(/^provisio (?:identity|explain) (\S+)/gm)].map((m) => m[1])
    expect(tour.length).toBeGreaterThanOrEqual(2)
    for (const name of tour) expect(identities.map((i) => i.name)).toContain(name)

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
    // docs/plan.md's example is an excerpt of this very output (the time aside).
    const example = /Example \(`provisio plan` on the demo[\s\S]*?```\n([\s\S]*?)```/.exec(
      doc('docs/plan.md'),
    )?.[1]
    const untimed = (s: string): string => s.replace(/; \d+\.\d\d s$/gm, '')
    const [excerpt, summary] = untimed(example ?? '').split(/^(?=plan: )/m)
    expect(untimed(plan.stdout)).toContain(excerpt)
    expect(untimed(plan.stdout)).toMatch(
      new RegExp(`^${summary?.trim().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, 'm'),
    )
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
    const explained = JSON.parse(runCli(['-w', dir, 'explain', who, '--json']).stdout) as {
      identity: { name: string }
      lifecycleState: { technicalName: string; identityState: string }
      roles: { name: string; matched: boolean }[]
      access: { source: { name: string }; entitlements: { value: string; status: string }[] }[]
      plan: { items: { source: { name: string } }[] }
    }
    expect(explained.identity.name).toBe(who)
    expect(explained.lifecycleState).toMatchObject({ technicalName: 'active', identityState: 'ACTIVE' })
    expect(explained.roles).toContainEqual({
      name: 'Operations Datacenter',
      matched: true,
      detail: 'department EQUALS "Operations"',
    })
    const badges = explained.access.find((a) => a.source.name === 'Badge System')
    expect(badges?.entitlements).toContainEqual(
      expect.objectContaining({ value: 'datacenter', status: 'missing' }),
    )
    expect(explained.plan.items.some((i) => i.source.name === 'Badge System')).toBe(true)
  })

  it('applies, and lists the activities', () => {
    const apply = runCli(['-w', dir, 'apply', '--wait'])
    expect(apply.status, apply.stderr).toBe(0)
    expect(apply.stdout).toMatch(/^applied: \d+ account requests; plan: /)
    // The directory is provisioned directly; the badge system's changes wait for its owner.
    expect(apply.stdout).toMatch(/\nexecuted: finished \d+, failed 0, retrying 0, manual [1-9]\d*\n$/)
    expect(runCli(['-w', dir, 'plan']).stdout).toMatch(/plan: 0 of 40 identities change/)

    const activities = JSON.parse(runCli(['-w', dir, 'activities', '--json']).stdout) as {
      operation: string
      source: { id: string; name: string }
      completionStatus: string
      items: { attribute: string; value: unknown; nativeIdentity: string; provisioningStatus: string }[]
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

  it("a leaver's Disable activity names its account", () => {
    type Activity = {
      operation: string
      source: { id: string; name: string }
      items: { operation?: string; attribute: string | null; nativeIdentity: string }[]
    }
    const activities = JSON.parse(runCli(['-w', dir, 'activities', '--json']).stdout) as Activity[]
    const direct = activities.filter((a) => a.source.name === 'Corporate Directory')

    // A leaver: the lifecycle state disables the directory account. That activity names its account too.
    const leaver = direct.find((a) => a.operation === 'Create')?.items[0]?.nativeIdentity as string
    const row = readFileSync(join(dir, 'data/hr.csv'), 'utf8')
      .split('\n')
      .find((l) => l.includes(`,${leaver}@`))
    editHr(dir, row?.split(',')[0] as string, { [HR.status]: 'T', [HR.terminationDate]: '2020-01-01' })
    expect(runCli(['-w', dir, 'aggregate', 'HR']).status).toBe(0)
    expect(runCli(['-w', dir, 'apply', '--wait']).status).toBe(0)
    const after = JSON.parse(runCli(['-w', dir, 'activities', '--json']).stdout) as Activity[]
    const disable = after.find((a) => a.operation === 'Disable' && a.source.name === 'Corporate Directory')
    expect(disable?.items).toEqual([
      {
        operation: 'Disable',
        attribute: null,
        value: null,
        nativeIdentity: leaver,
        sourceId: disable?.source.id,
        provisioningStatus: 'FINISHED',
      },
    ])
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
    const retried = JSON.parse(
      runCli(['-w', ws, 'retry', '--failed', '--source', 'Corporate Directory', '--json']).stdout,
    ) as { retried: number; finished: number; failed: number; retrying: number }
    expect(retried.retried).toBeGreaterThan(0)
    expect(retried).toMatchObject({ finished: retried.retried, failed: 0, retrying: 0 })
    expect(JSON.parse(runCli(['-w', ws, 'execute', '--json']).stdout)).toMatchObject({
      attempts: 0,
      finished: 0,
      sourceErrors: [],
    })
  })

  // A system's failures as `source test` and `aggregate` report them; no data needed, only the demo's files.
  it('source test: a reachable, an unreachable and a failing system; a flat-file source is not connected', async () => {
    const ws = join(tempDir(), 'systems')
    await writeDemoWorkspace(ws)
    await withEmptyDatabase(ws)
    expect(runCli(['-w', ws, 'memory', 'break', 'HR']).status).toBe(2)
    expect(JSON.parse(runCli(['-w', ws, 'source', 'test', 'Corporate Directory', '--json']).stdout)).toEqual({
      source: 'Corporate Directory',
      connector: 'memory',
      ok: true,
    })
    runCli(['-w', ws, 'memory', 'break', 'Corporate Directory', '--operation', 'test'])
    const down = runCli(['-w', ws, 'source', 'test', 'Corporate Directory'])
    expect(down.status).toBe(7)
    expect(down.stderr).toMatch(/unreachable \(retryable\): connect ECONNREFUSED/)
    // Whatever a connector throws is the system's failure, not an unexpected error of Provisio.
    runCli(['-w', ws, 'memory', 'break', 'Corporate Directory', '--operation', '*', '--mode', 'GENERIC'])
    const generic = runCli(['-w', ws, 'source', 'test', 'Corporate Directory', '--json'])
    expect(generic.status).toBe(7)
    expect(JSON.parse(generic.stdout)).toMatchObject({ ok: false, error: { kind: 'TERMINAL' } })
    expect(generic.stderr).toMatch(
      /^provisio: the system "Corporate Directory" failed: terminal: internal error/,
    )
    expect(runCli(['-w', ws, 'aggregate', 'Corporate Directory']).status).toBe(7)
    expect(runCli(['-w', ws, 'source', 'test', 'Badge System']).status).toBe(2)
  })

  it('reports bad rows on stderr with file and line, aggregates the rest, and exits 8', () => {
    const hr = readFileSync(join(dir, 'data/hr.csv'), 'utf8')
    const withBad = join(tempDir(), 'hr-bad.csv')
    writeFileSync(withBad, hr.trimEnd() + '\n2,too,few\n')
    const rejected = runCli(['-w', dir, 'aggregate', 'HR', '--file', withBad])
    expect(rejected.status).toBe(8)
    expect(rejected.stderr).toMatch(new RegExp(`hr-bad\\.csv:${hr.trimEnd().split('\n').length + 1}: `))
    expect(rejected.stderr).toMatch(/1 row rejected \(exit code 8\); the others were aggregated/)
    expect(rejected.stdout).toMatch(/errors 1;/)

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

  it('exits as docs/operations.md says: usage errors, --version, secrets, the database', async () => {
    const version = runCli(['--version'])
    expect(version.status).toBe(0)
    expect(version.stdout.trim()).toBe((JSON.parse(doc('package.json')) as { version: string }).version)
    for (const args of [['plan', '--bogus'], ['identity'], ['nosuch'], ['serve', '--port', 'abc']]) {
      const r = runCli(['-w', dir, ...args])
      expect({ args, status: r.status }).toEqual({ args, status: 2 })
      expect(r.stderr).not.toMatch(/unexpected/)
    }
    const help = runCli(['plan', '--help'])
    expect(help.stdout.replace(/\s+/g, ' ')).toMatch(/a candidate made by copying the workspace folder/)

    // A source whose settings name an unset variable: a configuration problem, naming the source.
    const file = join(dir, 'sources/env-directory.yaml')
    writeFileSync(
      file,
      [
        'name: Env Directory',
        'owner: { type: IDENTITY, name: it.admin }',
        'connectionType: direct',
        'connector: ldap',
        'connectorAttributes:',
        '  url: ldap://127.0.0.1:1',
        '  bindDn: cn=admin,dc=example,dc=org',
        '  password: ${env:PROVISIO_TEST_UNSET_SECRET}',
        '  accountBase: ou=people,dc=example,dc=org',
        'schemas:',
        '  - { name: account, identityAttribute: uid, attributes: [{ name: uid, type: STRING }] }',
        '',
      ].join('\n'),
    )
    try {
      const unset = runCli(['-w', dir, 'source', 'test', 'Env Directory'])
      expect(unset.status).toBe(3)
      expect(unset.stderr).toMatch(/source "Env Directory": .*PROVISIO_TEST_UNSET_SECRET is not set/)
    } finally {
      rmSync(file)
    }

    // A server that refuses the login (a user it does not know) and one that is not there.
    const server = process.env['PROVISIO_TEST_DATABASE_URL']
    if (server) {
      const url = new URL(server)
      url.username = 'provisio_no_such_user'
      url.password = 'wrong'
      const refused = runCli(['-w', dir, 'identities'], { DATABASE_URL: url.toString() })
      expect(refused.status).toBe(9)
      expect(refused.stderr).toMatch(/refused the connection: .*provisio_no_such_user/)
      expect(refused.stderr).not.toMatch(/wrong/)
    }
    const away = runCli(['-w', dir, 'identities'], {
      DATABASE_URL: 'postgres://provisio@127.0.0.1:1/provisio',
    })
    expect(away.status).toBe(9)
    expect(away.stderr).toMatch(/cannot be reached/)
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

  it('validate: an unknown field is an error (exit 3), an ignored reference field a warning (exit 0)', () => {
    const ws = join(tempDir(), 'ws')
    expect(runCli(['init', ws]).status).toBe(0)
    const settings = join(ws, 'provisio.yaml')
    const original = readFileSync(settings, 'utf8')
    writeFileSync(settings, original.replace('provisioning: review', 'provisoning: review'))
    const typo = runCli(['-w', ws, 'validate'])
    expect(typo.status).toBe(3)
    expect(typo.stdout).toBe('')
    expect(typo.stderr).toMatch(
      /provisio\.yaml: workspace: provisoning: unknown field \(did you mean "provisioning"\?\)/,
    )

    writeFileSync(settings, original)
    const hr = join(ws, 'sources/hr.yaml')
    writeFileSync(
      hr,
      readFileSync(hr, 'utf8').replace('name: HR\n', 'name: HR\nconnectorClass: sailpoint.Delimited\n'),
    )
    const exported = runCli(['-w', ws, 'validate'])
    expect(exported.status, exported.stderr).toBe(0)
    expect(exported.stderr).toBe(
      'sources/hr.yaml: source "HR": connectorClass: warning: ignored: a field of the reference product that Provisio does not use\n',
    )
    expect(exported.stdout).toMatch(/is valid \(1 warning\): 3 sources/)
  })

  it('validate: a Velocity template that does not parse exits 3 naming file and path; an unused transform reading a missing source only warns', () => {
    const ws = join(tempDir(), 'ws')
    expect(runCli(['init', ws]).status).toBe(0)
    writeFileSync(
      join(ws, 'transforms/vendor.yaml'),
      'name: Vendor Region\ntype: accountAttribute\nattributes: { sourceName: Vendors, attributeName: region }\n',
    )
    const warned = runCli(['-w', ws, 'validate'])
    expect(warned.status, warned.stderr).toBe(0)
    expect(warned.stderr).toMatch(
      /^transforms\/vendor.yaml: transform "Vendor Region": attributes.sourceName: warning: no source named "Vendors"/m,
    )
    // Written without an id, it gets a derived one, and validate says so.
    expect(warned.stderr).toMatch(
      /^transforms\/vendor.yaml: transform "Vendor Region": id: warning: no id: the derived id [0-9a-f]{32} is used/m,
    )
    expect(warned.stdout).toMatch(/is valid/)

    writeFileSync(
      join(ws, 'transforms/status.yaml'),
      'name: Status\ntype: static\nattributes: { value: "#if($x)a#{elseif}($y)b" }\n',
    )
    const r = runCli(['-w', ws, 'validate'])
    expect(r.status).toBe(3)
    expect(r.stderr).toContain(
      'transforms/status.yaml: transform "Status": static: attributes.value is not a valid Velocity template: line 1, column 1: #if is never closed: #end is missing',
    )
  })

  it('serves: schedules on start, health endpoint with a failed run, clean stop on SIGTERM', async () => {
    const ws = join(tempDir(), 'served')
    await writeDemoWorkspace(ws)
    await withEmptyDatabase(ws)
    // The badge system's file is missing: its aggregation on start fails, and /health says so.
    rmSync(join(ws, 'data/badges.csv'))
    const child = spawnCli(['-w', ws, 'serve', '--port', '0'])
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
    await until(/Badge System aggregation \(on start\): failed/)
    const res = await fetch(`http://127.0.0.1:${port}/health`)
    expect(res.status).toBe(200)
    const text = await res.text()
    const failure = {
      schedule: 'Badge System aggregation',
      at: expect.any(String),
      error: expect.any(String),
    }
    expect(JSON.parse(text)).toMatchObject({
      status: 'degraded',
      database: 'pglite',
      identities: 40,
      schedules: 3,
      failingSchedules: [failure],
      lastFailedRun: failure,
    })
    expect(JSON.parse(text).lastFailedRun.error).toMatch(/data\/badges\.csv/)
    expect(text).not.toContain(ws)
    expect((await fetch(`http://127.0.0.1:${port}/nope`)).status).toBe(404)
    // The embedded database belongs to the serving process: a command runs inside it (cli-beside-serve.test.ts),
    // and one that must be a process of its own says which process holds the database and stops.
    expect(runCli(['-w', ws, 'identities']).status).toBe(0)
    const busy = runCli(['-w', ws, 'worker'])
    expect(busy.status).toBe(5)
    expect(busy.stderr).toMatch(
      new RegExp(
        `embedded database is in use by process ${child.pid} \\("provisio .*serve --port 0", since \\d{4}-`,
      ),
    )
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(out).toMatch(/SIGTERM: stopping[\s\S]*stopped/)
  })
})
