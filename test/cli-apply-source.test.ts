import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CLI_TEST_TIMEOUT, runCli } from './support/run-cli.js'
import { tempDir, withEmptyDatabase } from './support/temp-workspace.js'

// The built CLI (`npm test` builds first).
// A dozen CLI processes one after another: the limit is the CLI's.
describe('plan --source and apply --source', { timeout: CLI_TEST_TIMEOUT }, () => {
  it("plan --source says apply applies every source; apply --source applies only that source's plan", async () => {
    const dir = join(tempDir(), 'ws')
    expect(runCli(['init', dir]).status).toBe(0)
    await withEmptyDatabase(dir)
    for (const source of ['HR', 'Badge System', 'Corporate Directory']) {
      const r = runCli(['-w', dir, 'aggregate', source])
      expect(r.status, r.stderr).toBe(0)
    }
    const plan = runCli(['-w', dir, 'plan', '--source', 'Corporate Directory'])
    expect(plan.status, plan.stderr).toBe(0)
    expect(plan.stdout).toMatch(
      /note: this is the plan of source "Corporate Directory" only; `apply` applies every/,
    )
    expect(plan.stdout).toContain('`apply --source "Corporate Directory"` applies only this one')
    // Without --source: no note.
    expect(runCli(['-w', dir, 'plan']).stdout).not.toContain('note:')

    const apply = runCli(['-w', dir, 'apply', '--source', 'Corporate Directory'])
    expect(apply.status, apply.stderr).toBe(0)
    expect(apply.stdout).toMatch(/^applied \(source "Corporate Directory" only\): [1-9]\d* account requests;/)
    const activities = JSON.parse(runCli(['-w', dir, 'activities', '--json']).stdout) as {
      source: { name: string }
    }[]
    expect(activities.length).toBeGreaterThan(0)
    expect(new Set(activities.map((a) => a.source.name))).toEqual(new Set(['Corporate Directory']))
    // The badge changes are still to apply.
    expect(runCli(['-w', dir, 'plan', '--source', 'Badge System']).stdout).toMatch(/on "Badge System"/)
    expect(runCli(['-w', dir, 'apply', '--source', 'Nowhere']).status).not.toBe(0)
    expect(runCli(['-w', dir, 'activities', '--status', 'canceled']).status).toBe(0)
  })
})
