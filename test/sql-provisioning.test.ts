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
import { sqlServerUrl, startSqlTestDatabase, type SqlTestDatabase } from './support/sql-test-database.js'
import { demoWorkspace } from './support/temp-workspace.js'
import { builtInConnectors } from '../src/connectors/built-in-connectors.js'

// The application database of the tests (test/support/sql-test-database.ts), described by a table mapping.
const APP_DB_SOURCE = `name: App DB
owner: { type: IDENTITY, name: it.admin }
connectionType: direct
connector: sql
features: [PROVISIONING, ENABLE]
connectorAttributes:
  url: \${env:PROVISIO_TEST_SQL_URL}
  accounts:
    table: app.accounts
    idColumn: uid
    columns: { uid: uid, mail: mail, displayName: display_name, employeeNumber: employee_number }
    disabledColumn: disabled
  memberships: { table: app.memberships, accountColumn: uid, groupColumn: group_id }
  groups: { table: app.groups, idColumn: id, nameColumn: name }
schemas:
  - identityAttribute: uid
    displayAttribute: displayName
    attributes:
      - { name: uid }
      - { name: mail }
      - { name: displayName }
      - { name: employeeNumber }
      - { name: groups, isMulti: true, isEntitlement: true }
accountCorrelationConfig:
  attributeAssignments:
    - { property: uid, value: uid }
provisioningPolicies:
  - name: App DB Create Account
    usageType: CREATE
    fields:
      - { name: uid, transform: { type: identityAttribute, attributes: { name: uid } }, isRequired: true }
      - { name: displayName, transform: { type: identityAttribute, attributes: { name: displayName } } }
      - { name: mail, transform: { type: identityAttribute, attributes: { name: email } } }
      - { name: employeeNumber, transform: { type: identityAttribute, attributes: { name: employeeNumber } } }
`

describe.runIf(sqlServerUrl)('provisioning into a real PostgreSQL application database', () => {
  let store: Store | undefined
  let db: SqlTestDatabase | undefined
  afterEach(async () => {
    await store?.close()
    await db?.cleanup()
    delete process.env['PROVISIO_TEST_SQL_URL']
  })

  it('creates the accounts the plan asks for, with group membership, and aggregates them back', async () => {
    db = await startSqlTestDatabase()
    process.env['PROVISIO_TEST_SQL_URL'] = db.url
    const { dir } = await demoWorkspace()
    writeFileSync(join(dir, 'sources/app-db.yaml'), APP_DB_SOURCE)
    writeFileSync(
      join(dir, 'access-profiles/app-staff.yaml'),
      'name: App Staff\nsource: App DB\nentitlements:\n  - { attribute: groups, value: staff }\n',
    )
    const role = join(dir, 'roles/all-employees.yaml')
    writeFileSync(role, readFileSync(role, 'utf8') + '  - App Staff\n')
    const config = await loadWorkspace(dir)
    store = await openStore({ workspaceDir: 'memory' })
    const ctx = { config, db: store.db, connectors: builtInConnectors(), now: () => new Date() }
    await aggregateThenProcess(ctx, 'HR')
    await aggregateThenProcess(ctx, 'App DB')
    const applied = await applyPlan(ctx)
    expect(applied.errors).toEqual([])
    const result = await executeDue(ctx, { sources: ['App DB'] })
    expect(result.failed).toBe(0)
    expect(result.finished).toBeGreaterThan(20)
    expect((await countByStatus(ctx.db))['FAILED'] ?? 0).toBe(0)

    const accounts = await db.query('SELECT uid, mail, disabled FROM app.accounts')
    expect(accounts.rows).toHaveLength(result.finished)
    expect(accounts.rows.every((r) => typeof r['mail'] === 'string' && r['disabled'] === false)).toBe(true)
    const members = await db.query(`SELECT count(*)::int AS n FROM app.memberships WHERE group_id = 'staff'`)
    expect(members.rows[0]).toEqual({ n: result.finished })

    // The database shows what was provisioned: the copy stored at provisioning is what aggregation reads
    // (nothing "updated"), correlated, and nothing is left to plan there.
    const aggregated = await aggregateThenProcess(ctx, 'App DB')
    expect(aggregated.accounts).toMatchObject({ created: 0, updated: 0, deleted: 0 })
    expect(aggregated.uncorrelated).toBe(0)
    expect((await planIdentities(ctx, { source: 'App DB' })).items).toEqual([])
  })
})
