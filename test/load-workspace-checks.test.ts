import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { problemsOf } from './support/config-problems.js'
import { demoWorkspace } from './support/temp-workspace.js'

function edit(dir: string, file: string, from: string, to: string): void {
  const path = join(dir, file)
  const text = readFileSync(path, 'utf8')
  expect(text).toContain(from)
  writeFileSync(path, text.replace(from, to))
}

const leaf = (property: string, value = 'x', type = 'IDENTITY'): string =>
  `{ operation: EQUALS, key: { type: ${type}, property: ${property} }, stringValue: ${value} }`

describe('validate catches what a run would fail on', () => {
  it('checks role criteria with the planner’s rules, and names attributes no profile produces', async () => {
    const { dir } = await demoWorkspace()
    writeFileSync(
      join(dir, 'roles/criteria.yaml'),
      `- name: Unknown Operation
  membership:
    type: STANDARD
    criteria: { operation: MATCHES, key: { type: IDENTITY, property: department }, stringValue: x }
- name: Bad Key Type
  membership:
    type: STANDARD
    criteria: { operation: EQUALS, key: { type: GROUP, property: department }, stringValue: x }
- name: Empty And
  membership: { type: STANDARD, criteria: { operation: AND, children: [] } }
- name: Missing Value
  membership:
    type: STANDARD
    criteria: { operation: EQUALS, key: { type: IDENTITY, property: department } }
- name: Too Deep
  membership:
    type: STANDARD
    criteria:
      operation: AND
      children:
        - operation: OR
          children:
            - operation: AND
              children: [${leaf('department')}]
- name: Misspelt Attribute
  membership:
    type: STANDARD
    criteria:
      operation: OR
      children:
        - ${leaf('attribute.departmnet')}
        - { operation: EQUALS, key: { type: ACCOUNT, property: zone, sourceId: Badge System }, stringvalue: lobby }
`,
    )
    const role = (name: string): string => `roles/criteria.yaml | role "${name}" | membership.criteria`
    expect(await problemsOf(dir)).toEqual([
      `${role('Unknown Operation')}.operation | unknown operation "MATCHES"`,
      `${role('Bad Key Type')}.key.type | must be one of IDENTITY, ACCOUNT, ENTITLEMENT (got "GROUP")`,
      `${role('Empty And')}.children | required for AND (at least one child)`,
      `${role('Missing Value')}.stringValue | required for EQUALS`,
      `${role('Too Deep')}.children[0].children[0].children | too deep: at most 3 levels of criteria, including leaf nodes`,
      `${role('Misspelt Attribute')}.children[1].stringValue | required for EQUALS`,
      `${role('Misspelt Attribute')}.children[0].key.property | no identity profile produces identity attribute "departmnet", so this never matches (did you mean "department"?)`,
      `${role('Misspelt Attribute')}.children[1].stringvalue | unknown field (did you mean "stringValue"?)`,
      `${role('Misspelt Attribute')}.children[1].key.property | "zone" is not an attribute of source "Badge System"'s account schema, so this never matches (did you mean "zones"?)`,
    ])
  })

  it("checks an access profile's provisioning criteria against its source's account schema", async () => {
    const { dir } = await demoWorkspace()
    edit(
      dir,
      'access-profiles/lobby-access.yaml',
      'entitlements:',
      'provisioningCriteria:\n  operation: OR\n  children:\n    - { operation: HAS, attribute: zones, value: lobby }\n    - { operation: EQUALS, attribute: activ, value: "true" }\n    - { operation: AND, children: [] }\nentitlements:',
    )
    const ap = 'access-profiles/lobby-access.yaml | access profile "Lobby Access" | provisioningCriteria'
    expect(await problemsOf(dir)).toEqual([
      `${ap}.children[0].value | not allowed on HAS`,
      `${ap}.children[2].children | required for AND (at least one child)`,
      `${ap}.children[1].attribute | "activ" is not an attribute of source "Badge System"'s account schema, so this never matches (did you mean "active"?)`,
    ])
  })

  it("checks schedules' cron expressions with the scheduler's parser, and their time zones", async () => {
    const { dir } = await demoWorkspace()
    edit(dir, 'provisio.yaml', 'cron: "0 * * * *"', 'cron: "61 * * * *"')
    edit(dir, 'provisio.yaml', 'cron: "15 * * * *"', 'cron: "0 8 *"')
    edit(dir, 'provisio.yaml', 'cron: "0 8,20 * * *"', 'cron: "0 8 * * MON-FRY"\n    source: HR')
    expect(await problemsOf(dir)).toEqual([
      'provisio.yaml | workspace | schedules[2].source | a process schedule processes every identity: only an aggregate schedule names a source',
      'provisio.yaml | workspace | schedules[0].cron | "61 * * * *" is not a valid cron expression: Constraint error, got value 61 expected range 0-59',
      'provisio.yaml | workspace | schedules[1].cron | "0 8 *" has 3 fields: a cron expression has 5 (minute hour day-of-month month day-of-week)',
      'provisio.yaml | workspace | schedules[2].cron | "0 8 * * MON-FRY" is not a valid cron expression: Validation error, cannot resolve alias "fry"',
    ])

    const zoned = (await demoWorkspace()).dir
    edit(
      zoned,
      'provisio.yaml',
      '    runOnStart: true\n',
      '    runOnStart: true\n    timeZone: Europe/Pariss\n',
    )
    expect(await problemsOf(zoned)).toEqual([
      'provisio.yaml | workspace | schedules[0].timeZone | unknown time zone "Europe/Pariss": use an IANA name such as UTC or Europe/Paris',
    ])
  })

  it('requires every source to have an owner, and owners to be identities', async () => {
    const { dir } = await demoWorkspace()
    edit(dir, 'sources/badge-system.yaml', 'owner: { type: IDENTITY, name: james.lamarr }\n', '')
    edit(
      dir,
      'roles/all-employees.yaml',
      'owner: { type: IDENTITY, name: joan.goldwasser }',
      'owner: { type: GOVERNANCE_GROUP, name: HR Admins }',
    )
    edit(
      dir,
      'access-profiles/lobby-access.yaml',
      'owner: { type: IDENTITY, name: james.lamarr }',
      'owner: { type: IDENTITY }',
    )
    expect(await problemsOf(dir)).toEqual([
      'access-profiles/lobby-access.yaml | access profile "Lobby Access" | owner | needs a name or an id',
      'roles/all-employees.yaml | role "All Employees" | owner.type | an owner is an identity: type must be IDENTITY, not "GOVERNANCE_GROUP"',
      'sources/badge-system.yaml | source "Badge System" | owner | required: the identity who owns the source and receives its manual tasks, e.g. owner: { type: IDENTITY, name: jane.doe }',
    ])
  })

  it('reports a secret field nothing generates, and an SDK connector module that is not there', async () => {
    const { dir } = await demoWorkspace()
    edit(
      dir,
      'sources/corporate-directory.yaml',
      '        transform: { type: rule, attributes: { name: Create Password } }\n',
      '',
    )
    writeFileSync(
      join(dir, 'sources/rest.yaml'),
      `name: REST
owner: james.wilson
connectionType: direct
connector: sailpoint-sdk
connectorAttributes: { module: connectors/rest-users }
schemas:
  - identityAttribute: id
    attributes: [{ name: id }]
`,
    )
    expect(await problemsOf(dir)).toEqual([
      'sources/corporate-directory.yaml | source "Corporate Directory" | provisioningPolicies[0].fields[5].transform | a secret field needs a transform that generates it, e.g. the rule Create Password',
      'sources/rest.yaml | source "REST" | connectorAttributes.module | no connector at connectors/rest-users (a bundle file, or a folder with package.json "main", dist/index.js or index.js)',
    ])
  })
})
