import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { Client } from 'ldapts'
import { InputError } from '../../domain/errors.js'
import { escapeDnValue } from './escape-dn.js'

/**
 * A local OpenLDAP server for the demo, tests and benchmarks: its whole configuration (cn=config, made
 * with slapadd) and its data live in one folder; nothing under /etc is touched. It needs the Debian
 * `slapd` package. Base `dc=example,dc=com` with `ou=people` and `ou=groups`.
 */
export const SLAPD = '/usr/sbin/slapd'
const SLAPADD = '/usr/sbin/slapadd'

export const LOCAL_LDAP_BASE = 'dc=example,dc=com'
export const LOCAL_LDAP_ADMIN = `cn=admin,${LOCAL_LDAP_BASE}`

export function slapdInstalled(): boolean {
  return existsSync(SLAPD) && existsSync(SLAPADD)
}

/** Writes the server's configuration into `dir` (slapd.d, data) unless it is there already. */
export function configureSlapd(dir: string, adminPassword: string): void {
  if (existsSync(join(dir, 'slapd.d', 'cn=config.ldif'))) return
  mkdirSync(join(dir, 'slapd.d'), { recursive: true })
  mkdirSync(join(dir, 'data'), { recursive: true })
  const ldif = join(dir, 'config.ldif')
  writeFileSync(ldif, configLdif(dir, adminPassword), { mode: 0o600 })
  const added = spawnSync(SLAPADD, ['-n', '0', '-F', join(dir, 'slapd.d'), '-l', ldif])
  if (added.status !== 0) throw new Error(`slapadd failed: ${added.stderr.toString()}`)
}

// The root password sits in cn=config (readable by nobody over LDAP: olcAccess to * by * none).
function configLdif(dir: string, adminPassword: string): string {
  return `dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: ${join(dir, 'slapd.pid')}
olcLogLevel: none

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: /usr/lib/ldap
olcModuleLoad: back_mdb

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file:///etc/ldap/schema/core.ldif
include: file:///etc/ldap/schema/cosine.ldif
include: file:///etc/ldap/schema/nis.ldif
include: file:///etc/ldap/schema/inetorgperson.ldif

dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend
olcSizeLimit: unlimited

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
olcAccess: {0}to * by * none

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcSuffix: ${LOCAL_LDAP_BASE}
olcDbDirectory: ${join(dir, 'data')}
olcRootDN: ${LOCAL_LDAP_ADMIN}
olcRootPW: ${adminPassword}
olcDbMaxSize: 1073741824
olcDbIndex: objectClass eq
olcDbIndex: uid,cn,mail,member eq
olcAccess: {0}to * by * read
olcDbNoSync: TRUE
`
}

/**
 * Starts slapd on `url` with the configuration in `dir`. `foreground`: as this process's child (stopped
 * with the returned function; tests and benchmarks); otherwise as a daemon that outlives the command,
 * stopped by the pid in `dir/slapd.pid`.
 */
export async function startSlapd(
  dir: string,
  url: string,
  adminPassword: string,
  foreground: boolean,
): Promise<{ stop: () => Promise<void> }> {
  const args = ['-F', join(dir, 'slapd.d'), '-h', `${url}/`]
  let child: ChildProcess | undefined
  if (foreground) {
    child = spawn(SLAPD, ['-d', '0', ...args], { stdio: 'ignore' })
  } else {
    const started = spawnSync(SLAPD, args, { encoding: 'utf8' })
    if (started.status !== 0) throw new Error(`slapd did not start: ${started.stderr.trim()}`)
  }
  await waitForBind(url, adminPassword)
  let stopped = false
  return {
    async stop() {
      if (stopped) return
      stopped = true
      if (child) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGTERM')
        await exited
      } else await stopSlapd(dir)
    },
  }
}

async function waitForBind(url: string, adminPassword: string): Promise<void> {
  for (let i = 0; ; i++) {
    const client = new Client({ url, timeout: 2000, connectTimeout: 1000 })
    try {
      await client.bind(LOCAL_LDAP_ADMIN, adminPassword)
      return
    } catch (err) {
      if (i > 100) throw new Error(`slapd at ${url} does not answer: ${(err as Error).message}`)
      await sleep(50)
    } finally {
      await client.unbind().catch(() => undefined)
    }
  }
}

/** The pid of the daemon started from `dir`, when it is running. */
export function slapdPid(dir: string): number | undefined {
  const file = join(dir, 'slapd.pid')
  if (!existsSync(file)) return undefined
  const pid = Number(readFileSync(file, 'utf8').trim())
  try {
    process.kill(pid, 0)
    return pid
  } catch {
    return undefined
  }
}

/** Stops the daemon started from `dir` (by its pid) and waits until it is gone. */
export async function stopSlapd(dir: string): Promise<boolean> {
  const pid = slapdPid(dir)
  if (pid === undefined) return false
  process.kill(pid, 'SIGTERM')
  for (let i = 0; i < 200 && slapdPid(dir) !== undefined; i++) await sleep(50)
  if (slapdPid(dir) !== undefined) throw new InputError(`slapd (pid ${pid}) did not stop`)
  return true
}

/** The base entries (organisation, ou=people, ou=groups) and the named groups; returns the groups' DNs. */
export async function seedDirectory(
  url: string,
  adminPassword: string,
  groups: readonly string[],
): Promise<string[]> {
  const client = new Client({ url })
  await client.bind(LOCAL_LDAP_ADMIN, adminPassword)
  try {
    const base = LOCAL_LDAP_BASE
    await client.add(base, { objectClass: ['dcObject', 'organization'], dc: 'example', o: 'Example' })
    await client.add(`ou=people,${base}`, { objectClass: 'organizationalUnit', ou: 'people' })
    await client.add(`ou=groups,${base}`, { objectClass: 'organizationalUnit', ou: 'groups' })
    return await addLdapGroups(client, groups)
  } finally {
    await client.unbind()
  }
}

/** Adds groups under ou=groups (groupOfNames needs a member: a placeholder that is no account). */
export async function addLdapGroups(client: Client, names: readonly string[]): Promise<string[]> {
  const dns = names.map((n) => `cn=${escapeDnValue(n)},ou=groups,${LOCAL_LDAP_BASE}`)
  for (const [i, dn] of dns.entries()) {
    await client.add(dn, {
      objectClass: 'groupOfNames',
      cn: names[i] as string,
      member: `cn=placeholder,${LOCAL_LDAP_BASE}`,
    })
  }
  return dns
}
