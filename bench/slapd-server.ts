import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { Client } from 'ldapts'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Whether OpenLDAP's slapd is installed (CI installs it; PROVISIO_REQUIRE_LDAP=1 makes its absence an error). */
export const hasSlapd = existsSync('/usr/sbin/slapd')
if (!hasSlapd && process.env['PROVISIO_REQUIRE_LDAP'] === '1') {
  throw new Error('PROVISIO_REQUIRE_LDAP=1 but slapd is not installed')
}

export const LDAP_BASE = 'dc=example,dc=com'
export const LDAP_ADMIN = `cn=admin,${LDAP_BASE}`
export const LDAP_PASSWORD = 'secret'

let nextPort = 38900 + Math.floor(Math.random() * 500)

/**
 * A throwaway OpenLDAP server (cn=config made with slapadd; nothing under /etc is touched), in the
 * foreground as our child so it is stopped by its pid. Base dc=example,dc=com with ou=people, ou=groups.
 */
export async function startSlapd(): Promise<{ url: string; dir: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'provisio-slapd-'))
  const port = nextPort++
  mkdirSync(`${dir}/slapd.d`)
  mkdirSync(`${dir}/data`)
  writeFileSync(
    `${dir}/config.ldif`,
    `dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: ${dir}/slapd.pid
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
olcSuffix: ${LDAP_BASE}
olcDbDirectory: ${dir}/data
olcRootDN: ${LDAP_ADMIN}
olcRootPW: ${LDAP_PASSWORD}
olcDbMaxSize: 1073741824
olcDbIndex: objectClass eq
olcDbIndex: uid,cn,mail,member eq
olcAccess: {0}to * by * read
olcDbNoSync: TRUE
`,
  )
  const added = spawnSync('/usr/sbin/slapadd', [
    '-n',
    '0',
    '-F',
    `${dir}/slapd.d`,
    '-l',
    `${dir}/config.ldif`,
  ])
  if (added.status !== 0) throw new Error(`slapadd failed: ${added.stderr.toString()}`)
  const url = `ldap://127.0.0.1:${port}`
  const slapd: ChildProcess = spawn('/usr/sbin/slapd', ['-d', '0', '-F', `${dir}/slapd.d`, '-h', `${url}/`], {
    stdio: 'ignore',
  })
  const client = new Client({ url, timeout: 2000, connectTimeout: 1000 })
  for (let i = 0; ; i++) {
    try {
      await client.bind(LDAP_ADMIN, LDAP_PASSWORD)
      break
    } catch (err) {
      await client.unbind().catch(() => undefined)
      if (i > 100) throw err
      await sleep(50)
    }
  }
  try {
    await client.add(LDAP_BASE, { objectClass: ['dcObject', 'organization'], dc: 'example', o: 'Example' })
    await client.add(`ou=people,${LDAP_BASE}`, { objectClass: 'organizationalUnit', ou: 'people' })
    await client.add(`ou=groups,${LDAP_BASE}`, { objectClass: 'organizationalUnit', ou: 'groups' })
  } finally {
    await client.unbind()
  }
  let stopped = false
  return {
    url,
    dir,
    async stop() {
      if (stopped) return
      stopped = true
      const exited = new Promise((resolve) => slapd.once('exit', resolve))
      slapd.kill('SIGTERM')
      await exited
    },
  }
}

/** Adds groups (groupOfNames needs a member: a placeholder that is no account). */
export async function addGroups(url: string, names: readonly string[]): Promise<string[]> {
  const client = new Client({ url })
  await client.bind(LDAP_ADMIN, LDAP_PASSWORD)
  try {
    const dns = names.map((n) => `cn=${n},ou=groups,${LDAP_BASE}`)
    for (const [i, dn] of dns.entries()) {
      await client.add(dn, {
        objectClass: 'groupOfNames',
        cn: names[i] as string,
        member: `cn=placeholder,${LDAP_BASE}`,
      })
    }
    return dns
  } finally {
    await client.unbind()
  }
}

/**
 * A workspace source file for an LDAP source on such a server: accounts under ou=people (uid, cn, sn,
 * mail, employeeNumber), groups under ou=groups, the password from `passwordEnv`. `more` is appended
 * (e.g. provisioning policies).
 */
export function ldapSourceYaml(options: {
  url: string
  passwordEnv: string
  correlateBy: 'uid' | 'employeeNumber'
  concurrency?: number
  more?: string
}): string {
  return `name: LDAP
connectionType: direct
connector: ldap
features: [PROVISIONING, ENABLE]
concurrency: ${options.concurrency ?? 8}
connectorAttributes:
  url: ${options.url}
  bindDn: ${LDAP_ADMIN}
  password: \${env:${options.passwordEnv}}
  accountBase: ou=people,${LDAP_BASE}
  groupBase: ou=groups,${LDAP_BASE}
schemas:
  - identityAttribute: uid
    displayAttribute: cn
    attributes:
      - { name: uid }
      - { name: cn }
      - { name: sn }
      - { name: mail }
      - { name: employeeNumber }
      - { name: groups, isMulti: true, isEntitlement: true }
accountCorrelationConfig:
  attributeAssignments:
    - { property: ${options.correlateBy}, value: ${options.correlateBy} }
${options.more ?? ''}`
}
