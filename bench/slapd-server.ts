import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Client } from 'ldapts'
import {
  addLdapGroups,
  configureSlapd,
  LOCAL_LDAP_ADMIN,
  LOCAL_LDAP_BASE,
  seedDirectory,
  slapdInstalled,
  startSlapd as startLocalSlapd,
} from '../src/demo/local-slapd.js'

/** Whether OpenLDAP's slapd is installed (CI installs it; PROVISIO_REQUIRE_LDAP=1 makes its absence an error). */
export const hasSlapd = slapdInstalled()
if (!hasSlapd && process.env['PROVISIO_REQUIRE_LDAP'] === '1') {
  throw new Error('PROVISIO_REQUIRE_LDAP=1 but slapd is not installed')
}

export const LDAP_BASE = LOCAL_LDAP_BASE
export const LDAP_ADMIN = LOCAL_LDAP_ADMIN
export const LDAP_PASSWORD = 'secret'

let nextPort = 38900 + Math.floor(Math.random() * 500)

/** A throwaway OpenLDAP server in a temporary folder, as our child so it is stopped by its pid. */
export async function startSlapd(): Promise<{ url: string; dir: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'provisio-slapd-'))
  configureSlapd(dir, LDAP_PASSWORD)
  const url = `ldap://127.0.0.1:${nextPort++}`
  const server = await startLocalSlapd(dir, url, LDAP_PASSWORD, true)
  const stop = async (): Promise<void> => {
    await server.stop()
    rmSync(dir, { recursive: true, force: true })
  }
  try {
    await seedDirectory(url, LDAP_PASSWORD, [])
  } catch (err) {
    await stop()
    throw err
  }
  return { url, dir, stop }
}

/** Adds groups (groupOfNames needs a member: a placeholder that is no account). */
export async function addGroups(url: string, names: readonly string[]): Promise<string[]> {
  const client = new Client({ url })
  await client.bind(LDAP_ADMIN, LDAP_PASSWORD)
  try {
    return await addLdapGroups(client, names)
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
owner: { type: IDENTITY, name: james.wilson }
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
