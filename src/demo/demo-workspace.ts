import { existsSync } from 'node:fs'
import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { InputError } from '../domain/errors.js'
import { seededRandom } from '../domain/seeded-random.js'
import { toCsv } from '../domain/to-csv.js'
import { generatePeople, hrCsv, type Person } from './generate-people.js'
import { SETTINGS_FILE } from '../engine/workspace/load-workspace.js'

const SETTINGS = `# A Provisio workspace. Objects use the reference product's field names (see docs/configuration.md).
name: demo
# The identity attribute that gives each identity its name.
identityNameAttribute: uid
# review: a refresh processes identities, and \`provisio plan\` shows what would change before
# \`provisio apply\` makes it happen. automatic (the default): every refresh applies the plan of the
# identities that changed, as the reference product does.
provisioning: review
server:
  port: 7100
# Who may do what through the API (docs/api.md): capabilities granted to identities, by name. Everyone
# signed in acts on their own identity and work items without any; ORG_ADMIN may do everything.
capabilities:
  joan.goldwasser: [ORG_ADMIN]
schedules:
  - name: HR aggregation
    task: aggregate
    source: HR
    cron: "0 * * * *"
    runOnStart: true
  - name: Badge System aggregation
    task: aggregate
    source: Badge System
    cron: "15 * * * *"
    runOnStart: true
  - name: Identity refresh
    task: process
    cron: "0 8,20 * * *"
`

const HR_SOURCE = `name: HR
id: ba98b3b48b9122b7c73ec1149b6b59f0
description: Authoritative HR extract (employees and contractors)
owner: { type: IDENTITY, name: joan.goldwasser }
connectionType: file
connector: delimited-file
authoritative: true
deleteThreshold: 20
connectorAttributes:
  file: data/hr.csv
  delimiter: ","
  quoteChar: '"'
schemas:
  - name: account
    nativeObjectType: User
    identityAttribute: employeeId
    displayAttribute: displayName
    attributes:
      - { name: employeeId, type: STRING }
      - { name: firstName, type: STRING }
      - { name: lastName, type: STRING }
      - { name: displayName, type: STRING }
      - { name: email, type: STRING }
      - { name: department, type: STRING }
      - { name: title, type: STRING }
      - { name: managerId, type: STRING }
      - { name: location, type: STRING }
      - { name: country, type: STRING }
      - { name: status, type: STRING }
      - { name: hireDate, type: DATE }
      - { name: terminationDate, type: DATE }
      - { name: phone, type: STRING }
# A returning employee's new HR row finds their old identity by employee number.
accountCorrelationConfig:
  attributeAssignments:
    - { property: employeeNumber, value: employeeId }
managerCorrelationMapping:
  accountAttributeName: managerId
  identityAttributeName: employeeNumber
`

const BADGE_SOURCE = `name: Badge System
id: 8b3b760bc48f4aaf32f3d7d0f9882780
description: Building access badges, provisioned by facilities (flat file, manual tasks)
owner: { type: IDENTITY, name: james.lamarr }
connectionType: file
connector: delimited-file
deleteThreshold: 30
connectorAttributes:
  file: data/badges.csv
  delimiter: ","
  multiValueDelimiter: "|"
schemas:
  - name: account
    nativeObjectType: Badge
    identityAttribute: badgeId
    displayAttribute: holder
    attributes:
      - { name: badgeId, type: STRING }
      - { name: employeeNumber, type: STRING }
      - { name: holder, type: STRING }
      - { name: active, type: BOOLEAN }
      - { name: zones, type: STRING, isMulti: true, isEntitlement: true }
accountCorrelationConfig:
  attributeAssignments:
    - { property: employeeNumber, value: employeeNumber }
# How facilities issue a badge (the Create Account profile); fields are evaluated in order.
provisioningPolicies:
  - name: Badge System Create Account
    usageType: CREATE
    fields:
      - name: badgeId
        transform: { type: rule, attributes: { name: Create Unique Account ID } }
        attributes: { template: "B$(employeeNumber)$(uniqueCounter)", cloudMaxUniqueChecks: 5 }
        isRequired: true
      - name: employeeNumber
        transform: { type: identityAttribute, attributes: { name: employeeNumber } }
        isRequired: true
      - name: holder
        transform: { type: identityAttribute, attributes: { name: displayName } }
      - name: active
        transform: { type: static, attributes: { value: "true" } }
        type: boolean
# A badge shows the holder's current name.
attributeSyncConfig:
  attributes:
    - { name: displayName, enabled: true, target: holder }
`

