import { readFileSync } from 'node:fs'
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

  it('validate loads no queue, and a database only when the workspace has one (to check owners)', () => {
    const fresh = join(tempDir(), 'fresh')
    expect(runCli(['init', fresh]).status).toBe(0)
    const before = packagesLoadedBy(['-w', fresh, 'validate']).packages
    expect(before).toContain('zod')
    for (const p of ['@electric-sql/pglite', 'pg', 'pg-boss']) expect(before).not.toContain(p)
    const after = packagesLoadedBy(['-w', dir, 'validate']).packages
    expect(after).toContain('@electric-sql/pglite')
    for (const p of ['pg', 'pg-boss']) expect(after).not.toContain(p)
  })

  it('identities on the embedded database loads neither the PostgreSQL driver, the queue nor libphonenumber', () => {
    const { packages } = packagesLoadedBy(['-w', dir, 'identities'])
    expect(packages).toContain('@electric-sql/pglite')
    // libphonenumber's metadata is loaded only when a phone number is read, not to check the configuration;
    // the demo's schedules are checked with cron-parser, not by loading the queue.
    for (const p of ['pg', 'pg-boss', 'libphonenumber-js', '@opentelemetry/api']) {
      expect(packages).not.toContain(p)
    }
    expect(packages).toContain('cron-parser')
  })

  // PGlite writes the shared buffers it opens the database with into the folder's postgresql.conf.
  const buffers = (): string | undefined =>
    /^shared_buffers = (\S+)$/m.exec(
      readFileSync(join(dir, '.provisio', 'db', 'postgresql.conf'), 'utf8'),
    )?.[1]

  it('a brief command opens the database with small buffers, one that loads data with the default; PROVISIO_DB_BUFFERS decides', () => {
    const unset = { PROVISIO_DB_BUFFERS: '' }
    expect(runCli(['-w', dir, 'identities'], unset).status).toBe(0)
    expect(buffers()).toBe('16MB')
    expect(runCli(['-w', dir, 'aggregate', 'HR'], unset).status).toBe(0)
    expect(buffers()).toBe('512MB')
    expect(runCli(['-w', dir, 'identities'], { PROVISIO_DB_BUFFERS: '32MB' }).status).toBe(0)
    expect(buffers()).toBe('32MB')
    const bad = runCli(['-w', dir, 'plan'], { PROVISIO_DB_BUFFERS: '16 megs' })
    expect(bad.status).toBe(2)
    expect(bad.stderr).toBe(
      'provisio: PROVISIO_DB_BUFFERS must be a size from 128kB to 1GB, such as 16MB or 1GB (got "16 megs")\n',
    )
    // The workspace is not left locked.
    expect(runCli(['-w', dir, 'identities']).status).toBe(0)
  })
})
