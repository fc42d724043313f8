import type { PlanAssignment } from '../../src/domain/plan/assignment.js'
import { roleGrants, stateGrants } from '../../src/domain/plan/desired-access.js'
import type { PlanItem, PlanReason } from '../../src/domain/plan/plan-item.js'
import {
  planIdentity,
  type IdentityPlanResult,
  type PlanContext,
} from '../../src/domain/plan/plan-identity.js'
import type {
  AssignableRole,
  Grant,
  PlanAccessProfile,
  PlanAccount,
  PlanIdentity,
  PlanLifecycleState,
  PlanningModel,
  PlanRole,
  PlanSource,
} from '../../src/domain/plan/planning-model.js'
import { compileTransform } from '../../src/domain/transforms/compile-transform.js'
import { decodeGrants, encodeGrants } from '../../src/store/plans.js'

/**
 * Builders for planner tests: a small organisation (a directory provisioned directly, a badge system),
 * people, accounts, assignments, a clock; and one-line renderings of a plan's items with their reasons,
 * so a table of cases can state items and reasons together.
 */
export const AD = 'src-ad'
export const BADGE = 'src-badge'

export const sources: ReadonlyMap<string, PlanSource> = new Map([
  [
    AD,
    {
      id: AD,
      name: 'AD',
      accountIdAttribute: 'sAMAccountName',
      entitlementAttributes: ['memberOf'],
      createFields: [
        {
          name: 'sAMAccountName',
          transform: compileTransform({ type: 'identityAttribute', attributes: { name: 'uid' } }),
          isRequired: true,
          secret: false,
          multiValued: false,
        },
      ],
      syncedAttributes: [],
    },
  ],
  [
    BADGE,
    {
      id: BADGE,
      name: 'Badge',
      accountIdAttribute: 'badgeId',
      entitlementAttributes: ['zones'],
      createFields: [
        {
          name: 'badgeId',
          transform: compileTransform({ type: 'identityAttribute', attributes: { name: 'uid' } }),
          isRequired: true,
          secret: false,
          multiValued: false,
        },
      ],
      syncedAttributes: [],
    },
  ],
])

const ap = (
  id: string,
  sourceId: string,
  attribute: string,
  values: string[],
  extra: Partial<PlanAccessProfile> = {},
): [string, PlanAccessProfile] => [
  id,
  { id, name: id, sourceId, entitlements: values.map((value) => ({ attribute, value })), ...extra },
]

/** Access profiles, named by their ids. */
export const accessProfiles: ReadonlyMap<string, PlanAccessProfile> = new Map([
  ap('VPN', AD, 'memberOf', ['cn=vpn']),
  ap('Engineering Share', AD, 'memberOf', ['cn=eng', 'cn=vpn']),
  ap('Finance Share', AD, 'memberOf', ['cn=fin']),
  ap('Lobby', BADGE, 'zones', ['lobby']),
  // With several AD accounts, the admin account gets it.
  ap('Domain Admins', AD, 'memberOf', ['cn=domain-admins'], {
    selectAccount: (a) => a.attributes['kind'] === 'admin',
  }),
])

const byDepartment = (
  name: string,
  department: string,
  accessProfileIds: string[],
): Omit<PlanRole, 'grants'> => ({
  id: name,
  name,
  detail: `department EQUALS "${department}"`,
  origin: 'ROLE_CRITERIA',
  membership: (s) => ({
    matched: s.identity['department'] === department,
    detail: `department EQUALS "${department}"`,
  }),
  accessProfileIds,
  entitlements: [],
})

const roleSpecs: Omit<PlanRole, 'grants'>[] = [
  byDepartment('Engineering', 'Engineering', ['Engineering Share']),
  byDepartment('Finance', 'Finance', ['Finance Share']),
  // A second grant of the VPN group: engineers hold it twice.
  {
    ...byDepartment('Remote Workers', '', ['VPN']),
    detail: 'remote EQUALS "yes"',
    membership: (s) => ({ matched: s.identity['remote'] === 'yes', detail: 'remote EQUALS "yes"' }),
  },
]

/** Roles that are only ever assigned: no membership criteria. */
const assignedOnly: AssignableRole[] = [
  { id: 'Administrators', name: 'Administrators', accessProfileIds: ['Domain Admins'], entitlements: [] },
]

type StateSpec = Omit<PlanLifecycleState, 'grants'>
const state = (technicalName: string, extra: Partial<StateSpec> = {}): StateSpec => ({
  technicalName,
  name: technicalName,
  accessProfileIds: [],
  accountActions: [],
  removeAllAccess: false,
  identityState: 'ACTIVE',
  ...extra,
})

const stateSpecs: StateSpec[] = [
  state('active', {
    accessProfileIds: ['Lobby'],
    accountActions: [{ action: 'ENABLE', sourceIds: 'all', excludeSourceIds: [] }],
  }),
  state('leave', {
    identityState: 'INACTIVE_SHORT_TERM',
    accountActions: [{ action: 'DISABLE', sourceIds: [BADGE], excludeSourceIds: [] }],
  }),
  state('terminated', {
    identityState: 'INACTIVE_LONG_TERM',
    removeAllAccess: true,
    accountActions: [{ action: 'DISABLE', sourceIds: 'all', excludeSourceIds: [] }],
  }),
]

