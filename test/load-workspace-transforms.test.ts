import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadWorkspaceWithWarnings } from '../src/engine/workspace/load-workspace.js'
import { problemsOf } from './support/config-problems.js'
import { demoWorkspace } from './support/temp-workspace.js'

/** The Contractors profile maps `region` through the named transform `id`. */
const profileUsing = (id: string): string => `name: Contractors
authoritativeSource: HR
identityAttributeConfig:
  attributeTransforms:
    - identityAttributeName: region
      transformDefinition: { type: reference, attributes: { id: ${id} } }
`

const READS_VENDORS = `name: Vendor Region
id: 5c1e0a6f2b7d4e8f9a0b1c2d3e4f5a6b
type: accountAttribute
attributes: { sourceName: Vendors, attributeName: region }
`

describe('workspace transforms', () => {
  it('reports every row of a lookup table that has no value, not only the first', async () => {
    const { dir } = await demoWorkspace()
    writeFileSync(
      join(dir, 'transforms/access-policy.yaml'),
      `name: Access Policy
type: lookup
attributes:
  input: { type: accountAttribute, attributes: { sourceName: HR, attributeName: country } }
  table:
    USA: { type: static, attributes: { accessPolicy: US_Access } }
    CAN: { type: static, attributes: { accessPolicy: CAN_Access } }
    GBR:
    default: Default_Access
`,
    )
    const problems = await problemsOf(dir)
    expect(problems).toEqual([
      'transforms/access-policy.yaml | transform "Access Policy" |  | static: missing required attribute attributes.table["USA"].attributes.value',
      'transforms/access-policy.yaml | transform "Access Policy" |  | static: missing required attribute attributes.table["CAN"].attributes.value',
      'transforms/access-policy.yaml | transform "Access Policy" |  | lookup: attributes.table["GBR"] has no value (write "" for an empty text)',
    ])
  })

  it('a named transform that nothing uses may read a source the workspace lacks: a warning', async () => {
    const { dir } = await demoWorkspace()
    writeFileSync(join(dir, 'transforms/vendor-region.yaml'), READS_VENDORS)
    const { warnings } = await loadWorkspaceWithWarnings(dir)
    expect(warnings).toEqual([
      {
        file: 'transforms/vendor-region.yaml',
        object: 'transform "Vendor Region"',
        path: 'attributes.sourceName',
        message:
          'no source named "Vendors" (no identity profile or provisioning policy uses this transform yet; it fails when one does)',
        severity: 'warning',
      },
    ])
  })

  it('the same transform is an error once an identity profile uses it, also through another transform', async () => {
    const { dir } = await demoWorkspace()
    writeFileSync(join(dir, 'transforms/vendor-region.yaml'), READS_VENDORS)
    writeFileSync(
      join(dir, 'transforms/region.yaml'),
      'name: Region\ntype: upper\nattributes: { input: { type: reference, attributes: { id: Vendor Region } } }\n',
    )
    writeFileSync(join(dir, 'identity-profiles/contractors.yaml'), profileUsing('Region'))
    expect(await problemsOf(dir)).toEqual([
      'transforms/vendor-region.yaml | transform "Vendor Region" | attributes.sourceName | no source named "Vendors"',
    ])
  })

  it('reports a Velocity template that does not parse with its file, path, line and column', async () => {
    const { dir } = await demoWorkspace()
    writeFileSync(
      join(dir, 'transforms/status.yaml'),
      `name: Status
type: static
attributes:
  s: { type: accountAttribute, attributes: { sourceName: HR, attributeName: status } }
  value: "#if($s == 'A')Active#{elseif}($s == 'L')Leave#{else}Inactive"
`,
    )
    writeFileSync(
      join(dir, 'identity-profiles/contractors.yaml'),
      `name: Contractors
authoritativeSource: HR
identityAttributeConfig:
  attributeTransforms:
    - identityAttributeName: title
      transformDefinition: { type: static, attributes: { value: "a #end b" } }
`,
    )
    expect(await problemsOf(dir)).toEqual([
      'transforms/status.yaml | transform "Status" |  | static: attributes.value is not a valid Velocity template: line 1, column 1: #if is never closed: #end is missing',
      'identity-profiles/contractors.yaml | identity profile "Contractors" | identityAttributeConfig.attributeTransforms[0].transformDefinition | static: attributes.value is not a valid Velocity template: line 1, column 3: #end without an open #if, #foreach, #macro or #define',
    ])
  })
})
