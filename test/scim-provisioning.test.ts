import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { aggregateThenProcess } from '../src/engine/aggregate-then-process.js'
import { applyPlan } from '../src/engine/apply-plan.js'
import { executeDue } from '../src/engine/execution/execute-due.js'
import { planIdentities } from '../src/engine/plan-identities.js'
import { loadWorkspace } from '../src/engine/workspace/load-workspace.js'
import { countByStatus } from '../src/store/activities.js'
import { openStore, type Store } from '../src/store/open-store.js'
import { SCIM_TOKEN, startScimServer, type ScimServer } from '../bench/scim-server.js'
import { demoWorkspace } from './support/temp-workspace.js'
import { builtInConnectors } from '../src/connectors/built-in-connectors.js'

const TOKEN_ENV = 'PROVISIO_TEST_SCIM_TOKEN'

/** A SCIM source with the default attribute map, correlated by employee number. */
const scimSource = (url: string): string => `name: SCIM App
owner: { type: IDENTITY, name: it.admin }
connectionType: direct
connector: scim
features: [PROVISIONING, ENABLE]
connectorAttributes:
  baseUrl: ${url}
  auth: { type: bearer, token: "\${env:${TOKEN_ENV}}" }
  pageSize: 7
schemas:
  - identityAttribute: uid
    displayAttribute: displayName
    attributes:
      - { name: uid }
      - { name: id }
      - { name: displayName }
      - { name: givenName }
      - { name: familyName }
      - { name: mail }
      - { name: employeeNumber }
      - { name: groups, isMulti: true, isEntitlement: true }
accountCorrelationConfig:
  attributeAssignments:
    - { property: employeeNumber, value: employeeNumber }
provisioningPolicies:
  - name: SCIM Create Account
    usageType: CREATE
    fields:
      - { name: uid, transform: { type: identityAttribute, attributes: { name: uid } }, isRequired: true }
      - { name: displayName, transform: { type: identityAttribute, attributes: { name: displayName } } }
      - { name: givenName, transform: { type: identityAttribute, attributes: { name: firstname } } }
      - { name: familyName, transform: { type: identityAttribute, attributes: { name: lastname } } }
      - { name: mail, transform: { type: identityAttribute, attributes: { name: email } } }
      - { name: employeeNumber, transform: { type: identityAttribute, attributes: { name: employeeNumber } } }
      - { name: password, type: secret, transform: { type: rule, attributes: { name: Create Password } } }
`

describe('provisioning into a SCIM 2.0 service provider', () => {
  let store: Store | undefined
  let server: ScimServer | undefined
  afterEach(async () => {
    await store?.close()
    await server?.stop()
  })

  it('creates the accounts the plan asks for, with group membership, and aggregates them back', async () => {
    server = await startScimServer()
    const staff = server.addGroup('Staff')
    process.env[TOKEN_ENV] = SCIM_TOKEN
    const { dir } = await demoWorkspace()
    writeFileSync(join(dir, 'sources/scim-app.yaml'), scimSource(server.url))
    writeFileSync(
      join(dir, 'access-profiles/scim-staff.yaml'),
      `name: SCIM Staff\nsource: SCIM App\nentitlements:\n  - { attribute: groups, value: "${staff}" }\n`,
    )
    const role = join(dir, 'roles/all-employees.yaml')
    writeFileSync(role, readFileSync(role, 'utf8') + '  - SCIM Staff\n')
    const config = await loadWorkspace(dir)
    store = await openStore({ workspaceDir: 'memory' })
    const ctx = { config, db: store.db, connectors: builtInConnectors(), now: () => new Date() }
    await aggregateThenProcess(ctx, 'HR')
    await aggregateThenProcess(ctx, 'SCIM App')
    const applied = await applyPlan(ctx)
    expect(applied.errors).toEqual([])
    const result = await executeDue(ctx, { sources: ['SCIM App'] })
    expect(result.failed).toBe(0)
    expect(result.finished).toBeGreaterThan(20)
    const counts = await countByStatus(ctx.db)
    expect(counts['FAILED'] ?? 0).toBe(0)

    const users = server.users()
    expect(users).toHaveLength(result.finished)
    // The Create Account profile's password reached the server; the attribute map put the rest in place.
    expect(users.every((u) => typeof u['password'] === 'string' && u['password'] !== '')).toBe(true)
    expect(users.every((u) => Array.isArray(u['emails']) && (u['emails'] as unknown[]).length === 1)).toBe(
      true,
    )
    const members = server.groups().find((g) => g['id'] === staff)?.['members']
    expect(members).toHaveLength(result.finished)

    // The server shows what was provisioned: the copy stored at provisioning is what aggregation reads
    // (nothing "updated"), correlated, and nothing is left to plan there.
    const aggregated = await aggregateThenProcess(ctx, 'SCIM App')
    expect(aggregated.accounts).toMatchObject({ created: 0, updated: 0, deleted: 0 })
    expect(aggregated.accounts.unchanged).toBe(result.finished)
    expect(aggregated.uncorrelated).toBe(0)
    expect((await planIdentities(ctx, { source: 'SCIM App' })).items).toEqual([])
  })
})
