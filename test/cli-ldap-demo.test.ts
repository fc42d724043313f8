import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, renameSync, statSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { hasSlapd } from '../bench/slapd-server.js'
import { CLI, CLI_TEST_TIMEOUT, runCli } from './support/run-cli.js'

/** The CLI run from another current folder. */
function runCliIn(cwd: string, args: readonly string[]) {
  return spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '' },
    timeout: 120_000,
  })
}

function ldapsearch(url: string, args: readonly string[]) {
  return spawnSync('ldapsearch', ['-x', '-LLL', '-o', 'ldif-wrap=no', '-H', url, ...args], {
    encoding: 'utf8',
  })
}

// Each test runs a dozen CLI processes and starts slapd: its limit is the CLI's.
describe.runIf(hasSlapd)('provisio init --with-ldap', { timeout: CLI_TEST_TIMEOUT }, () => {
  let dir: string | undefined
  afterEach(() => {
    if (dir) runCli(['-w', dir, 'ldap', 'stop'])
  })

  it('sets up a real directory the demo provisions into, and stops and starts it', () => {
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

    expect(runCli([...w, 'ldap', 'stop']).stdout).toBe('slapd stopped\n')
    const down = runCli([...w, 'source', 'test', 'LDAP Directory'])
    expect(down.status).toBe(7)
    expect(runCli([...w, 'ldap', 'start']).stdout).toMatch(/^slapd started at ldap:\/\/127\.0\.0\.1:\d+/)
    expect(runCli([...w, 'source', 'test', 'LDAP Directory']).status).toBe(0)

    // Secrets at rest: anonymous clients see nothing; the people's passwords are stored hashed; no setup
    // file holds the admin password.
    const url = readFileSync(join(dir, 'ldap/url'), 'utf8').trim()
    const anonymous = ldapsearch(url, ['-b', 'dc=example,dc=com', '(objectClass=*)', '*', 'userPassword'])
    expect(anonymous.stdout).toBe('')
    expect(anonymous.stderr).toMatch(/No such object/)
    const admin = ['-D', 'cn=admin,dc=example,dc=com', '-y', join(dir, 'secrets/ldap-admin')]
    const people = ldapsearch(url, [...admin, '-b', 'ou=people,dc=example,dc=com', '(uid=*)', 'userPassword'])
    expect(people.status, people.stderr).toBe(0)
    const passwords = [...people.stdout.matchAll(/^userPassword:: (\S+)$/gm)].map((m) =>
      Buffer.from(m[1] as string, 'base64').toString('utf8'),
    )
    expect(passwords.length).toBe(activities.length)
    expect(passwords.every((p) => /^\{SSHA(512)?\}/.test(p))).toBe(true)
    expect(existsSync(join(dir, 'ldap/config.ldif'))).toBe(false)
  })

  it("starts after the workspace moved, from any folder, and shows slapd's own message when it cannot", async () => {
    dir = join(mkdtempSync(join(tmpdir(), 'provisio-ldap-busy-')), 'ws')
    expect(runCli(['init', dir, '--with-ldap']).status).toBe(0)
    expect(runCli(['-w', dir, 'ldap', 'stop']).stdout).toBe('slapd stopped\n')
    // Something else took the directory's port meanwhile.
    const port = Number(/:(\d+)$/.exec(readFileSync(join(dir, 'ldap/url'), 'utf8').trim())?.[1])
    const busy = createServer()
    await new Promise<void>((resolve) => busy.listen(port, '127.0.0.1', resolve))
    try {
      const r = runCli(['-w', dir, 'ldap', 'start'])
      expect(r.status).not.toBe(0)
      expect(r.stderr).toMatch(/slapd did not start at ldap:\/\/127\.0\.0\.1:\d+: .*Address already in use/)
    } finally {
      await new Promise((resolve) => busy.close(resolve))
    }

    // The workspace moves: the server starts from its new place, whatever the current folder.
    const moved = join(dirname(dir), 'moved-ws')
    renameSync(dir, moved)
    dir = moved
    const started = runCliIn('/', ['-w', moved, 'ldap', 'start'])
    expect(started.stderr).toBe('')
    expect(started.stdout).toMatch(/^slapd started at/)
    expect(runCliIn(dirname(moved), ['-w', 'moved-ws', 'source', 'test', 'LDAP Directory']).status).toBe(0)
    expect(runCliIn(dirname(moved), ['-w', 'moved-ws', 'ldap', 'stop']).stdout).toBe('slapd stopped\n')
  })

  it('ldap commands in a workspace without a directory say how to make one', () => {
    const plain = join(mkdtempSync(join(tmpdir(), 'provisio-noldap-')), 'ws')
    expect(runCli(['init', plain]).status).toBe(0)
    const r = runCli(['-w', plain, 'ldap', 'start'])
    expect(r.status).not.toBe(0)
    expect(r.stderr).toContain('init --with-ldap')
  })
})
