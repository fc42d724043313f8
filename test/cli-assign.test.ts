import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { withEngine } from '../src/app/open-engine.js'
import { aggregateThenProcess } from '../src/engine/aggregate-then-process.js'
import { writeDemoWorkspace } from '../src/demo/demo-workspace.js'
import { CLI_TEST_TIMEOUT, runCli } from './support/run-cli.js'
import { tempDir } from './support/temp-workspace.js'

// `assign`, `unassign` and what `explain` shows of them, through the built CLI: messages and exit codes.
describe('provisio assign and unassign', { timeout: CLI_TEST_TIMEOUT }, () => {
  const dir = join(tempDir(), 'ws')
  beforeAll(async () => {
    await writeDemoWorkspace(dir)
    await withEngine(dir, async (engine) => {
      for (const source of ['HR', 'Badge System']) await aggregateThenProcess(engine, source)
    })
  }, CLI_TEST_TIMEOUT)

  it('assigns with dates, explains, plans and unassigns', () => {
    const who = 'ada.lamarr'
    const assigned = runCli([
      '-w',
      dir,
      'assign',
      who,
      '--access-profile',
      'Datacenter Access',
      '--end',
      '2099-12-31',
    ])
    expect(assigned.status, assigned.stderr).toBe(0)
    expect(assigned.stdout).toMatch(
      /^assigned access profile "Datacenter Access" to ada.lamarr: ADMIN assignment \w+ until 2099-12-31T00:00:00.000Z/,
    )
    const again = runCli(['-w', dir, 'assign', who, '--access-profile', 'Datacenter Access', '--json'])
    expect(again.status, again.stderr).toBe(0)
    expect(JSON.parse(again.stdout)).toMatchObject({
      origin: 'ADMIN',
      itemType: 'ACCESS_PROFILE',
      removeDate: null,
    })
    const entitlement = runCli(['-w', dir, 'assign', who, '--entitlement', 'Badge System:zones:lobby'])
    expect(entitlement.status, entitlement.stderr).toBe(0)

    const explain = runCli(['-w', dir, 'explain', who])
    expect(explain.stdout).toMatch(/✓ access profile "Datacenter Access" — ADMIN assignment \w+, ACTIVE/)
    expect(explain.stdout).toMatch(/✓ entitlement "Badge System:zones:lobby" — ADMIN assignment \w+, ACTIVE/)
    const json = JSON.parse(runCli(['-w', dir, 'explain', who, '--json']).stdout) as {
      assignments: { origin: string; status: string; item: { type: string } }[]
    }
    expect(json.assignments.map((a) => [a.item.type, a.origin, a.status])).toEqual([
      ['ACCESS_PROFILE', 'ADMIN', 'ACTIVE'],
      ['ENTITLEMENT', 'ADMIN', 'ACTIVE'],
    ])
    const plan = JSON.parse(runCli(['-w', dir, 'plan', '--identity', who, '--json']).stdout) as {
      items: { value?: string; reasons: { kind: string; origin?: string }[] }[]
    }
    const datacenter = plan.items.find((i) => i.value === 'datacenter')
    expect(datacenter?.reasons[0]).toMatchObject({ kind: 'ASSIGNMENT', origin: 'ADMIN' })

    const removed = runCli(['-w', dir, 'unassign', who, '--access-profile', 'Datacenter Access'])
    expect(removed.status, removed.stderr).toBe(0)
    expect(removed.stdout).toMatch(
      /^removed ADMIN assignment \w+ of access profile "Datacenter Access" from ada.lamarr/,
    )
  })

  it.each([
    [['assign', 'nobody.here', '--role', 'All Employees'], 6, /no identity with id or name "nobody.here"/],
    [
      ['assign', 'ada.lamarr', '--access-profile', 'No Such'],
      6,
      /no access profile "No Such" in the configuration/,
    ],
    [['assign', 'ada.lamarr', '--entitlement', 'Badge System:zones:moon'], 6, /no entitlement zones=moon/],
    [
      ['assign', 'ada.lamarr', '--role', 'All Employees', '--start', '2099-02-01', '--end', '2099-01-01'],
      2,
      /must come after/,
    ],
    [
      ['assign', 'ada.lamarr', '--role', 'All Employees', '--start', '31/01/2099'],
      2,
      /bad start date "31\/01\/2099"/,
    ],
    [['assign', 'ada.lamarr'], 2, /give exactly one of --role/],
    [['assign', 'ada.lamarr', '--entitlement', 'lobby'], 2, /bad entitlement "lobby"/],
    [
      ['unassign', 'ada.lamarr', '--role', 'All Employees'],
      6,
      /no manual \(ADMIN\) assignment of role "All Employees"/,
    ],
  ])('%j exits %i', (args, code, message) => {
    const r = runCli(['-w', dir, ...args])
    expect(r.status, r.stdout).toBe(code)
    expect(r.stderr).toMatch(message)
  })
})
