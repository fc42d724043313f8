import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { hasSlapd } from '../bench/slapd-server.js'
import { CLI_TEST_TIMEOUT, runCli } from './support/run-cli.js'

// The first test runs a dozen CLI processes and starts slapd: its limit is the CLI's.
describe.runIf(hasSlapd)('provisio init --with-ldap', { timeout: CLI_TEST_TIMEOUT }, () => {
  let dir: string | undefined
  afterAll(() => {
    if (dir) runCli(['-w', dir, 'ldap', 'stop'])
  })

  it('sets up a real directory the demo provisions into', () => {
    dir = join(mkdtempSync(join(tmpdir(), 'provisio-ldap-demo-')), 'ws')
    const init = runCli(['init', dir, '--with-ldap'])
    expect(init.stderr).toBe('')
    expect(init.stdout).toContain('sources/ldap-directory.yaml')
    // The admin password is in a file only its owner reads, and the configuration refers to it.
    expect(statSync(join(dir, 'secrets/ldap-admin')).mode & 0o077).toBe(0)
    const source = readFileSync(join(dir, 'sources/ldap-directory.yaml'), 'utf8')
    expect(source).toContain('password: ${file:secrets/ldap-admin}')
    expect(source).not.toContain(readFileSync(join(dir, 'secrets/ldap-admin'), 'utf8').trim())

    const w = ['-w', dir]
    expect(runCli([...w, 'aggregate', 'HR']).status).toBe(0)
    const applied = runCli([...w, 'apply', '--wait'])
    expect(applied.status).toBe(0)
    const ldapActivities = runCli([...w, 'activities', '--source', 'LDAP Directory', '--json'])
    const activities = JSON.parse(ldapActivities.stdout) as { provisioningStatus: string }[]
    expect(activities.length).toBeGreaterThan(0)
    expect(new Set(activities.map((a) => a.provisioningStatus))).toEqual(new Set(['FINISHED']))

    const aggregated = runCli([...w, 'aggregate', 'LDAP Directory'])
    expect(aggregated.stdout).toMatch(/errors 0/)
    expect(runCli([...w, 'plan']).stdout).toMatch(/plan: 0 of \d+ identities change/)
  })

  it('stops and starts the directory of the workspace above', () => {
    const w = ['-w', dir as string]
    expect(runCli([...w, 'ldap', 'stop']).stdout).toBe('slapd stopped\n')
    const down = runCli([...w, 'source', 'test', 'LDAP Directory'])
    expect(down.status).toBe(7)
    expect(runCli([...w, 'ldap', 'start']).stdout).toMatch(/^slapd started at ldap:\/\/127\.0\.0\.1:\d+/)
    expect(runCli([...w, 'source', 'test', 'LDAP Directory']).status).toBe(0)
  })

  it('ldap commands in a workspace without a directory say how to make one', () => {
    const plain = join(mkdtempSync(join(tmpdir(), 'provisio-noldap-')), 'ws')
    expect(runCli(['init', plain]).status).toBe(0)
    const r = runCli(['-w', plain, 'ldap', 'start'])
    expect(r.status).not.toBe(0)
    expect(r.stderr).toContain('init --with-ldap')
  })
})
