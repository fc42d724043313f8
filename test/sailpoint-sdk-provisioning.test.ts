import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { aggregateThenProcess } from '../src/engine/aggregate-then-process.js'
import { applyPlan } from '../src/engine/apply-plan.js'
import { executeDue } from '../src/engine/execution/execute-due.js'
import { planIdentities } from '../src/engine/plan-identities.js'
import { loadWorkspace } from '../src/engine/workspace/load-workspace.js'
import { listAccounts } from '../src/store/accounts.js'
import { countByStatus } from '../src/store/activities.js'
import { listEntitlements } from '../src/store/entitlements.js'
import { listIdentities } from '../src/store/identities.js'
import { ensureSource } from '../src/store/sources.js'
import { openStore, type Store } from '../src/store/open-store.js'
import { CLI, spawnCli, type CliResult } from './support/run-cli.js'
import { startRestTarget, type RestTarget } from './support/rest-target-server.js'
import { demoWorkspace } from './support/temp-workspace.js'
import { builtInConnectors } from '../src/connectors/built-in-connectors.js'

const CONNECTOR = join(import.meta.dirname, 'fixtures/sdk-connectors/rest-users')
const TOKEN_ENV = 'PROVISIO_TEST_REST_TOKEN'
const TOKEN = 'rest-provisioning-token'

/** A source whose system is reached by the rest-users connector, an unmodified SailPoint SaaS connector. */
const restSource = (url: string): string => `name: REST Users
owner: { type: IDENTITY, name: it.admin }
connectionType: direct
connector: sailpoint-sdk
features: [PROVISIONING, ENABLE]
concurrency: 8
connectorAttributes:
  module: ${CONNECTOR}
  config:
    baseUrl: ${url}
    token: \${env:${TOKEN_ENV}}
  entitlementType: group
  groupsAttribute: groups
  timeoutMs: 30000
schemas:
  - identityAttribute: id
    displayAttribute: displayName
    attributes:
      - { name: id }
      - { name: displayName }
      - { name: mail }
      - { name: groups, isMulti: true, isEntitlement: true }
accountCorrelationConfig:
  attributeAssignments:
    - { property: uid, value: id }
provisioningPolicies:
  - name: REST Create Account
    usageType: CREATE
    fields:
      - { name: id, transform: { type: identityAttribute, attributes: { name: uid } }, isRequired: true }
      - { name: displayName, transform: { type: identityAttribute, attributes: { name: displayName } } }
      - { name: mail, transform: { type: identityAttribute, attributes: { name: email } } }
`

/** The demo workspace with the REST source, and an access profile on its `staff` group in the birthright role. */
async function workspaceWithRestSource(url: string): Promise<string> {
  const { dir } = await demoWorkspace()
  writeFileSync(join(dir, 'sources/rest-users.yaml'), restSource(url))
  writeFileSync(
    join(dir, 'access-profiles/rest-staff.yaml'),
    'name: REST Staff\nsource: REST Users\nentitlements:\n  - { attribute: groups, value: staff }\n',
  )
  const role = join(dir, 'roles/all-employees.yaml')
  writeFileSync(role, readFileSync(role, 'utf8') + '  - REST Staff\n')
  return dir
}

async function cli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<CliResult> {
  const child = spawnCli(args, env)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve))
  return { status, stdout, stderr }
}