/** The organisation's planning model, built as buildPlanningModel builds one: grants merged once per role and state. */
export function organisation(): PlanningModel {
  const roles: PlanRole[] = roleSpecs.map((r) => ({ ...r, grants: roleGrants(r, accessProfiles) }))
  return {
    sources,
    accessProfiles,
    roles,
    memberOf: (s) => roles.filter((r) => r.membership(s).matched),
    lifecycleStates: new Map([
      [
        'Employees',
        new Map(stateSpecs.map((s) => [s.technicalName, { ...s, grants: stateGrants(s, accessProfiles) }])),
      ],
    ]),
    assignableRoles: new Map([...roles, ...assignedOnly].map((r) => [r.id, r])),
    unresolved: [],
  }
}

/** A clock the test sets by hand. */
export function fakeClock(start: string): { now: () => Date; set: (iso: string) => void } {
  let t = Date.parse(start)
  return { now: () => new Date(t), set: (iso) => void (t = Date.parse(iso)) }
}

/** An active engineer with no accounts and nothing granted before: a joiner. */
export function person(over: Partial<PlanIdentity> = {}): PlanIdentity {
  return {
    id: 'i-ada',
    name: 'ada',
    identityProfile: 'Employees',
    attributes: { uid: 'ada', department: 'Engineering' },
    lifecycleState: 'active',
    previousLifecycleState: null,
    accounts: [],
    previousGrants: [],
    ...over,
  }
}

export function account(
  sourceId: string,
  nativeIdentity: string,
  entitlements: string[],
  over: Partial<PlanAccount> = {},
): PlanAccount {
  const attribute = sourceId === AD ? 'memberOf' : 'zones'
  return {
    sourceId,
    nativeIdentity,
    disabled: false,
    ...over,
    attributes: { [attribute]: entitlements, ...over.attributes },
  }
}

let assignmentCounter = 0

/** An administrator's assignment of an item, by default with no dates. */
export function assignment(
  itemType: PlanAssignment['itemType'],
  itemName: string,
  over: Partial<PlanAssignment> = {},
): PlanAssignment {
  return {
    id: over.id ?? `as-${++assignmentCounter}`,
    origin: 'ADMIN',
    itemType,
    itemId: itemName,
    itemName,
    startDate: null,
    removeDate: null,
    ...over,
  }
}

/** An entitlement assignment whose stored entitlement is found (sourceId, attribute, value). */
export function entitlementAssignment(
  sourceId: string,
  attribute: string,
  value: string,
  over: Partial<PlanAssignment> = {},
): PlanAssignment {
  return assignment('ENTITLEMENT', `${sourceId}:${attribute}:${value}`, {
    itemId: `ent-${value}`,
    entitlement: { sourceId, attribute, value },
    ...over,
  })
}

/** Plans one identity against the organisation, reserving account ids as a run does. */
export function plan(identity: PlanIdentity, now: () => Date, model = organisation()): IdentityPlanResult {
  const taken = new Set<string>()
  const ctx: PlanContext = {
    model,
    now,
    isAccountIdFree: (s, id) => !taken.has(`${s}/${id}`),
    reserveAccountId: (s, id) => void taken.add(`${s}/${id}`),
  }
  return planIdentity(identity, ctx)
}

/**
 * What the last applied plan recorded for `before`, stored and read back as apply does: its computed
 * grants (the shared set) and its assigned grants.
 */
export function appliedGrants(
  before: PlanIdentity,
  now: () => Date,
  model = organisation(),
): Pick<PlanIdentity, 'previousGrants' | 'previousAssignedGrants'> {
  const { desired } = plan(before, now, model)
  const stored = (grants: readonly Grant[]): Grant[] => decodeGrants(encodeGrants(grants))
  return {
    previousGrants: stored(desired.computedGrants),
    previousAssignedGrants: stored(desired.assignedGrants),
  }
}

/** A reason in a line: `ROLE Engineering`, `ASSIGNMENT as-1 (ADMIN, from …, until …)`. */
export function reasonLine(r: PlanReason): string {
  if (r.kind !== 'ASSIGNMENT') return `${r.kind} ${r.name}${r.detail ? ` [${r.detail}]` : ''}`
  const dates = [r.startDate && `from ${r.startDate}`, r.removeDate && `until ${r.removeDate}`].filter(
    Boolean,
  )
  return `ASSIGNMENT ${r.id} (${[r.origin, ...dates].join(', ')})`
}

/** An item and its reasons in a line: `AD ada Modify Add memberOf cn=fin ← ROLE Finance; ACCESS_PROFILE …`. */
export function itemLine(i: PlanItem): string {
  const what = [i.sourceName, i.nativeIdentity, i.operation, i.attributeOperation, i.attribute, i.value]
    .filter((x) => x !== undefined && x !== null)
    .join(' ')
  return `${what} ← ${i.reasons.map(reasonLine).join('; ')}`
}