const DIRECTORY_SOURCE = `name: Corporate Directory
id: 7c6060c1ea6ed657346537e2d751712f
description: >-
  The company directory, provisioned directly. In the demo it is an in-memory system (connector: memory)
  whose state is kept in systems/directory.json; an LDAP source is configured the same way.
owner: { type: IDENTITY, name: james.wilson }
connectionType: direct
connector: memory
features: [PROVISIONING, ENABLE]
# At most this many of its account requests execute at once, across every worker.
concurrency: 8
connectorAttributes:
  file: systems/directory.json
  idAttribute: uid
  entitlementAttributes: [groups]
  # Messages this system uses for failures worth retrying, besides connection errors and timeouts.
  retryableErrors: ["directory is busy"]
schemas:
  - name: account
    nativeObjectType: inetOrgPerson
    identityAttribute: uid
    displayAttribute: displayName
    attributes:
      - { name: uid, type: STRING }
      - { name: employeeNumber, type: STRING }
      - { name: displayName, type: STRING }
      - { name: mail, type: STRING }
      - { name: department, type: STRING }
      - { name: groups, type: STRING, isMulti: true, isEntitlement: true }
accountCorrelationConfig:
  attributeAssignments:
    - { property: employeeNumber, value: employeeNumber }
provisioningPolicies:
  - name: Corporate Directory Create Account
    usageType: CREATE
    fields:
      - name: uid
        transform: { type: identityAttribute, attributes: { name: uid } }
        isRequired: true
      - name: employeeNumber
        transform: { type: identityAttribute, attributes: { name: employeeNumber } }
        isRequired: true
      - name: displayName
        transform: { type: identityAttribute, attributes: { name: displayName } }
      - name: mail
        transform: { type: identityAttribute, attributes: { name: email } }
      - name: department
        transform: { type: identityAttribute, attributes: { name: department } }
      # Generated when the account is created; never stored, printed or logged.
      - name: password
        type: secret
        transform: { type: rule, attributes: { name: Create Password } }
        attributes: { length: 16, minSpecial: 1 }
attributeSyncConfig:
  attributes:
    - { name: displayName, enabled: true, target: displayName }
    - { name: department, enabled: true, target: department }
`

const LIFECYCLE_TRANSFORM = `# The lifecycle state from the HR status; a terminated person whose last day is still ahead
# is "activePendingTermination" until that day.
name: Lifecycle State
id: efcef8daa27d99498522c7d2a2f8d8c6
type: static
attributes:
  status:
    type: accountAttribute
    attributes: { sourceName: HR, attributeName: status }
  stillHere:
    type: dateCompare
    attributes:
      firstDate:
        type: dateFormat
        attributes:
          inputFormat: yyyy-MM-dd
          outputFormat: ISO8601
          input:
            type: firstValid
            attributes:
              values:
                - { type: accountAttribute, attributes: { sourceName: HR, attributeName: terminationDate } }
                - "1970-01-01"
      secondDate: now
      operator: GT
      positiveCondition: "yes"
      negativeCondition: "no"
  value: >-
    #if($status == 'A')active#elseif($status == 'L')leave#elseif($status == 'P')prehire#elseif($status == 'T' && $stillHere == 'yes')activePendingTermination#elseif($status == 'T')terminated#{else}inactive#end
`

