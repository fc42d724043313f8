import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadWorkspace } from '../src/engine/workspace/load-workspace.js'
import { problemsOf } from './support/config-problems.js'
import { demoWorkspace } from './support/temp-workspace.js'

describe('workspace configuration', () => {
  it('loads the demo workspace', async () => {
    const { config } = await demoWorkspace()
    expect(config.sources.map((s) => s.value.name)).toEqual(['Badge System', 'Corporate Directory', 'HR'])
    expect(config.identityProfiles[0]?.value.authoritativeSource.name).toBe('HR')
    expect(config.transforms.map((t) => t.value.name).sort()).toEqual(['Department Code', 'Lifecycle State'])
    expect(config.accessProfiles.map((a) => a.value.name)).toEqual([
      'Datacenter Access',
      'Directory Users',
      'Lobby Access',
      'Operations Team',
    ])
    expect(config.roles.map((r) => r.value.name)).toEqual(['All Employees', 'Operations Datacenter'])
  })

  it('reports every problem at once, each with file, object and field path', async () => {
    const { dir } = await demoWorkspace()
    writeFileSync(
      join(dir, 'sources/bad.yaml'),
      `name: Bad
deleteThreshold: 150
connectorAttributes:
  delimiter: ";;"
  password: hunter2
schemas:
  - identityAttribute: id
    attributes:
      - { name: id, type: TEXT }
accountCorrelationConfig:
  attributeAssignments:
    - { property: email, value: mail }
`,
    )
    writeFileSync(
      join(dir, 'identity-profiles/contractors.yaml'),
      `name: Contractors
authoritativeSource: Vendors
identityAttributeConfig:
  attributeTransforms:
    - identityAttributeName: email
      transformDefinition: { type: reference, attributes: { id: No Such Transform } }
    - identityAttributeName: dept
      transformDefinition: { type: accountAttribute, attributes: { sourceName: Nowhere, attributeName: dept } }
    - identityAttributeName: x
      transformDefinition: { type: notAType }
`,
    )
    writeFileSync(
      join(dir, 'transforms/broken.yaml'),
      'name: Broken\ntype: lookup\nattributes: { table: [1, 2\n',
    )
    const problems = await problemsOf(dir)
    const expected = [
      /^sources\/bad.yaml \| source "Bad" \| deleteThreshold \| /,
      /^sources\/bad.yaml \| source "Bad" \| schemas\[0\]\.attributes\[0\]\.type \| /,
      /^identity-profiles\/contractors.yaml \| identity profile "Contractors" \| authoritativeSource \| no source named "Vendors"/,
      /^identity-profiles\/contractors.yaml \| identity profile "Contractors" \| identityAttributeConfig\.attributeTransforms\[0\]\.transformDefinition \| .*No Such Transform/,
      /^identity-profiles\/contractors.yaml \| identity profile "Contractors" \| identityAttributeConfig\.attributeTransforms\[1\]\.transformDefinition\.attributes\.sourceName \| no source named "Nowhere"/,
      /^identity-profiles\/contractors.yaml \| identity profile "Contractors" \| identityAttributeConfig\.attributeTransforms\[2\]\.transformDefinition \| .*notAType/,
      /^transforms\/broken.yaml \| {2}\| line \d+, column \d+ \| /,
    ]
    // A source with invalid fields is reported field by field; its references are checked once it parses.
    for (const re of expected) {
      expect(
        problems.some((p) => re.test(p)),
        `${re} in\n${problems.join('\n')}`,
      ).toBe(true)
    }
    expect(problems.length).toBeGreaterThanOrEqual(expected.length)
  })

  it('checks references and secrets of a source whose fields are valid', async () => {
    const { dir } = await demoWorkspace()
    writeFileSync(
      join(dir, 'sources/bad.yaml'),
      `name: Bad
owner: { type: IDENTITY, name: it.admin }
connectorAttributes:
  file: data/bad.csv
  delimiter: ";;"
  password: hunter2
  token: \${env:BAD_TOKEN}
schemas:
  - identityAttribute: id
    displayAttribute: label
    attributes:
      - { name: id }
accountCorrelationConfig:
  attributeAssignments:
    - { property: email, value: mail }
`,
    )
    const problems = await problemsOf(dir)
    const mine = problems.filter((p) => p.startsWith('sources/bad.yaml'))
    expect(mine).toEqual([
      expect.stringMatching(
        /schemas\[0\]\.displayAttribute \| "label" is not an attribute of the account schema/,
      ),
      expect.stringMatching(
        /accountCorrelationConfig\.attributeAssignments\[0\]\.value \| "mail" is not an attribute/,
      ),
      expect.stringMatching(
        /connectorAttributes\.password \| a secret must be a reference like \$\{env:NAME\}/,
      ),
      // The delimited-file connector's settings are checked as every connector's are.
      expect.stringMatching(/connectorAttributes\.delimiter \| must be one character/),
      // A delimited-file source has no such settings: they are unknown fields, whatever their values.
      expect.stringMatching(/connectorAttributes\.password \| unknown field/),
      expect.stringMatching(/connectorAttributes\.token \| unknown field/),
    ])
  })

  it("checks a direct source's connector type and settings against its connector's schema", async () => {
    const { dir } = await demoWorkspace()
    const source = (name: string, connector: string, attributes: string): string =>
      `name: ${name}\nowner: it.admin\nconnectionType: direct\nconnector: ${connector}\nconnectorAttributes:\n${attributes}schemas:\n  - identityAttribute: uid\n    attributes:\n      - { name: uid }\n`
    writeFileSync(
      join(dir, 'sources/ldap.yaml'),
      source(
        'Directory',
        'ldap',
        '  url: http://ldap.example.com\n  bindDn: cn=admin\n  password: ${env:P}\n',
      ),
    )
    writeFileSync(
      join(dir, 'sources/scim.yaml'),
      source('Cloud App', 'scim', '  baseUrl: https://app.example.com/scim/v2\n  auth: { type: bearer }\n'),
    )
    writeFileSync(join(dir, 'sources/typo.yaml'), source('Typo', 'ldpa', '  url: ldap://x\n'))
    const problems = await problemsOf(dir)
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^sources\/ldap\.yaml \| source "Directory" \| connectorAttributes\.url \| must be an ldap/,
        ),
        expect.stringMatching(
          /^sources\/ldap\.yaml \| source "Directory" \| connectorAttributes\.accountBase \| /,
        ),
        expect.stringMatching(
          /^sources\/scim\.yaml \| source "Cloud App" \| connectorAttributes\.auth\.token \| /,
        ),
        expect.stringMatching(
          /^sources\/typo\.yaml \| source "Typo" \| connector \| unknown connector type ldpa \(known: .*ldap.*\)/,
        ),
      ]),
    )
  })

  it('names a folder that is not a workspace', async () => {
    await expect(loadWorkspace('/tmp')).rejects.toThrow(/not a Provisio workspace/)
  })
})
