import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { CLI_TEST_TIMEOUT, runCli } from './support/run-cli.js'
import { packagesLoadedBy } from './support/loaded-modules.js'
import { tempDir } from './support/temp-workspace.js'

// What each command loads, not how long it takes: a command pays only for what it uses.
describe('provisio start-up', { timeout: CLI_TEST_TIMEOUT }, () => {
  const dir = join(tempDir(), 'ws')

  beforeAll(() => {
    expect(runCli(['init', dir]).status).toBe(0)
    expect(runCli(['-w', dir, 'aggregate', 'HR']).status).toBe(0)
  }, CLI_TEST_TIMEOUT)

  it('--help loads no command, database, connector or queue', () => {
    const { packages } = packagesLoadedBy(['--help'])
    expect([...packages]).toEqual(['commander'])
  })

  it('validate of a workspace without a store opens no database and loads no database driver or queue', () => {
    // A workspace with a store has its owners checked against the store's identities (that opens it).
    const fresh = join(tempDir(), 'fresh')
    expect(runCli(['init', fresh]).status).toBe(0)
    const { packages, packageModules } = packagesLoadedBy(['-w', fresh, 'validate'])
    expect(packages).toContain('zod')
    for (const p of ['@electric-sql/pglite', 'pg']) expect(packages).not.toContain(p)
    expect(packageModules).not.toContain('pg-boss/dist/index.js')
  })

  it('identities on the embedded database loads neither the PostgreSQL driver, the queue nor libphonenumber', () => {
    const { packages, packageModules } = packagesLoadedBy(['-w', dir, 'identities'])
    expect(packages).toContain('@electric-sql/pglite')
    // The demo has no e164phone transform: libphonenumber's metadata is not needed to check it.
    for (const p of ['pg', 'libphonenumber-js', '@opentelemetry/api']) expect(packages).not.toContain(p)
    // The demo's schedules are checked by pg-boss's own cron reading (its Timekeeper), not by the queue.
    expect(packageModules).toContain('pg-boss/dist/timekeeper.js')
    expect(packageModules).not.toContain('pg-boss/dist/index.js')
  })
})
