import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, formatConfigProblem } from '../src/domain/errors.js'
import { loadWorkspaceWithWarnings } from '../src/engine/workspace/load-workspace.js'
import { problemsOf } from './support/config-problems.js'
import { demoWorkspace } from './support/temp-workspace.js'

/** Replaces one text in a workspace file (it must be there: the demo is the fixture). */
function edit(dir: string, file: string, from: string, to: string): void {
  const path = join(dir, file)
  const text = readFileSync(path, 'utf8')
  expect(text).toContain(from)
  writeFileSync(path, text.replace(from, to))
}

describe('unknown configuration fields', () => {
  it('reports each misspelt field with its file, path and the nearest known name', async () => {
    const { dir } = await demoWorkspace()
    edit(dir, 'provisio.yaml', 'provisioning: review', 'provisoning: review')
    edit(dir, 'sources/hr.yaml', 'deleteThreshold: 20', 'deleteTreshold: 20')
    edit(dir, 'sources/hr.yaml', 'delimiter: ","', 'delimeter: ";"')
    edit(
      dir,
      'identity-profiles/employees.yaml',
      `    priority: 50
    accountActions:`,
      `    priority: 50
    accountAction:`,
    )
    edit(
      dir,
      'identity-profiles/employees.yaml',
      'removeAllAccessEnabled: true',
      'removeAllAccessEnable: true',
    )
    edit(dir, 'roles/operations-datacenter.yaml', 'membership:', 'membershp:')
    const problems = await problemsOf(dir)
    expect(problems).toEqual(
      expect.arrayContaining([
        'provisio.yaml | workspace | provisoning | unknown field (did you mean "provisioning"?)',
        'sources/hr.yaml | source "HR" | deleteTreshold | unknown field (did you mean "deleteThreshold"?)',
        'sources/hr.yaml | source "HR" | connectorAttributes.delimeter | unknown field (did you mean "delimiter"?)',
        'identity-profiles/employees.yaml | identity profile "Employees" | lifecycleStates[4].accountAction | unknown field (did you mean "accountActions"?)',
        'identity-profiles/employees.yaml | identity profile "Employees" | lifecycleStates[4].accessActionConfiguration.removeAllAccessEnable | unknown field (did you mean "removeAllAccessEnabled"?)',
        'roles/operations-datacenter.yaml | role "Operations Datacenter" | membershp | unknown field (did you mean "membership"?)',
      ]),
    )
    expect(problems).toHaveLength(6)
  })

  it('checks nested and strict objects and every connector the same way', async () => {
    const { dir } = await demoWorkspace()
    edit(
      dir,
      'sources/corporate-directory.yaml',
      'concurrency: 8',
      'concurrency: 8\nretryPolicies: { ROLES: { maxAttempts: 2 }, ROLE: { maxAtempts: 2 } }',
    )
    edit(dir, 'sources/corporate-directory.yaml', 'idAttribute: uid', 'idAttribut: uid')
    edit(
      dir,
      'sources/badge-system.yaml',
      '{ name: zones, type: STRING, isMulti: true',
      '{ name: zones, type: STRING, multi: true',
    )
    edit(dir, 'access-profiles/datacenter-access.yaml', 'approvalSchemes:', 'approvalScheme:')
    edit(dir, 'provisio.yaml', '    runOnStart: true\n', '    runOnStart: true\n    timezone: UTC\n')
    const problems = await problemsOf(dir)
    expect(problems).toEqual([
      'provisio.yaml | workspace | schedules[0].timezone | unknown field (did you mean "timeZone"?)',
      'sources/badge-system.yaml | source "Badge System" | schemas[0].attributes[4].multi | unknown field (did you mean "isMulti"?)',
      'sources/corporate-directory.yaml | source "Corporate Directory" | retryPolicies.ROLES | unknown field (did you mean "ROLE"?)',
      'sources/corporate-directory.yaml | source "Corporate Directory" | retryPolicies.ROLE.maxAtempts | unknown field (did you mean "maxAttempts"?)',
      'access-profiles/datacenter-access.yaml | access profile "Datacenter Access" | accessRequestConfig.approvalScheme | unknown field (did you mean "approvalSchemes"?)',
      'sources/corporate-directory.yaml | source "Corporate Directory" | connectorAttributes.idAttribut | unknown field (did you mean "idAttribute"?)',
    ])
  })

  it('checks the campaign reports columns: a misspelt field, an attribute no profile produces, a repeat', async () => {
    const { dir } = await demoWorkspace()
    edit(
      dir,
      'provisio.yaml',
      'provisioning: review',
      'provisioning: review\ncampaignReportsConfig: { identityAttributeColumn: [department] }',
    )
    expect(await problemsOf(dir)).toEqual([
      'provisio.yaml | workspace | campaignReportsConfig.identityAttributeColumn | unknown field (did you mean "identityAttributeColumns"?)',
    ])
    edit(dir, 'provisio.yaml', 'identityAttributeColumn:', 'identityAttributeColumns:')
    edit(dir, 'provisio.yaml', '[department]', '[department, departmnt, Department]')
    expect(await problemsOf(dir)).toEqual([
      'provisio.yaml | workspace | campaignReportsConfig.identityAttributeColumns[1] | no identity profile produces identity attribute "departmnt" (did you mean "department"?)',
      'provisio.yaml | workspace | campaignReportsConfig.identityAttributeColumns[2] | "Department" is listed twice',
    ])
  })

  it("loads the reference's exported fields with a warning each, and warns about unknown field attributes", async () => {
    const { dir } = await demoWorkspace()
    edit(
      dir,
      'sources/hr.yaml',
      'name: HR\n',
      'name: HR\ncreated: "2024-01-02T03:04:05Z"\ncluster: { type: CLUSTER, id: abc, name: VA }\nconnectorClass: sailpoint.connector.DelimitedFileConnector\n',
    )
    edit(
      dir,
      'sources/hr.yaml',
      '{ name: employeeId, type: STRING }',
      '{ name: employeeId, type: STRING, nativeName: EMP_ID }',
    )
    edit(
      dir,
      'roles/all-employees.yaml',
      'name: All Employees\n',
      'name: All Employees\ndimensional: false\n',
    )
    edit(dir, 'sources/corporate-directory.yaml', 'length: 16', 'lenght: 16')
    const { config, warnings } = await loadWorkspaceWithWarnings(dir)
    expect(config.sources).toHaveLength(3)
    const ignored = 'warning: ignored: a field of the reference product that Provisio does not use'
    expect(warnings.map(formatConfigProblem)).toEqual([
      `sources/corporate-directory.yaml: source "Corporate Directory": provisioningPolicies[0].fields[5].attributes.lenght: warning: unknown field, ignored (did you mean "length"?)`,
      `sources/hr.yaml: source "HR": created: ${ignored}`,
      `sources/hr.yaml: source "HR": cluster: ${ignored}`,
      `sources/hr.yaml: source "HR": connectorClass: ${ignored}`,
      `sources/hr.yaml: source "HR": schemas[0].attributes[0].nativeName: ${ignored}`,
      `roles/all-employees.yaml: role "All Employees": dimensional: ${ignored}`,
    ])
  })

  it('carries the warnings with the errors when the workspace does not load', async () => {
    const { dir } = await demoWorkspace()
    edit(
      dir,
      'sources/hr.yaml',
      'name: HR\n',
      'name: HR\nmodified: "2024-01-02T03:04:05Z"\nauthorative: true\n',
    )
    const err = await loadWorkspaceWithWarnings(dir).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(ConfigError)
    const { problems, warnings, message } = err as ConfigError
    expect(problems.map(formatConfigProblem)).toEqual([
      'sources/hr.yaml: source "HR": authorative: unknown field (did you mean "authoritative"?)',
    ])
    expect(warnings.map(formatConfigProblem)).toEqual([
      'sources/hr.yaml: source "HR": modified: warning: ignored: a field of the reference product that Provisio does not use',
    ])
    expect(message).toMatch(
      /^invalid configuration \(1 problem\):\n {2}sources.*authorative.*\n {2}sources.*modified: warning: /,
    )
  })

  it("reports fields named like Object's own properties as unknown, and does not stumble on them", async () => {
    const { dir } = await demoWorkspace()
    edit(
      dir,
      'sources/hr.yaml',
      'name: HR\n',
      'name: HR\nconstructor: x\ntoString: y\n__proto__: { polluted: true }\n',
    )
    edit(dir, 'sources/hr.yaml', '  quoteChar:', '  hasOwnProperty: 1\n  quoteChar:')
    const problems = await problemsOf(dir)
    expect(problems).toEqual([
      'sources/hr.yaml | source "HR" | constructor | unknown field',
      'sources/hr.yaml | source "HR" | toString | unknown field',
      'sources/hr.yaml | source "HR" | __proto__ | unknown field',
      'sources/hr.yaml | source "HR" | connectorAttributes.hasOwnProperty | unknown field (known fields: file, delimiter, quoteChar, multiValueDelimiter, encoding, multilineFields, maxFieldLength, retryableErrors)',
    ])
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
  })
})
