import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import { InputError } from '../domain/errors.js'
import {
  configureSlapd,
  LOCAL_LDAP_ADMIN,
  LOCAL_LDAP_BASE,
  seedDirectory,
  slapdInstalled,
  slapdPid,
  startSlapd,
  stopSlapd,
} from './local-slapd.js'

/** Where a workspace keeps its local directory server, its admin password, and the server's URL. */
const LDAP_DIR = 'ldap'
const PASSWORD_FILE = 'secrets/ldap-admin'
const URL_FILE = 'ldap/url'

const LDAP_SOURCE = (url: string): string => `name: LDAP Directory
id: b5dfe3fbd928a39ebb27f198e14e0661
description: >-
  A real OpenLDAP directory on this machine (slapd), set up by \`provisio init --with-ldap\`; its
  configuration and data are in ldap/. \`provisio ldap start\` and \`provisio ldap stop\` run it.
owner: { type: IDENTITY, name: james.wilson }
connectionType: direct
connector: ldap
features: [PROVISIONING, ENABLE]
concurrency: 8
connectorAttributes:
  url: ${url}
  bindDn: ${LOCAL_LDAP_ADMIN}
  # A file reference, relative to the workspace: the password itself is never in the configuration.
  password: \${file:${PASSWORD_FILE}}
  # Passwords are sent as generated and hashed by the directory (slapd's ppolicy olcPPolicyHashCleartext).
  passwordHashing: server
  accountBase: ou=people,${LOCAL_LDAP_BASE}
  groupBase: ou=groups,${LOCAL_LDAP_BASE}
  groupsAttribute: groups
schemas:
  - name: account
    nativeObjectType: inetOrgPerson
    identityAttribute: uid
    displayAttribute: cn
    attributes:
      - { name: uid, type: STRING }
      - { name: cn, type: STRING }
      - { name: sn, type: STRING }
      - { name: givenName, type: STRING }
      - { name: mail, type: STRING }
      - { name: employeeNumber, type: STRING }
      - { name: departmentNumber, type: STRING }
      - { name: groups, type: STRING, isMulti: true, isEntitlement: true }
accountCorrelationConfig:
  attributeAssignments:
    - { property: employeeNumber, value: employeeNumber }
provisioningPolicies:
  - name: LDAP Create Account
    usageType: CREATE
    fields:
      - { name: uid, transform: { type: identityAttribute, attributes: { name: uid } }, isRequired: true }
      - name: employeeNumber
        transform: { type: identityAttribute, attributes: { name: employeeNumber } }
        isRequired: true
      - { name: cn, transform: { type: identityAttribute, attributes: { name: displayName } } }
      - { name: sn, transform: { type: identityAttribute, attributes: { name: lastname } } }
      - { name: givenName, transform: { type: identityAttribute, attributes: { name: firstname } } }
      - { name: mail, transform: { type: identityAttribute, attributes: { name: email } } }
      - name: departmentNumber
        transform: { type: identityAttribute, attributes: { name: department } }
      # Generated when the account is created, written to userPassword; never stored or printed.
      - name: password
        type: secret
        transform: { type: rule, attributes: { name: Create Password } }
        attributes: { length: 16, minSpecial: 1 }
attributeSyncConfig:
  attributes:
    - { name: displayName, enabled: true, target: cn }
    - { name: department, enabled: true, target: departmentNumber }
`

const accessProfile = (name: string, group: string, description: string): string => `name: ${name}
description: ${description}
owner: { type: IDENTITY, name: james.wilson }
source: LDAP Directory
entitlements:
  - { attribute: groups, value: "${group}" }
`

/**
 * `init --with-ldap`: adds a real OpenLDAP directory to a demo workspace — a slapd configured in
 * `ldap/` and started as a daemon on a free local port, its admin password in `secrets/` (readable by
 * the owner only), an LDAP source, and access profiles granting its groups through the demo's roles.
 */
