import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { Client } from 'ldapts'
import { afterEach, describe, expect, it } from 'vitest'
import { LdapConnector, ldapSettings } from '../../src/connectors/ldap/ldap-connector.js'
import { configureSlapd, startSlapd as startLocalSlapd } from '../../src/demo/local-slapd.js'
import { verifyPassword } from '../../src/connectors/password-hash.js'
import { hasSlapd, LDAP_ADMIN, LDAP_BASE, LDAP_PASSWORD, startSlapd } from '../../bench/slapd-server.js'
import { tempDir } from '../support/temp-workspace.js'

const PEOPLE = `ou=people,${LDAP_BASE}`
const hasLdapsearch = existsSync('/usr/bin/ldapsearch')

function connector(url: string, more: Record<string, unknown> = {}): LdapConnector {
  return new LdapConnector(
    ldapSettings('LDAP', {
      url,
      bindDn: LDAP_ADMIN,
      password: '${env:TEST_LDAP_PASSWORD}',
      accountBase: PEOPLE,
      ...more,
    }),
    { TEST_LDAP_PASSWORD: LDAP_PASSWORD },
  )
}

/** What `who` (a DN and password; anonymous without) reads of `base` with ldapts: the entries, or the error. */
async function read(url: string, base: string, who?: [string, string]) {
  const client = new Client({ url })
  try {
    if (who) await client.bind(...who)
    const { searchEntries } = await client.search(base, { scope: 'sub', attributes: ['*', 'userPassword'] })
    return searchEntries
  } catch (err) {
    return err as Error
  } finally {
    await client.unbind()
  }
}

async function canBind(url: string, dn: string, password: string): Promise<boolean> {
  const client = new Client({ url })
  try {
    await client.bind(dn, password)
    return true
  } catch {
    return false
  } finally {
    await client.unbind()
  }
}

/** userPassword as the directory stores it (the admin reads it; nobody else can). */
async function storedPassword(url: string, dn: string): Promise<string> {
  const entries = await read(url, dn, [LDAP_ADMIN, LDAP_PASSWORD])
  if (entries instanceof Error) throw entries
  const value = entries[0]?.['userPassword']
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value)
}