describe('provisioning through a SailPoint SDK connector', () => {
  let store: Store | undefined
  let server: RestTarget | undefined
  afterEach(async () => {
    await store?.close()
    await server?.stop()
    store = undefined
    server = undefined
  })

  it('creates the accounts the plan asks for, with their group, and aggregates them back correlated', async () => {
    server = await startRestTarget({ token: TOKEN, groups: ['staff', 'admins'] })
    process.env[TOKEN_ENV] = TOKEN
    const config = await loadWorkspace(await workspaceWithRestSource(server.url))
    store = await openStore({ workspaceDir: 'memory' })
    const ctx = { config, db: store.db, connectors: builtInConnectors(), now: () => new Date() }
    await aggregateThenProcess(ctx, 'HR')
    await aggregateThenProcess(ctx, 'REST Users')
    const applied = await applyPlan(ctx)
    expect(applied.errors).toEqual([])
    const result = await executeDue(ctx, { sources: ['REST Users'] })
    expect(result.sourceErrors).toEqual([])
    expect(result.failed).toBe(0)
    expect(result.finished).toBeGreaterThan(20)
    expect((await countByStatus(ctx.db))['FAILED'] ?? 0).toBe(0)

    const users = [...server.users.values()]
    expect(users).toHaveLength(result.finished)
    expect(users.every((u) => u.groups.includes('staff'))).toBe(true)
    expect(users.every((u) => typeof u.attributes['mail'] === 'string')).toBe(true)

    // The system shows what was provisioned: the copy stored at provisioning is what aggregation reads
    // (nothing "updated"), correlated, and nothing is left to plan there.
    const aggregated = await aggregateThenProcess(ctx, 'REST Users')
    expect(aggregated.accounts).toMatchObject({ created: 0, updated: 0, deleted: 0 })
    expect(aggregated.accounts.unchanged).toBe(result.finished)
    expect(aggregated.uncorrelated).toBe(0)
    expect((await planIdentities(ctx, { source: 'REST Users' })).items).toEqual([])
  })

  it('an empty value the connector reports is no entitlement: nothing to remove, run after run', async () => {
    server = await startRestTarget({ token: TOKEN, groups: ['staff'] })
    process.env[TOKEN_ENV] = TOKEN
    const config = await loadWorkspace(await workspaceWithRestSource(server.url))
    store = await openStore({ workspaceDir: 'memory' })
    const ctx = { config, db: store.db, connectors: builtInConnectors(), now: () => new Date() }
    await aggregateThenProcess(ctx, 'HR')
    // A leaver (whose state removes all access) has an account without groups, which the connector
    // reports as `groups: [""]`, as unmodified connectors do.
    const leaver = (await listIdentities(ctx.db)).find((i) => i.lifecycleState === 'terminated')
    const uid = leaver?.attributes['uid'] as string
    expect(uid).toBeTruthy()
    server.users.set(uid, { id: uid, uuid: 'u-1', attributes: {}, groups: [''], disabled: true })
    const aggregated = await aggregateThenProcess(ctx, 'REST Users')
    expect(aggregated.correlated).toBe(1)
    const sourceId = await ensureSource(ctx.db, 'REST Users')
    const [account] = await listAccounts(ctx.db, { sourceId })
    expect(account?.attributes['groups']).toEqual([])
    expect((await listEntitlements(ctx.db, sourceId)).map((e) => e.value)).not.toContain('')
    const plan = await planIdentities(ctx, { identity: leaver?.id as string, source: 'REST Users' })
    expect(plan.items).toEqual([])
  })

  // The built CLI (`npm test` builds first): the connector's logs (pino, to fd 1) must not reach stdout.
  it.runIf(existsSync(join(CLI, '../../connectors/sailpoint-sdk/sailpoint-sdk-connector.js')))(
    'keeps the connector logs out of the CLI output',
    async () => {
      server = await startRestTarget({ token: TOKEN, groups: ['staff'] })
      const dir = await workspaceWithRestSource(server.url)
      server.users.set('jdoe', {
        id: 'jdoe',
        uuid: 'u-1',
        attributes: { displayName: 'J. Doe' },
        groups: [],
        disabled: false,
      })
      // Asynchronously: the REST target answers from this process.
      const r = await cli(['-w', dir, 'aggregate', 'REST Users', '--json'], { [TOKEN_ENV]: TOKEN })
      expect(r.stderr).toContain('"message":"listed accounts"')
      expect(r.status).toBe(0)
      const result = JSON.parse(r.stdout) as { accounts: { created: number } }
      expect(result.accounts.created).toBe(1)
    },
  )
})
