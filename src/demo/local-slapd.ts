import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { Client } from 'ldapts'
import { InputError } from '../domain/errors.js'
import { hashPassword } from '../connectors/password-hash.js'
import { escapeDnValue } from '../connectors/ldap/escape-dn.js'

/**
 * A local OpenLDAP server for the demo, tests and benchmarks: its whole configuration (cn=config, made
 * with slapadd) and its data live in one folder; nothing under /etc is touched. It needs the Debian
 * `slapd` package. Base `dc=example,dc=com` with `ou=people` and `ou=groups`.
 *
 * Secured as a directory should be: entries are read only by a bound user, `userPassword` by nobody (it
 * serves binds only), cleartext passwords are hashed by the server (ppolicy's olcPPolicyHashCleartext),
 * the admin's password is in the configuration as a salted hash, and no setup file is left behind.
 */
export const SLAPD = '/usr/sbin/slapd'
const SLAPADD = '/usr/sbin/slapadd'
const MODULES = '/usr/lib/ldap'

export const LOCAL_LDAP_BASE = 'dc=example,dc=com'
export const LOCAL_LDAP_ADMIN = `cn=admin,${LOCAL_LDAP_BASE}`

export function slapdInstalled(): boolean {
  return existsSync(SLAPD) && existsSync(SLAPADD)
}

/** SHA-512 password hashes need the pw-sha2 module (in Debian's slapd package since OpenLDAP 2.5). */
function hasSha2(): boolean {
  return existsSync(join(MODULES, 'pw-sha2.la')) || existsSync(join(MODULES, 'pw-sha2.so'))
}

/**
 * Writes the server's configuration into `dir`/slapd.d, replacing any there (the data in `dir`/data is
 * kept). It is made from the folder's absolute path each time, so the server starts from any current
 * folder and after the folder was moved. The LDIF goes to slapadd through a pipe: no file holds it.
 */
export function configureSlapd(dir: string, adminPassword: string): void {
  const root = resolve(dir)
  mkdirSync(join(root, 'data'), { recursive: true, mode: 0o700 })
  // An earlier version left its setup LDIF here, the admin password in it.
  rmSync(join(root, 'config.ldif'), { force: true })
  const fresh = join(root, 'slapd.d.new')
  rmSync(fresh, { recursive: true, force: true })
  mkdirSync(fresh, { mode: 0o700 })
  const added = spawnSync(SLAPADD, ['-n', '0', '-F', fresh], {
    input: configLdif(root, adminPassword),
    encoding: 'utf8',
  })
  if (added.status !== 0) {
    rmSync(fresh, { recursive: true, force: true })
    throw new InputError(`slapadd could not write slapd's configuration: ${added.stderr.trim()}`)
  }
  rmSync(join(root, 'slapd.d'), { recursive: true, force: true })
  renameSync(fresh, join(root, 'slapd.d'))
}

function configLdif(root: string, adminPassword: string): string {
  const sha2 = hasSha2()
  const scheme = sha2 ? 'SSHA512' : 'SSHA'
  return `dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: ${join(root, 'slapd.pid')}
olcLogLevel: none

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: ${MODULES}
olcModuleLoad: back_mdb
olcModuleLoad: ppolicy
${sha2 ? 'olcModuleLoad: pw-sha2\n' : ''}
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
olcPasswordHash: {${scheme}}
olcAccess: {0}to dn.base="" by * read
olcAccess: {1}to dn.base="cn=Subschema" by * read

dn: olcDatabase={0}config,cn=config
objectClass: olcDatabaseConfig
olcDatabase: {0}config
olcAccess: {0}to * by * none

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcSuffix: ${LOCAL_LDAP_BASE}
olcDbDirectory: ${join(root, 'data')}
olcRootDN: ${LOCAL_LDAP_ADMIN}
olcRootPW: ${hashPassword(scheme, adminPassword)}
olcDbMaxSize: 1073741824
olcDbIndex: objectClass eq
olcDbIndex: uid,cn,mail,member eq
olcAccess: {0}to attrs=userPassword by self =xw by anonymous auth by * none
olcAccess: {1}to * by users read by * none
olcDbNoSync: TRUE

dn: olcOverlay={0}ppolicy,olcDatabase={1}mdb,cn=config
objectClass: olcOverlayConfig
objectClass: olcPPolicyConfig
olcOverlay: {0}ppolicy
olcPPolicyHashCleartext: TRUE
`
}