describe.runIf(hasSlapd)('the local OpenLDAP keeps its passwords secret', () => {
  let stop: (() => Promise<void>) | undefined
  afterEach(async () => {
    await stop?.()
    stop = undefined
  })

  it('shows nothing to an anonymous client, not even with ldapsearch, and userPassword to nobody', async () => {
    const server = await startSlapd()
    stop = server.stop
    const ldap = connector(server.url)
    await ldap.createAccount('jdoe', { uid: 'jdoe', cn: 'J Doe', password: 'Generated-Pw-1!' })
    await ldap.close()
    const dn = `uid=jdoe,${PEOPLE}`

    // Anonymous: no entry, no password (the base itself is hidden: "no such object").
    const anonymous = await read(server.url, LDAP_BASE)
    expect(anonymous instanceof Error ? [] : anonymous).toEqual([])
    if (hasLdapsearch) {
      const search = spawnSync(
        'ldapsearch',
        ['-x', '-LLL', '-H', server.url, '-b', LDAP_BASE, '(objectClass=*)', '*', 'userPassword'],
        {
          encoding: 'utf8',
        },
      )
      expect(search.stdout).not.toMatch(/userPassword|uid: jdoe/)
      expect(search.stdout + search.stderr).toMatch(/No such object|^$/)
    }
    // The user binds with the generated password, reads entries, but no userPassword, not even its own.
    expect(await canBind(server.url, dn, 'Generated-Pw-1!')).toBe(true)
    expect(await canBind(server.url, dn, 'Generated-Pw-2!')).toBe(false)
    const asUser = await read(server.url, PEOPLE, [dn, 'Generated-Pw-1!'])
    if (asUser instanceof Error) throw asUser
    expect(asUser.map((e) => e.dn)).toEqual([PEOPLE, dn])
    // (ldapts lists an attribute asked for and not returned with no values.)
    expect(asUser.flatMap((e) => [e['userPassword'] ?? []].flat())).toEqual([])
    // Stored hashed by the server (ppolicy's olcPPolicyHashCleartext), never as sent.
    const stored = await storedPassword(server.url, dn)
    expect(stored).not.toContain('Generated-Pw-1!')
    expect(stored).toMatch(/^\{SSHA(512)?\}/)
    expect(verifyPassword(stored, 'Generated-Pw-1!')).toBe(true)
  })

  it('keeps the admin password hashed in its configuration, and no setup file', async () => {
    const dir = tempDir('provisio-slapd-config-')
    configureSlapd(dir, 'Admin-Secret-42')
    const files = (d: string): string[] =>
      readdirSync(d, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(d, e.name)) : [join(d, e.name)],
      )
    const all = files(dir)
    expect(all).not.toContain(join(dir, 'config.ldif'))
    expect(all.filter((f) => readFileSync(f, 'latin1').includes('Admin-Secret-42'))).toEqual([])
    // LDIF folds long lines: a line that starts with a space continues the one before.
    const mdb = readFileSync(join(dir, 'slapd.d/cn=config/olcDatabase={1}mdb.ldif'), 'utf8').replace(
      /\n /g,
      '',
    )
    const rootPw = /^olcRootPW:: (\S+)$|^olcRootPW: (\S+)$/m.exec(mdb)
    const hash = rootPw?.[1] ? Buffer.from(rootPw[1], 'base64').toString('utf8') : (rootPw?.[2] ?? '')
    expect(verifyPassword(hash, 'Admin-Secret-42')).toBe(true)
    // Absolute paths: slapd finds its data and pid file whatever its current folder.
    expect(mdb).toContain(`olcDbDirectory: ${join(dir, 'data')}`)
  })

  it.each([
    ['ssha', /^\{SSHA\}/],
    ['ssha512', /^\{SSHA512\}/],
  ])(
    'with passwordHashing: %s, sends a hash the user can bind with, on create and on a change',
    async (hashing, scheme) => {
      const server = await startSlapd()
      stop = server.stop
      const ldap = connector(server.url, { passwordHashing: hashing })
      await ldap.createAccount('asmith', { uid: 'asmith', password: 'First-Pass-1!' })
      const dn = `uid=asmith,${PEOPLE}`
      const first = await storedPassword(server.url, dn)
      expect(first).toMatch(scheme)
      expect(verifyPassword(first, 'First-Pass-1!')).toBe(true)
      expect(await canBind(server.url, dn, 'First-Pass-1!')).toBe(true)
      const account = await ldap.updateAccount('asmith', [
        { op: 'Set', attribute: 'password', value: 'Second-Pass-2!' },
      ])
      expect(account.attributes).not.toHaveProperty('userPassword')
      await ldap.close()
      expect(await canBind(server.url, dn, 'Second-Pass-2!')).toBe(true)
      expect(await canBind(server.url, dn, 'First-Pass-1!')).toBe(false)
      expect(await storedPassword(server.url, dn)).toMatch(scheme)
    },
  )

  it('refuses passwordHashing: ad on a connection that is not encrypted, and an unknown scheme', () => {
    const base = { url: 'ldap://dc.example.com', bindDn: 'x', password: '${env:P}', accountBase: 'dc=x' }
    expect(() => ldapSettings('AD', { ...base, passwordHashing: 'ad' })).toThrow(
      /source AD: connectorAttributes.passwordHashing: ad needs an encrypted connection/,
    )
    expect(ldapSettings('AD', { ...base, passwordHashing: 'ad', startTls: true }).passwordHashing).toBe('ad')
    expect(() => ldapSettings('AD', { ...base, passwordHashing: 'md5' })).toThrow(
      /connectorAttributes.passwordHashing/,
    )
  })

  it("shows slapd's own message when it does not start", async () => {
    const dir = tempDir('provisio-slapd-busy-')
    configureSlapd(dir, 'x')
    const busy = createServer()
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve))
    const { port } = busy.address() as { port: number }
    try {
      await expect(startLocalSlapd(dir, `ldap://127.0.0.1:${port}`, 'x', true)).rejects.toThrow(
        /slapd did not start at ldap:\/\/127\.0\.0\.1:\d+: .*Address already in use/,
      )
    } finally {
      busy.close()
    }
  })
})