export async function addDemoLdap(dir: string): Promise<string[]> {
  if (!slapdInstalled()) {
    throw new InputError(
      'init --with-ldap needs OpenLDAP (Debian/Ubuntu: apt-get install slapd ldap-utils); the demo works without it',
    )
  }
  mkdirSync(join(dir, 'secrets'), { recursive: true, mode: 0o700 })
  const password = randomBytes(18).toString('base64url')
  // No newline at the end: \`ldapsearch -y secrets/ldap-admin\` takes the whole file as the password.
  writeFileSync(join(dir, PASSWORD_FILE), password, { mode: 0o600 })
  const url = `ldap://127.0.0.1:${await freePort()}`
  configureSlapd(join(dir, LDAP_DIR), password)
  writeFileSync(join(dir, URL_FILE), `${url}\n`)
  await startSlapd(join(dir, LDAP_DIR), url, password, false)
  const [staff, operations] = (await seedDirectory(url, password, ['staff', 'operations'])) as [
    string,
    string,
  ]
  writeFileSync(join(dir, 'sources/ldap-directory.yaml'), LDAP_SOURCE(url))
  writeFileSync(
    join(dir, 'access-profiles/ldap-staff.yaml'),
    accessProfile('LDAP Staff', staff, 'An LDAP account in the staff group'),
  )
  writeFileSync(
    join(dir, 'access-profiles/ldap-operations.yaml'),
    accessProfile('LDAP Operations', operations, 'The LDAP operations group'),
  )
  appendAccessProfile(join(dir, 'roles/all-employees.yaml'), 'LDAP Staff')
  appendAccessProfile(join(dir, 'roles/operations-datacenter.yaml'), 'LDAP Operations')
  writeFileSync(join(dir, '.gitignore'), 'secrets/\nldap/\n', { flag: 'a' })
  return [
    'sources/ldap-directory.yaml',
    'access-profiles/ldap-staff.yaml',
    'access-profiles/ldap-operations.yaml',
    `${PASSWORD_FILE} (mode 600)`,
    `${LDAP_DIR}/ (slapd at ${url})`,
  ]
}

/** Adds an access profile to a role file's `accessProfiles` list (the last key of the demo's roles). */
function appendAccessProfile(file: string, name: string): void {
  const lines = readFileSync(file, 'utf8').split('\n')
  const at = lines.indexOf('accessProfiles:')
  if (at < 0) throw new Error(`${file}: no accessProfiles list`)
  let end = at + 1
  while (lines[end]?.startsWith('  - ')) end++
  lines.splice(end, 0, `  - ${name}`)
  writeFileSync(file, lines.join('\n'))
}

/** `provisio ldap start`: starts the workspace's directory server again (after a reboot, or a stop). */
export async function startDemoLdap(dir: string): Promise<string> {
  const { ldapDir, url, password } = demoLdap(dir)
  if (slapdPid(ldapDir) !== undefined) return `slapd is already running at ${url}`
  // Made again from where the workspace is now (it may have moved), with the admin password of secrets/.
  configureSlapd(ldapDir, password)
  await startSlapd(ldapDir, url, password, false)
  return `slapd started at ${url}`
}

/** `provisio ldap stop`: stops the workspace's directory server by its pid. */
export async function stopDemoLdap(dir: string): Promise<string> {
  const { ldapDir } = demoLdap(dir)
  return (await stopSlapd(ldapDir)) ? 'slapd stopped' : 'slapd was not running'
}

function demoLdap(workspace: string): { ldapDir: string; url: string; password: string } {
  const dir = resolve(workspace)
  const ldapDir = join(dir, LDAP_DIR)
  if (!existsSync(join(dir, URL_FILE))) {
    throw new InputError(`${dir} has no local directory server (create one with provisio init --with-ldap)`)
  }
  return {
    ldapDir,
    url: readFileSync(join(dir, URL_FILE), 'utf8').trim(),
    password: readFileSync(join(dir, PASSWORD_FILE), 'utf8').trim(),
  }
}

/** A TCP port nothing listens on now (the OS picks it). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}