/**
 * Starts slapd on `url` with the configuration in `dir`. `foreground`: as this process's child (stopped
 * with the returned function; tests and benchmarks); otherwise detached, outliving the command, stopped
 * by the pid in `dir/slapd.pid`, its messages in `dir/slapd.log`. Either way slapd runs with `-d none`,
 * which keeps it attached to its stderr: when it does not start, its own message says why.
 */
export async function startSlapd(
  dir: string,
  url: string,
  adminPassword: string,
  foreground: boolean,
): Promise<{ stop: () => Promise<void> }> {
  const root = resolve(dir)
  const args = ['-d', 'none', '-F', join(root, 'slapd.d'), '-h', `${url}/`]
  let child: ChildProcess
  let output: () => string
  if (foreground) {
    child = spawn(SLAPD, args, { stdio: ['ignore', 'ignore', 'pipe'] })
    let text = ''
    // Only the last few lines matter; a long-running server must not grow this without end.
    child.stderr?.on('data', (chunk: Buffer) => void (text = (text + chunk.toString('utf8')).slice(-8192)))
    output = () => text
  } else {
    const log = join(root, 'slapd.log')
    const fd = openSync(log, 'w', 0o600)
    try {
      child = spawn(SLAPD, args, { detached: true, stdio: ['ignore', fd, fd] })
    } finally {
      closeSync(fd)
    }
    child.unref()
    output = () => (existsSync(log) ? readFileSync(log, 'utf8') : '')
  }
  const exited = new Promise<number | null>((resolveExit) => {
    child.once('exit', (code) => resolveExit(code))
    child.once('error', () => resolveExit(null))
  })
  try {
    await waitForBind(url, adminPassword, exited)
  } catch (err) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
    const said = slapdMessages(output())
    throw new InputError(
      `slapd did not start at ${url}${said ? `: ${said}` : ''} (${(err as Error).message})`,
      { cause: err },
    )
  }
  let stopped = false
  return {
    async stop() {
      if (stopped) return
      stopped = true
      if (foreground) {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
        await exited
      } else await stopSlapd(root)
    },
  }
}

/** slapd's lines without their timestamp and thread prefix, and without the banner. */
function slapdMessages(text: string): string {
  return text
    .split('\n')
    .map((l) => l.replace(/^[0-9a-f]+\.[0-9a-f]+ 0x[0-9a-f]+ /, '').trim())
    .filter((l) => l !== '' && !l.startsWith('@(#)') && !l.startsWith('Debian OpenLDAP'))
    .join('; ')
}

async function waitForBind(
  url: string,
  adminPassword: string,
  exited: Promise<number | null>,
): Promise<void> {
  // Whatever answers on the port meanwhile, slapd exiting ends the wait.
  const SLAPD_EXITED = 'slapd exited'
  const gone = exited.then((code) => {
    throw new Error(`${SLAPD_EXITED} with code ${code ?? 'unknown'}`)
  })
  gone.catch(() => undefined)
  for (let i = 0; ; i++) {
    const client = new Client({ url, timeout: 2000, connectTimeout: 1000 })
    try {
      await Promise.race([client.bind(LOCAL_LDAP_ADMIN, adminPassword), gone])
      return
    } catch (err) {
      if ((err as Error).message.startsWith(SLAPD_EXITED)) throw err
      if (i > 100) throw new Error(`it does not answer: ${(err as Error).message}`)
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
  if (!Number.isInteger(pid) || pid <= 0) return undefined
  try {
    process.kill(pid, 0)
  } catch {
    return undefined
  }
  // A pid file left by a slapd that was killed may name a process that reused the pid since.
  const cmdline = `/proc/${pid}/cmdline`
  if (existsSync('/proc/self') && !(existsSync(cmdline) && readFileSync(cmdline, 'utf8').includes('slapd'))) {
    return undefined
  }
  return pid
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