const DEPARTMENT_CODE_TRANSFORM = `name: Department Code
id: 4e20cc49dfa82704d69cdee51aa4d1ca
type: lookup
attributes:
  input: { type: accountAttribute, attributes: { sourceName: HR, attributeName: department } }
  table:
    Engineering: ENG
    Sales: SAL
    Finance: FIN
    Human Resources: HR
    Operations: OPS
    Marketing: MKT
    default: GEN
`

const acct = (attributeName: string): string =>
  `{ type: accountAttribute, attributes: { sourceName: HR, attributeName: ${attributeName} } }`

const IDENTITY_PROFILE = `name: Employees
id: 8af1c1bc61994b2aafe698599247727d
description: Identities built from the HR extract
priority: 10
authoritativeSource: { type: SOURCE, name: HR }
# The states the Lifecycle State transform yields (identity attribute cloudLifecycleState).
lifecycleStates:
  - name: Active
    technicalName: active
    id: 6b09ef5354a03852fa86a5f11ce19fe6
    enabled: true
    identityState: ACTIVE
    priority: 10
    accountActions:
      - { action: ENABLE, sourceIds: [Badge System, Corporate Directory] }
  - name: Pre-hire
    technicalName: prehire
    id: 53beb712584bd6bec057ce5e0b06e4de
    enabled: true
    identityState: INACTIVE_SHORT_TERM
    priority: 20
    accountActions:
      - { action: DISABLE, sourceIds: [Badge System] }
  - name: Leave of absence
    technicalName: leave
    id: e42cf015c9b2eef4f199353393c3c49a
    enabled: true
    identityState: INACTIVE_SHORT_TERM
    priority: 30
    accountActions:
      - { action: DISABLE, sourceIds: [Badge System] }
  - name: Active, pending termination
    technicalName: activePendingTermination
    id: 8912183a41de3a58bceb933d10bc7982
    enabled: true
    identityState: ACTIVE
    priority: 40
  - name: Terminated
    technicalName: terminated
    id: e47e9f9201b2ebe724faca0a02aba2e8
    enabled: true
    identityState: INACTIVE_LONG_TERM
    priority: 50
    accountActions:
      - { action: DISABLE, sourceIds: [Badge System, Corporate Directory] }
    accessActionConfiguration: { removeAllAccessEnabled: true }
  - name: Inactive
    technicalName: inactive
    id: 86e0b821861a99a88192e7039da56cb7
    enabled: true
    identityState: INACTIVE_LONG_TERM
    priority: 60
    accountActions:
      - { action: DISABLE, sourceIds: [Badge System] }
# Tests append attribute mappings to this file, so identityAttributeConfig stays last.
identityAttributeConfig:
  enabled: true
  attributeTransforms:
    - identityAttributeName: uid
      transformDefinition:
        type: lower
        attributes:
          input:
            type: replaceAll
            attributes:
              table: { "[^A-Za-z.]": "" }
              input:
                type: decomposeDiacriticalMarks
                attributes:
                  input:
                    type: concat
                    attributes:
                      values:
                        - ${acct('firstName')}
                        - "."
                        - ${acct('lastName')}
    - identityAttributeName: employeeNumber
      transformDefinition: ${acct('employeeId')}
    - identityAttributeName: firstname
      transformDefinition: ${acct('firstName')}
    - identityAttributeName: lastname
      transformDefinition: ${acct('lastName')}
    - identityAttributeName: displayName
      transformDefinition:
        type: static
        attributes:
          fn: ${acct('firstName')}
          ln: ${acct('lastName')}
          value: "$fn $ln"
    - identityAttributeName: email
      transformDefinition:
        type: lower
        attributes:
          input: ${acct('email')}
    - identityAttributeName: department
      transformDefinition: ${acct('department')}
    - identityAttributeName: departmentCode
      transformDefinition: { type: reference, attributes: { id: Department Code } }
    - identityAttributeName: title
      transformDefinition: ${acct('title')}
    - identityAttributeName: location
      transformDefinition: ${acct('location')}
    - identityAttributeName: country
      transformDefinition:
        type: iso3166
        attributes:
          format: alpha3
          input: ${acct('country')}
    - identityAttributeName: phone
      transformDefinition:
        type: e164phone
        attributes:
          input: ${acct('phone')}
    - identityAttributeName: startDate
      transformDefinition:
        type: dateFormat
        attributes:
          inputFormat: yyyy-MM-dd
          outputFormat: ISO8601
          input: ${acct('hireDate')}
    - identityAttributeName: managerDisplayName
      transformDefinition:
        type: rule
        attributes:
          name: Cloud Services Deployment Utility
          operation: getReferenceIdentityAttribute
          uid: manager
          attributeName: displayName
    - identityAttributeName: cloudLifecycleState
      transformDefinition: { type: reference, attributes: { id: Lifecycle State } }
`

