import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ACCESS_REQUEST_CONFIG_DEFAULTS } from '../src/domain/config/access-request-config-schema.js'
import { configFromSnapshot, configSnapshot } from '../src/domain/config/config-snapshot.js'
import { governanceGroupConnections } from '../src/domain/config/governance-group-connections.js'
import { findGovernanceGroup } from '../src/domain/config/workspace-config.js'
import { ConfigError } from '../src/domain/errors.js'
import { ConfigRepository } from '../src/engine/config/config-repository.js'
import { loadWorkspaceWithWarnings } from '../src/engine/workspace/load-workspace.js'
import { problemsOf } from './support/config-problems.js'
import { demoWorkspace } from './support/temp-workspace.js'

const SECURITY_APPROVERS = '7d0c2f4e9a8b41c3b5e6f70812a3c4d5'

function edit(dir: string, file: string, from: string | RegExp, to: string): void {
  const path = join(dir, file)
  const text = readFileSync(path, 'utf8')
  const next = text.replace(from, to)
  if (next === text) throw new Error(`${file}: nothing to replace`)
  writeFileSync(path, next)
}

function append(dir: string, file: string, text: string): void {
  writeFileSync(join(dir, file), readFileSync(join(dir, file), 'utf8') + text)
}

describe('governance groups and the access request configuration in a workspace', () => {
  it("loads the demo's governance group, its connections, and every default of the access request configuration", async () => {
    const { config } = await demoWorkspace()
    expect(config.governanceGroups).toEqual([
      {
        file: 'governance-groups/security-approvers.yaml',
        value: {
          name: 'Security Approvers',
          id: SECURITY_APPROVERS,
          description: expect.any(String) as string,
          owner: { type: 'IDENTITY', name: 'joan.goldwasser' },
          members: [
            { type: 'IDENTITY', name: 'james.lamarr' },
            { type: 'IDENTITY', name: 'joan.goldwasser' },
          ],
        },
      },
    ])
    const byName = findGovernanceGroup(config, 'Security Approvers')
    expect(findGovernanceGroup(config, SECURITY_APPROVERS)).toBe(byName)
    expect(findGovernanceGroup(config, 'security approvers')).toBeUndefined()
    expect(byName && governanceGroupConnections(config, byName).map((c) => [c.type, c.name])).toEqual([
      ['ACCESS_PROFILE', 'Datacenter Access'],
    ])

    // The demo says nothing of access requests: every field takes its default, as the reference's.
    expect(config.settings.accessRequestConfig).toEqual(ACCESS_REQUEST_CONFIG_DEFAULTS)
    expect(ACCESS_REQUEST_CONFIG_DEFAULTS).toEqual({
      approvalsMustBeExternal: false,
      autoApprovalEnabled: false,
      reauthorizationEnabled: false,
      requestOnBehalfOfConfig: {
        allowRequestOnBehalfOfAnyoneByAnyone: false,
        allowRequestOnBehalfOfEmployeeByManager: true,
      },
      approvalReminderAndEscalationConfig: {
        daysUntilEscalation: null,
        daysBetweenReminders: null,
        maxReminders: null,
        fallbackApproverRef: null,
      },
      entitlementRequestConfig: {
        allowEntitlementRequest: true,
        requestCommentsRequired: false,
        deniedCommentsRequired: false,
        grantRequestApprovalSchemes: 'sourceOwner',
      },
    })

    // A published version holds the groups and the settings, and gives them back.
    const back = configFromSnapshot(configSnapshot(config), config.dir)
    expect(back.governanceGroups).toEqual(config.governanceGroups)
    expect(back.settings.accessRequestConfig).toEqual(config.settings.accessRequestConfig)
  })

  it('reads a partial access request configuration with the rest defaulted', async () => {
    const { dir } = await demoWorkspace()
    append(
      dir,
      'provisio.yaml',
      `accessRequestConfig:
  autoApprovalEnabled: true
  approvalReminderAndEscalationConfig:
    daysUntilEscalation: 3
    daysBetweenReminders: 1
    maxReminders: 2
    fallbackApproverRef: { type: IDENTITY, name: joan.goldwasser, email: joan@example.com }
  entitlementRequestConfig:
    grantRequestApprovalSchemes: "manager, workgroup:Security Approvers,sourceOwner"
`,
    )
    const { config, warnings } = await loadWorkspaceWithWarnings(dir)
    expect(config.settings.accessRequestConfig).toEqual({
      ...ACCESS_REQUEST_CONFIG_DEFAULTS,
      autoApprovalEnabled: true,
      approvalReminderAndEscalationConfig: {
        daysUntilEscalation: 3,
        daysBetweenReminders: 1,
        maxReminders: 2,
        fallbackApproverRef: { type: 'IDENTITY', name: 'joan.goldwasser' },
      },
      entitlementRequestConfig: {
        ...ACCESS_REQUEST_CONFIG_DEFAULTS.entitlementRequestConfig,
        grantRequestApprovalSchemes: 'manager, workgroup:Security Approvers,sourceOwner',
      },
    })
    // The approver's email is the reference's read-only field: ignored, said so.
    expect(warnings.map((w) => `${w.path} | ${w.message}`)).toContain(
      'accessRequestConfig.approvalReminderAndEscalationConfig.fallbackApproverRef.email | ignored: a field of the reference product that Provisio does not use',
    )
  })

  it('reports each problem of the access request configuration with its path in provisio.yaml', async () => {
    const { dir } = await demoWorkspace()
    append(
      dir,
      'provisio.yaml',
      `accessRequestConfig:
  autoAprovalEnabled: true
  requestOnBehalfOfConfig:
    allowRequestOnBehalfOfAnyoneByAnyone: "yes"
  approvalReminderAndEscalationConfig:
    daysBetweenReminders: 0
    maxReminders: 0
    fallbackApproverRef: { type: GOVERNANCE_GROUP, id: 7d0c2f4e9a8b41c3b5e6f70812a3c4d5 }
  entitlementRequestConfig:
    grantRequestApprovalSchemes: "manager,, SourceOwner, workgroup:Nobody, workgroup:"
`,
    )
    const problems = (await problemsOf(dir)).filter((p) => p.startsWith('provisio.yaml'))
    const field = 'provisio.yaml | workspace | accessRequestConfig'
    expect(problems).toEqual(
      expect.arrayContaining([
        `${field}.autoAprovalEnabled | unknown field (did you mean "autoApprovalEnabled"?)`,
        `${field}.requestOnBehalfOfConfig.allowRequestOnBehalfOfAnyoneByAnyone | Invalid input: expected boolean, received string`,
        `${field}.approvalReminderAndEscalationConfig.daysBetweenReminders | at least 1 day`,
        expect.stringMatching(
          /^provisio.yaml \| workspace \| accessRequestConfig.approvalReminderAndEscalationConfig.maxReminders \| /,
        ) as string,
        `${field}.approvalReminderAndEscalationConfig.fallbackApproverRef.type | type must be IDENTITY`,
        `${field}.entitlementRequestConfig.grantRequestApprovalSchemes | part 2 is empty: write the schemes separated by commas, e.g. "manager, sourceOwner"`,
        `${field}.entitlementRequestConfig.grantRequestApprovalSchemes | "SourceOwner" is not an approval scheme (did you mean "sourceOwner"? one of entitlementOwner, sourceOwner, manager, workgroup:{id})`,
        `${field}.entitlementRequestConfig.grantRequestApprovalSchemes | workgroup needs its governance group: workgroup:{id}`,
      ]),
    )

    // A scheme naming a group the workspace does not have.
    const other = await demoWorkspace()
    append(
      other.dir,
      'provisio.yaml',
      'accessRequestConfig:\n  entitlementRequestConfig: { grantRequestApprovalSchemes: "manager, workgroup:nobody" }\n',
    )
    expect(await problemsOf(other.dir)).toEqual([
      'provisio.yaml | workspace | accessRequestConfig.entitlementRequestConfig.grantRequestApprovalSchemes | workgroup:nobody names no governance group',
    ])
  })

  it("checks approval schemes: supported approver types, and a GOVERNANCE_GROUP step's group", async () => {
    const { dir } = await demoWorkspace()
    edit(
      dir,
      'access-profiles/datacenter-access.yaml',
      /approvalSchemes:[\s\S]*$/,
      `approvalSchemes:
    - { approverType: MANAGER, approverId: 2c9180835d2e5168015d32f890ca1581 }
    - { approverType: GOVERNANCE_GROUP, approverId: Night Shift }
    - { approverType: GOVERNANCE_GROUP }
    - { approverType: WORKFLOW, approverId: wf-1 }
    - { approverType: ALL_OWNERS }
    - { approverType: Manager }
revocationRequestConfig:
  approvalSchemes:
    - { approverType: GOVERNANCE_GROUP, approverId: ${SECURITY_APPROVERS} }
    - { approverType: ADDITIONAL_GOVERNANCE_GROUP, approverId: ${SECURITY_APPROVERS} }
`,
    )
    append(
      dir,
      'roles/operations-datacenter.yaml',
      `accessRequestConfig:
  approvalSchemes:
    - { approverType: OWNER }
    - { approverType: SOURCE_OWNER }
    - { approverType: APP_OWNER }
    - { approverType: GOVERNANCE_GROUP, approverId: Security Approvers }
`,
    )
    const ap = 'access-profiles/datacenter-access.yaml | access profile "Datacenter Access" | '
    const role = 'roles/operations-datacenter.yaml | role "Operations Datacenter" | '
    expect(await problemsOf(dir)).toEqual([
      `${ap}accessRequestConfig.approvalSchemes[0].approverId | only a GOVERNANCE_GROUP step names an approver; a MANAGER step has none`,
      `${ap}accessRequestConfig.approvalSchemes[1].approverId | no governance group "Night Shift"`,
      `${ap}accessRequestConfig.approvalSchemes[2].approverId | required: the governance group (its id or name) that approves this step`,
      `${ap}accessRequestConfig.approvalSchemes[3].approverType | WORKFLOW is not supported: Provisio runs no workflows`,
      `${ap}accessRequestConfig.approvalSchemes[4].approverType | ALL_OWNERS is not supported: an object has one owner in Provisio (use OWNER)`,
      `${ap}accessRequestConfig.approvalSchemes[5].approverType | unknown approver type "Manager": one of MANAGER, OWNER, SOURCE_OWNER, APP_OWNER, GOVERNANCE_GROUP`,
      `${ap}revocationRequestConfig.approvalSchemes[1].approverType | ADDITIONAL_GOVERNANCE_GROUP is not supported: name the group in a GOVERNANCE_GROUP step`,
      `${role}accessRequestConfig.approvalSchemes[1].approverType | SOURCE_OWNER is not supported: a role's access comes from several sources, so it has no source owner`,
      `${role}accessRequestConfig.approvalSchemes[2].approverType | APP_OWNER is not supported: a role belongs to no application`,
    ])
  })

  it('checks governance groups: members by id or name, identities only, listed once; names unique', async () => {
    const { dir } = await demoWorkspace()
    writeFileSync(
      join(dir, 'governance-groups/more.yaml'),
      `- name: Night Shift
  id: 0a0b0c0d0e0f00000000000000000001
  members:
    - ada.lovelace
    - { id: 2c9180835d2e5168015d32f890ca1581 }
    - { type: GOVERNANCE_GROUP, name: Security Approvers }
    - { type: IDENTITY }
    - { name: ada.lovelace, email: ada@example.com }
    - { name: grace.hopper, title: Admiral }
  owner: { type: GOVERNANCE_GROUP, name: Empty }
- name: Security Approvers
  id: 0a0b0c0d0e0f00000000000000000002
- name: Empty
  id: 0a0b0c0d0e0f00000000000000000003
  memberCount: 0
`,
    )
    edit(
      dir,
      'access-profiles/operations-team.yaml',
      '{ approverType: OWNER }',
      '{ approverType: GOVERNANCE_GROUP, approverId: Empty }',
    )
    const file = 'governance-groups/more.yaml'
    expect(await problemsOf(dir)).toEqual([
      `${file} | governance group "Night Shift" | owner.type | an owner is an identity: type must be IDENTITY, not "GOVERNANCE_GROUP"`,
      `${file} | governance group "Night Shift" | members[2].type | a member is an identity: type must be IDENTITY, not "GOVERNANCE_GROUP"`,
      `${file} | governance group "Night Shift" | members[3] | needs a name or an id`,
      `${file} | governance group "Night Shift" | members[5].title | unknown field (known fields: type, id, name)`,
      'governance-groups/security-approvers.yaml | governance group "Security Approvers" | name | duplicate name',
    ])
    // Fixed, what is left are warnings: a member's email (the reference's, read-only), an empty group
    // an approval step names.
    edit(
      dir,
      'governance-groups/more.yaml',
      / {4}- \{ type: GOVERNANCE_GROUP[^\n]*\n {4}- \{ type: IDENTITY \}\n/,
      '',
    )
    edit(dir, 'governance-groups/more.yaml', ', title: Admiral', '')
    edit(dir, 'governance-groups/more.yaml', 'type: GOVERNANCE_GROUP, name: Empty', 'name: ada.lovelace')
    edit(dir, 'governance-groups/more.yaml', 'name: Security Approvers', 'name: Day Shift')
    let problems: string[] = []
    try {
      await loadWorkspaceWithWarnings(dir)
    } catch (err) {
      problems = (err as ConfigError).problems.map((p) => `${p.path} | ${p.message}`)
    }
    expect(problems).toEqual([`members[2] | "ada.lovelace" is listed twice`])
    edit(
      dir,
      'governance-groups/more.yaml',
      '    - { name: ada.lovelace, email',
      '    - { name: alan.turing, email',
    )
    const { warnings } = await loadWorkspaceWithWarnings(dir)
    expect(
      warnings
        .filter((w) => !w.message.startsWith('no id'))
        .map((w) => `${w.object} | ${w.path} | ${w.message}`),
    ).toEqual([
      'governance group "Night Shift" | members[2].email | ignored: a field of the reference product that Provisio does not use',
      'governance group "Empty" | memberCount | ignored: a field of the reference product that Provisio does not use',
      'access profile "Operations Team" | accessRequestConfig.approvalSchemes[1].approverId | governance group "Empty" has no members to approve',
    ])
  })

  it('does not remove a governance group an approval step names, and says which', async () => {
    const { dir } = await demoWorkspace()
    const repo = new ConfigRepository(dir)
    const refused = await repo.remove('governanceGroups', SECURITY_APPROVERS).catch((err: unknown) => err)
    expect(refused).toBeInstanceOf(ConfigError)
    expect((refused as ConfigError).message).toContain('cannot remove governance group "Security Approvers"')
    expect((refused as ConfigError).problems.map((p) => `${p.file} | ${p.path} | ${p.message}`)).toEqual([
      'access-profiles/datacenter-access.yaml | accessRequestConfig.approvalSchemes[1].approverId | no governance group "Security Approvers"',
    ])
    // Written by the repository like any other object: a new group gets its own file and an id.
    const written = await repo.write('governanceGroups', {
      name: 'Night Shift',
      members: [{ type: 'IDENTITY', name: 'ada.lovelace' }],
    })
    expect(written.file).toBe('governance-groups/night-shift.yaml')
    expect(findGovernanceGroup(written.workspace.config, 'Night Shift')?.id).toBe(written.id)
  })
})
