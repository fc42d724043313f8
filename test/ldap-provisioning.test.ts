import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Client } from 'ldapts'
import { afterEach, describe, expect, it } from 'vitest'
import { aggregateThenProcess } from '../src/engine/aggregate-then-process.js'
import { applyPlan } from '../src/engine/apply-plan.js'
import { executeDue } from '../src/engine/execution/execute-due.js'
import { planIdentities } from '../src/engine/plan-identities.js'
import { loadWorkspace } from '../src/engine/workspace/load-workspace.js'
import { countByStatus } from '../src/store/activities.js'
import { listEntitlements } from '../src/store/entitlements.js'
import { ensureSource } from '../src/store/sources.js'
import { openStore, type Store } from '../src/store/open-store.js'
import {
  addGroups,
  hasSlapd,
  LDAP_ADMIN,
  LDAP_BASE,
  LDAP_PASSWORD,
  ldapSourceYaml,
  startSlapd,
} from '../bench/slapd-server.js'
import { demoWorkspace } from './support/temp-workspace.js'
import { builtInConnectors } from '../src/connectors/built-in-connectors.js'

const ldapSource = (url: string): string =>
  ldapSourceYaml({
    url,
    passwordEnv: 'PROVISIO_TEST_LDAP_PASSWORD',
    correlateBy: 'uid',
    more: `provisioningPolicies:
  - name: LDAP Create Account
    usageType: CREATE
    fields:
      - { name: uid, transform: { type: identityAttribute, attributes: { name: uid } }, isRequired: true }
      - { name: cn, transform: { type: identityAttribute, attributes: { name: displayName } } }
      - { name: sn, transform: { type: identityAttribute, attributes: { name: lastname } } }
      - { name: mail, transform: { type: identityAttribute, attributes: { name: email } } }
      - { name: password, type: secret, transform: { type: rule, attributes: { name: Create Password } } }
`,
  })

describe.runIf(hasSlapd)('provisioning into a real OpenLDAP', () => {
  let store: Store | undefined
  let stop: (() => Promise<void>) | undefined
  afterEach(async () => {
    await store?.close()
    await stop?.()
  })

  it('creates the accounts the plan asks for, with group membership, and aggregates them back', async () => {
    const server = await startSlapd()
    stop = server.stop
    const [staff, unused] = (await addGroups(server.url, ['staff', 'unused'])) as [string, string]
    process.env['PROVISIO_TEST_LDAP_PASSWORD'] = LDAP_PASSWORD
    const { dir } = await demoWorkspace()
    writeFileSync(join(dir, 'sources/ldap.yaml'), ldapSource(server.url))
    writeFileSync(
      join(dir, 'access-profiles/ldap-staff.yaml'),
      `name: LDAP Staff\nsource: LDAP\nentitlements:\n  - { attribute: groups, value: "${staff}" }\n`,
    )
    const role = join(dir, 'roles/all-employees.yaml')
    writeFileSync(role, readFileSync(role, 'utf8') + '  - LDAP Staff\n')
    const config = await loadWorkspace(dir)
    store = await openStore({ workspaceDir: 'memory' })
    const ctx = { config, db: store.db, connectors: builtInConnectors(), now: () => new Date() }
    await aggregateThenProcess(ctx, 'HR')
    await aggregateThenProcess(ctx, 'LDAP')
    const applied = await applyPlan(ctx)
    expect(applied.errors).toEqual([])
    const result = await executeDue(ctx, { sources: ['LDAP'] })
    expect(result.failed).toBe(0)
    expect(result.finished).toBeGreaterThan(20)
    const counts = await countByStatus(ctx.db)
    expect(counts['FAILED'] ?? 0).toBe(0)

    const client = new Client({ url: server.url })
    await client.bind(LDAP_ADMIN, LDAP_PASSWORD)
    try {
      const people = await client.search(`ou=people,${LDAP_BASE}`, {
        scope: 'one',
        attributes: ['uid', 'userPassword'],
      })
      expect(people.searchEntries).toHaveLength(result.finished)
      // Each got a generated password, which the directory stores as a salted hash only.
      const stored = people.searchEntries.map((e) => String(e['userPassword']))
      expect(stored.every((p) => /^\{SSHA(512)?\}[A-Za-z0-9+/]+=*$/.test(p))).toBe(true)
      const group = await client.search(staff, { scope: 'base', attributes: ['member'] })
      expect(group.searchEntries[0]?.['member']).toHaveLength(result.finished + 1)
    } finally {
      await client.unbind()
    }
    // The directory shows what was provisioned: the copy stored at provisioning is what aggregation
    // reads (nothing "updated"), correlated, and nothing is left to plan there.
    const aggregated = await aggregateThenProcess(ctx, 'LDAP')
    expect(aggregated.accounts).toMatchObject({ created: 0, updated: 0, deleted: 0 })
    expect(aggregated.uncorrelated).toBe(0)
    expect((await planIdentities(ctx, { source: 'LDAP' })).items).toEqual([])
    // Entitlements come from the directory's groups, a group nobody holds included, named by its cn.
    const entitlements = await listEntitlements(ctx.db, await ensureSource(ctx.db, 'LDAP'))
    expect(entitlements.map((e) => [e.value, e.displayName])).toEqual(
      expect.arrayContaining([
        [staff, 'staff'],
        [unused, 'unused'],
      ]),
    )
  })
})