const LOBBY_ACCESS = `name: Lobby Access
id: f2dd33ce00d17ebf955e7f5b1dda0154
description: Badge access to the building lobby
owner: { type: IDENTITY, name: james.lamarr }
source: { type: SOURCE, name: Badge System }
entitlements:
  - { attribute: zones, value: lobby }
`

const DATACENTER_ACCESS = `name: Datacenter Access
id: e38224311cccfbd8b9e7690f2a91ab9e
description: Badge access to the datacenter floor
owner: { type: IDENTITY, name: james.lamarr }
source: Badge System
# The attribute defaults to the source's only entitlement attribute (zones).
entitlements:
  - { value: datacenter }
# People ask for it (requestable); their manager approves, then one of the Security Approvers.
requestable: true
accessRequestConfig:
  approvalSchemes:
    - { approverType: MANAGER }
    - { approverType: GOVERNANCE_GROUP, approverId: Security Approvers }
`

const DIRECTORY_USERS = `name: Directory Users
id: 3caafff0aebb9806b0eb3c5cd3a60047
description: A directory account in the all-staff group
owner: { type: IDENTITY, name: james.wilson }
source: Corporate Directory
entitlements:
  - { attribute: groups, value: all-staff }
`

const OPERATIONS_TEAM = `name: Operations Team
id: 5cd16061cf3ce7d357443945eb1a4da4
description: The Operations team's directory group
owner: { type: IDENTITY, name: james.wilson }
source: Corporate Directory
entitlements:
  - { attribute: groups, value: ops-team }
# People ask for it (requestable); their manager approves, then the access profile's owner.
requestable: true
accessRequestConfig:
  approvalSchemes:
    - { approverType: MANAGER }
    - { approverType: OWNER }
`

const SECURITY_APPROVERS = `name: Security Approvers
id: 7d0c2f4e9a8b41c3b5e6f70812a3c4d5
description: Approve requests for physical access (a governance group; the first member to act decides)
owner: { type: IDENTITY, name: joan.goldwasser }
members:
  - { type: IDENTITY, name: james.lamarr }
  - { type: IDENTITY, name: joan.goldwasser }
`

const ALL_EMPLOYEES_ROLE = `name: All Employees
id: 012bf03e6e61fb018d1c58048f4282e1
description: Birthright access for every active employee
owner: { type: IDENTITY, name: joan.goldwasser }
membership:
  type: STANDARD
  criteria:
    operation: EQUALS
    key: { type: IDENTITY, property: attribute.cloudLifecycleState }
    stringValue: active
accessProfiles:
  - { type: ACCESS_PROFILE, name: Lobby Access }
  - { type: ACCESS_PROFILE, name: Directory Users }
`

