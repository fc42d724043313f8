import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { withEngine } from '../src/app/open-engine.js'
import { writeDemoWorkspace } from '../src/demo/demo-workspace.js'
import { aggregateThenProcess } from '../src/engine/aggregate-then-process.js'
import { listIdentities } from '../src/store/identities.js'
import { CLI_TEST_TIMEOUT, runCli } from './support/run-cli.js'
import { tempDir } from './support/temp-workspace.js'

// `request`, `requests`, `approvals`, `approve`, `reject`, `forward` through the built CLI.
describe('provisio request and approvals', { timeout: CLI_TEST_TIMEOUT }, () => {
  const dir = join(tempDir(), 'ws')
  let requester = ''
  let manager = ''
  beforeAll(async () => {
    await writeDemoWorkspace(dir)
    // The demo's Operations Team is approved by the requester's manager and then by its owner, james.wilson.
    await withEngine(dir, async (engine) => {
      for (const source of ['HR', 'Badge System']) await aggregateThenProcess(engine, source)
      const people = await listIdentities(engine.db, {})
      const someone = people.find(
        (p) => p.managerId !== null && p.name !== 'james.wilson' && p.lifecycleState === 'active',
      )
      requester = someone?.name ?? ''
      manager = people.find((p) => p.id === someone?.managerId)?.name ?? ''
    })
  }, CLI_TEST_TIMEOUT)

  const cli = (...args: string[]) => runCli(['-w', dir, ...args])

  it('previews, requests, lists and decides, with clear errors', () => {
    const preview = cli(
      'request',
      'grant',
      requester,
      '--access-profile',
      'Operations Team',
      '--as',
      requester,
      '--preview',
      '--json',
    )
    expect(preview.status, preview.stderr).toBe(0)
    const [p] = JSON.parse(preview.stdout) as {
      outcome: string
      approvers: { label: string }[]
      changes: { attribute?: string; value?: unknown }[]
    }[]
    expect(p?.outcome).toBe('NEW')
    expect(p?.approvers.map((a) => a.label)).toEqual([`manager ${manager}`, 'owner james.wilson'])
    expect(p?.changes).toEqual(expect.arrayContaining([expect.objectContaining({ value: 'ops-team' })]))
    // The preview wrote nothing.
    expect(JSON.parse(cli('requests', '--json').stdout)).toEqual([])
    // A day the month lacks is refused, not read as 3 March; nothing is written.
    const grant = ['request', 'grant', requester, '--access-profile', 'Operations Team', '--as', requester]
    const february = cli(...grant, '--comment', 'on call', '--end', '2031-02-31')
    expect(february.status).toBe(2)
    expect(february.stderr).toMatch(/--end: "2031-02-31" is not a date/)
    expect(JSON.parse(cli('requests', '--json').stdout)).toEqual([])

    const made = cli(
      'request',
      'grant',
      requester,
      '--access-profile',
      'Operations Team',
      '--as',
      requester,
      '--comment',
      'on call',
    )
    expect(made.status, made.stderr).toBe(0)
    expect(made.stdout).toMatch(
      new RegExp(
        `grant Operations Team for ${requester}: EXECUTING, waiting for manager ${manager} \\(step 1 of 2\\)`,
      ),
    )

    const pending = JSON.parse(cli('approvals', '--as', manager, '--json').stdout) as { id: string }[]
    expect(pending).toHaveLength(1)
    // As a table, each line ends (the shell's prompt is not left after the last one).
    expect(cli('approvals', '--as', manager).stdout).toMatch(/Operations Team.*\n$/)
    expect(cli('requests').stdout).toMatch(/Operations Team.*\n$/)
    const id = pending[0]?.id ?? ''
    expect(cli('approve', id).status).toBe(2) // --as is required
    const wrong = cli('approve', id, '--as', 'james.wilson')
    expect(wrong.status).toBe(11)
    expect(wrong.stderr).toMatch(/not yours to decide/)
    const twice = cli('approve', id, id, '--as', manager)
    expect(twice.status).toBe(2)
    expect(twice.stderr).toMatch(/named twice/)
    const approved = cli('approve', id, '--as', manager, '--comment', 'fine')
    expect(approved.status, approved.stderr).toBe(0)
    expect(approved.stdout).toMatch(/waiting for owner james.wilson \(step 2 of 2\)/)

    const second =
      (JSON.parse(cli('approvals', '--as', 'james.wilson', '--json').stdout) as { id: string }[])[0]?.id ?? ''
    const rejected = cli('reject', second, '--as', 'james.wilson', '--comment', 'not in ops', '--json')
    expect(rejected.status, rejected.stderr).toBe(0)
    expect(JSON.parse(rejected.stdout)).toMatchObject({ state: 'REJECTED' })
    const table = cli('requests')
    expect(table.stdout).toMatch(/Operations Team\s+.*REJECTED/)
    const again = cli('reject', second, '--as', 'james.wilson', '--comment', 'twice')
    expect(again.status).toBe(5)
    // Revoking what a role's criteria grant: refused, with why.
    const revoke = cli('request', 'revoke', requester, '--role', 'All Employees', '--comment', 'x')
    expect(revoke.status).toBe(2)
    expect(revoke.stderr).toMatch(/not from a request/)
  })
})