const OPERATIONS_DATACENTER_ROLE = `name: Operations Datacenter
id: f9b0e20a2d374a556efed0fb53d18971
description: Datacenter access for the Operations department
owner: { type: IDENTITY, name: james.lamarr }
membership:
  type: STANDARD
  criteria:
    operation: EQUALS
    key: { type: IDENTITY, property: attribute.department }
    stringValue: Operations
accessProfiles:
  - Datacenter Access
  - Operations Team
requestable: true
`

const MANAGER_REVIEW = `# An access review: provisio campaign create campaigns/quarterly-manager-review.yaml --deadline DATE
# (docs/certifications.md). Not part of the configuration: a campaign is created from it when wanted.
name: Quarterly manager review
description: Managers confirm what their reports hold; what they revoke is removed.
type: MANAGER
# Heads of department have no manager and are not reviewed here; the owner gets the certifications
# not signed off by the deadline of reviewers without a manager (escalation).
ownerRef: { id: joan.goldwasser }
mandatoryCommentRequirement: REVOKE_ONLY_DECISIONS
reminderDays: [7, 1]
`

/** The badge file: most current people hold a badge with zones by department; a few badges are orphans. */
function badgesCsv(people: readonly Person[]): string {
  const rnd = seededRandom(11)
  const rows = people
    .filter((p) => p.status === 'A' || p.status === 'L')
    .map((p, i) => {
      const zones = ['lobby', `floor-${p.departmentCode.toLowerCase()}`]
      if (rnd() < 0.3) zones.push('datacenter')
      return [
        `B${String(5000 + i)}`,
        p.employeeId,
        p.displayName,
        p.status === 'A' ? 'true' : 'false',
        zones.join('|'),
      ]
    })
  rows.push(['B9999', '', 'Visitor Badge', 'true', 'lobby'])
  return toCsv(['badgeId', 'employeeNumber', 'holder', 'active', 'zones'], rows)
}

/**
 * Writes a working demo workspace: two flat-file sources (HR, authoritative; a badge system provisioned by
 * hand) and a directly provisioned directory (in memory), an identity profile with lifecycle states, named
 * transforms, access profiles and roles (some requestable, with approval steps), a governance group, sample
 * data.
 */
export async function writeDemoWorkspace(
  dirArg: string,
  options: { force?: boolean } = {},
): Promise<string[]> {
  const dir = resolve(dirArg)
  if (existsSync(join(dir, SETTINGS_FILE)) && !options.force) {
    throw new InputError(`${dir} already holds a workspace (${SETTINGS_FILE}); use --force to overwrite it`)
  }
  const people = generatePeople(40)
  const files: Record<string, string> = {
    [SETTINGS_FILE]: SETTINGS,
    'sources/hr.yaml': HR_SOURCE,
    'sources/badge-system.yaml': BADGE_SOURCE,
    'sources/corporate-directory.yaml': DIRECTORY_SOURCE,
    'transforms/lifecycle-state.yaml': LIFECYCLE_TRANSFORM,
    'transforms/department-code.yaml': DEPARTMENT_CODE_TRANSFORM,
    'identity-profiles/employees.yaml': IDENTITY_PROFILE,
    'access-profiles/lobby-access.yaml': LOBBY_ACCESS,
    'access-profiles/datacenter-access.yaml': DATACENTER_ACCESS,
    'access-profiles/directory-users.yaml': DIRECTORY_USERS,
    'access-profiles/operations-team.yaml': OPERATIONS_TEAM,
    'roles/all-employees.yaml': ALL_EMPLOYEES_ROLE,
    'roles/operations-datacenter.yaml': OPERATIONS_DATACENTER_ROLE,
    'governance-groups/security-approvers.yaml': SECURITY_APPROVERS,
    'campaigns/quarterly-manager-review.yaml': MANAGER_REVIEW,
    'data/hr.csv': hrCsv(people),
    'data/badges.csv': badgesCsv(people),
    '.gitignore': '.provisio/\nsystems/\n',
  }
  for (const [name, text] of Object.entries(files)) {
    const path = join(dir, name)
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, text)
  }
  return Object.keys(files)
}
