import { describe, expect, it } from 'vitest'
import {
  accessProfileSchema,
  identityProfileSchema,
  roleSchema,
  sourceSchema,
  workspaceSettingsSchema,
} from '../config/config-schemas.js'
import type { WorkspaceConfig } from '../config/workspace-config.js'
import type { PlanAssignment } from '../plan/assignment.js'
import { buildPlanningModel } from '../plan/build-planning-model.js'
import { entitlementKey } from '../plan/entitlement-key.js'
import { describeReason } from '../plan/describe-reason.js'
import { planIdentity } from '../plan/plan-identity.js'
import type { PlanAccount, PlanIdentity } from '../plan/planning-model.js'
import { reviewItems, type ReviewItem, type ReviewScope } from './review-items.js'

/**
 * A small workspace, built as a loaded one is (the schemas fill the defaults) and turned into the planner's
 * model by buildPlanningModel: a directory and a badge system; roles by criteria, by identity list and
 * assigned only; access profiles granted by a role, by a lifecycle state and by request.
 */
const DIR = 'src-dir'
const BADGE = 'src-badge'
const NOW = new Date('2026-03-01T12:00:00Z')

const at = <T>(value: T) => ({ file: 'test.yaml', value })
const source = (name: string, idAttribute: string, entitlements: string) =>
  at(
    sourceSchema.parse({
      name,
      schemas: [
        {
          identityAttribute: idAttribute,
          attributes: [
            { name: idAttribute },
            { name: 'description' },
            { name: entitlements, isMulti: true, isEntitlement: true },
          ],
        },
      ],
    }),
  )

const config: WorkspaceConfig = {
  dir: '/workspace',
  settings: workspaceSettingsSchema.parse({}),
  sources: [source('Directory', 'sAMAccountName', 'memberOf'), source('Badge', 'badgeId', 'zones')],
  identityProfiles: [
    at(
      identityProfileSchema.parse({
        name: 'Employees',
        authoritativeSource: 'HR',
        identityAttributeConfig: {},
        lifecycleStates: [
          { name: 'Active', technicalName: 'active', enabled: true, accessProfileIds: ['Lobby'] },
          { name: 'Contractor', technicalName: 'contractor', enabled: true },
          { name: 'On leave', technicalName: 'leave', enabled: true, identityState: 'INACTIVE_SHORT_TERM' },
          {
            name: 'Terminated',
            technicalName: 'terminated',
            enabled: true,
            identityState: 'INACTIVE_LONG_TERM',
            accessActionConfiguration: { removeAllAccessEnabled: true },
          },
        ],
      }),
    ),
  ],
  transforms: [],
  accessProfiles: [
    at(
      accessProfileSchema.parse({
        name: 'Lobby',
        id: 'ap-lobby',
        source: 'Badge',
        entitlements: [{ value: 'lobby' }],
      }),
    ),
    at(
      accessProfileSchema.parse({
        name: 'Engineering Share',
        id: 'ap-eng',
        source: 'Directory',
        entitlements: [{ value: 'cn=eng' }, { value: 'cn=vpn' }],
      }),
    ),
    at(
      accessProfileSchema.parse({
        name: 'VPN',
        id: 'ap-vpn',
        source: 'Directory',
        entitlements: [{ value: 'cn=vpn' }],
      }),
    ),
  ],
  roles: [
    at(
      roleSchema.parse({
        name: 'Engineering',
        id: 'role-eng',
        membership: {
          type: 'STANDARD',
          criteria: {
            operation: 'EQUALS',
            key: { type: 'IDENTITY', property: 'attribute.department' },
            stringValue: 'Engineering',
          },
        },
        accessProfiles: ['Engineering Share'],
        entitlements: [{ source: 'Directory', value: 'cn=wiki' }],
      }),
    ),
    at(
      roleSchema.parse({
        name: 'Auditors',
        id: 'role-audit',
        membership: { type: 'IDENTITY_LIST', identities: [{ name: 'grace' }] },
      }),
    ),
    // No membership: only ever assigned.
    at(
      roleSchema.parse({
        name: 'Administrators',
        id: 'role-admin',
        entitlements: [{ source: 'Directory', value: 'cn=admins' }],
      }),
    ),
  ],
  governanceGroups: [],
}

const model = buildPlanningModel(
  config,
  new Map([
    ['Directory', DIR],
    ['Badge', BADGE],
  ]),
)

/** A contractor in Sales: nothing granted, no accounts. */
const person = (over: Partial<PlanIdentity> = {}): PlanIdentity => ({
  id: 'i-ada',
  name: 'ada',
  identityProfile: 'Employees',
  attributes: { uid: 'ada', department: 'Sales' },
  lifecycleState: 'contractor',
  previousLifecycleState: 'contractor',
  accounts: [],
  previousGrants: [],
  ...over,
})

const dir = (
  nativeIdentity: string,
  memberOf: unknown = [],
  extra: Record<string, unknown> = {},
): PlanAccount => ({
  sourceId: DIR,
  nativeIdentity,
  disabled: false,
  attributes: { sAMAccountName: nativeIdentity, memberOf, ...extra },
})
const badge = (nativeIdentity: string, zones: string[]): PlanAccount => ({
  sourceId: BADGE,
  nativeIdentity,
  disabled: false,
  attributes: { badgeId: nativeIdentity, zones },
})

const assign = (
  id: string,
  itemType: PlanAssignment['itemType'],
  itemId: string,
  over: Partial<PlanAssignment> = {},
): PlanAssignment => ({
  id,
  origin: 'ACCESS_REQUEST',
  itemType,
  itemId,
  itemName: itemId,
  startDate: null,
  removeDate: null,
  ...over,
})
const assignEntitlement = (id: string, sourceId: string, attribute: string, value: string, over = {}) =>
  assign(id, 'ENTITLEMENT', `ent-${value}`, {
    itemName: value,
    entitlement: { sourceId, attribute, value },
    ...over,
  })

/** The identity's review items, through a real planner pass (the generator's path). */
function review(identity: PlanIdentity, scope?: ReviewScope): ReviewItem[] {
  const { desired } = planIdentity(identity, {
    model,
    now: () => NOW,
    isAccountIdFree: () => true,
    reserveAccountId: () => undefined,
  })
  return reviewItems(desired, identity.accounts, model, scope)
}

/** One item in a line: type, id (NUL as `/`), name, whether a REVOKE can remove it, the assignments it ends, the account. */
const line = (i: ReviewItem): string =>
  [
    i.itemType,
    i.itemId.replaceAll('\u0000', '/'),
    `"${i.itemName}"`,
    i.revocable ? 'revocable' : 'acknowledge-only',
    ...i.assignmentIds,
    ...(i.nativeIdentity !== null ? [`@${i.nativeIdentity}`] : []),
  ].join(' ')

const CASES: readonly [
  name: string,
  identity: Partial<PlanIdentity>,
  scope: ReviewScope | undefined,
  expected: string[],
][] = [
  ['nothing granted and no accounts: nothing to review', {}, undefined, []],
  [
    'a role met by its criteria is acknowledge-only; its access profile and entitlements, held, are reviewed through it',
    {
      attributes: { uid: 'ada', department: 'Engineering' },
      accounts: [dir('ada', ['cn=eng', 'cn=vpn', 'cn=wiki'])],
    },
    undefined,
    ['ROLE role-eng "Engineering" acknowledge-only'],
  ],
  [
    'a role by identity list is acknowledge-only',
    { attributes: { uid: 'grace', department: 'Sales' } },
    undefined,
    ['ROLE role-audit "Auditors" acknowledge-only'],
  ],
  [
    'a requested role is revocable and names its assignment; what it bundles is reviewed through it',
    { assignments: [assign('as-1', 'ROLE', 'role-admin')], accounts: [dir('ada', ['cn=admins'])] },
    undefined,
    ['ROLE role-admin "Administrators" revocable as-1'],
  ],
  [
    'a role met by its criteria and also requested is revocable: a REVOKE ends the request',
    {
      attributes: { uid: 'ada', department: 'Engineering' },
      assignments: [assign('as-1', 'ROLE', 'role-eng')],
    },
    undefined,
    ['ROLE role-eng "Engineering" revocable as-1'],
  ],
  [
    'an access profile of the lifecycle state is acknowledge-only; its entitlement, held, is not unmanaged',
    { lifecycleState: 'active', previousLifecycleState: 'active', accounts: [badge('B1', ['lobby'])] },
    undefined,
    ['ACCESS_PROFILE ap-lobby "Lobby" acknowledge-only'],
  ],
  [
    'an access profile given by an administrator is revocable, on the account chosen for it',
    { assignments: [assign('as-1', 'ACCESS_PROFILE', 'ap-vpn', { origin: 'ADMIN', nativeIdentity: 'ada' })] },
    undefined,
    ['ACCESS_PROFILE ap-vpn "VPN" revocable as-1 @ada'],
  ],
  [
    'an access profile both in a met role and requested is reviewed on its own too',
    {
      attributes: { uid: 'ada', department: 'Engineering' },
      assignments: [assign('as-1', 'ACCESS_PROFILE', 'ap-eng')],
    },
    undefined,
    [
      'ROLE role-eng "Engineering" acknowledge-only',
      'ACCESS_PROFILE ap-eng "Engineering Share" revocable as-1',
    ],
  ],
  [
    'two assignments of one access profile: one item ending both',
    {
      assignments: [
        assign('as-1', 'ACCESS_PROFILE', 'ap-vpn'),
        assign('as-2', 'ACCESS_PROFILE', 'ap-vpn', { origin: 'CERTIFICATION' }),
      ],
    },
    undefined,
    ['ACCESS_PROFILE ap-vpn "VPN" revocable as-1 as-2'],
  ],
  [
    'the entitlements of a requested access profile, held, are reviewed through it',
    {
      assignments: [assign('as-1', 'ACCESS_PROFILE', 'ap-eng')],
      accounts: [dir('ada', ['cn=eng', 'cn=vpn'])],
    },
    undefined,
    ['ACCESS_PROFILE ap-eng "Engineering Share" revocable as-1'],
  ],
  [
    'an entitlement assigned directly is revocable, held or not',
    {
      assignments: [
        assignEntitlement('as-1', DIR, 'memberOf', 'cn=printers'),
        assignEntitlement('as-2', BADGE, 'zones', 'datacenter', { origin: 'CERTIFICATION' }),
      ],
      accounts: [dir('ada', ['cn=printers'])],
    },
    undefined,
    [
      'ENTITLEMENT src-dir/memberOf/cn=printers "cn=printers" revocable as-1',
      'ENTITLEMENT src-badge/zones/datacenter "datacenter" revocable as-2',
    ],
  ],
  [
    'an entitlement in a met role and also assigned is reviewed on its own too',
    {
      attributes: { uid: 'ada', department: 'Engineering' },
      assignments: [assignEntitlement('as-1', DIR, 'memberOf', 'cn=wiki')],
    },
    undefined,
    [
      'ROLE role-eng "Engineering" acknowledge-only',
      'ENTITLEMENT src-dir/memberOf/cn=wiki "cn=wiki" revocable as-1',
    ],
  ],
  [
    'an entitlement held on an account that nothing grants is unmanaged and revocable, on that account',
    { accounts: [dir('ada', ['cn=x'])] },
    undefined,
    ['ENTITLEMENT src-dir/memberOf/cn=x "cn=x" revocable @ada'],
  ],
  [
    'held and granted versus held only: only the latter is unmanaged',
    { lifecycleState: 'active', previousLifecycleState: 'active', accounts: [badge('B1', ['lobby', 'vip'])] },
    undefined,
    [
      'ACCESS_PROFILE ap-lobby "Lobby" acknowledge-only',
      'ENTITLEMENT src-badge/zones/vip "vip" revocable @B1',
    ],
  ],
  [
    'one unmanaged entitlement on two accounts: an item per account',
    { accounts: [dir('ada', ['cn=x']), dir('ada-adm', ['cn=x'])] },
    undefined,
    [
      'ENTITLEMENT src-dir/memberOf/cn=x "cn=x" revocable @ada',
      'ENTITLEMENT src-dir/memberOf/cn=x "cn=x" revocable @ada-adm',
    ],
  ],
  [
    'a single value counts as one; empty and non-text values do not count',
    { accounts: [dir('ada', 'cn=x'), dir('ada-adm', ['', 5, null, 'cn=y']), dir('ada-t', '')] },
    undefined,
    [
      'ENTITLEMENT src-dir/memberOf/cn=x "cn=x" revocable @ada',
      'ENTITLEMENT src-dir/memberOf/cn=y "cn=y" revocable @ada-adm',
    ],
  ],
  [
    'only entitlement attributes are read',
    { accounts: [dir('ada', [], { description: 'cn=x', title: ['Admin'] })] },
    undefined,
    [],
  ],
  [
    'an account on a source no longer configured is left out',
    {
      accounts: [
        { sourceId: 'src-gone', nativeIdentity: 'ada', disabled: false, attributes: { memberOf: ['cn=x'] } },
      ],
    },
    { accounts: true },
    [],
  ],
  [
    'an inactive lifecycle state suspends roles: what they granted, still held, is unmanaged',
    {
      attributes: { uid: 'ada', department: 'Engineering' },
      lifecycleState: 'leave',
      previousLifecycleState: 'leave',
      accounts: [dir('ada', ['cn=eng'])],
    },
    undefined,
    ['ENTITLEMENT src-dir/memberOf/cn=eng "cn=eng" revocable @ada'],
  ],
  [
    'a state that removes all access: nothing granted, every entitlement held is unmanaged',
    {
      lifecycleState: 'terminated',
      previousLifecycleState: 'terminated',
      assignments: [assign('as-1', 'ACCESS_PROFILE', 'ap-vpn')],
      accounts: [dir('ada', ['cn=vpn'])],
    },
    undefined,
    ['ENTITLEMENT src-dir/memberOf/cn=vpn "cn=vpn" revocable @ada'],
  ],
  [
    'an assignment not started yet or ended grants nothing to review',
    {
      assignments: [
        assign('as-1', 'ACCESS_PROFILE', 'ap-vpn', { startDate: '2026-04-01T00:00:00Z' }),
        assign('as-2', 'ROLE', 'role-admin', { removeDate: '2026-02-01T00:00:00Z' }),
      ],
    },
    undefined,
    [],
  ],
  [
    'scoped to a source: roles are left out, requested ones too',
    {
      attributes: { uid: 'ada', department: 'Engineering' },
      assignments: [assign('as-1', 'ROLE', 'role-admin')],
      accounts: [dir('ada', ['cn=eng', 'cn=vpn', 'cn=wiki', 'cn=admins'])],
    },
    { sourceIds: new Set([DIR]) },
    [],
  ],
  [
    'scoped to the directory: its access profiles, entitlements and unmanaged access only',
    {
      lifecycleState: 'active',
      previousLifecycleState: 'active',
      assignments: [
        assign('as-1', 'ACCESS_PROFILE', 'ap-vpn'),
        assignEntitlement('as-2', BADGE, 'zones', 'datacenter'),
      ],
      accounts: [dir('ada', ['cn=vpn', 'cn=x']), badge('B1', ['lobby', 'datacenter', 'vip'])],
    },
    { sourceIds: new Set([DIR]) },
    ['ACCESS_PROFILE ap-vpn "VPN" revocable as-1', 'ENTITLEMENT src-dir/memberOf/cn=x "cn=x" revocable @ada'],
  ],
  [
    'scoped to the badge system: the same identity, the other half',
    {
      lifecycleState: 'active',
      previousLifecycleState: 'active',
      assignments: [
        assign('as-1', 'ACCESS_PROFILE', 'ap-vpn'),
        assignEntitlement('as-2', BADGE, 'zones', 'datacenter'),
      ],
      accounts: [dir('ada', ['cn=vpn', 'cn=x']), badge('B1', ['lobby', 'datacenter', 'vip'])],
    },
    { sourceIds: new Set([BADGE]) },
    [
      'ACCESS_PROFILE ap-lobby "Lobby" acknowledge-only',
      'ENTITLEMENT src-badge/zones/datacenter "datacenter" revocable as-2',
      'ENTITLEMENT src-badge/zones/vip "vip" revocable @B1',
    ],
  ],
  [
    'with accounts: each account in scope, then its unmanaged entitlements',
    { accounts: [dir('ada', ['cn=x']), dir('ada-adm'), badge('B1', ['vip'])] },
    { sourceIds: new Set([DIR]), accounts: true },
    [
      'ACCOUNT ada "ada on Directory" revocable @ada',
      'ENTITLEMENT src-dir/memberOf/cn=x "cn=x" revocable @ada',
      'ACCOUNT ada-adm "ada-adm on Directory" revocable @ada-adm',
    ],
  ],
  [
    'with accounts and no source scope: every account on a configured source, and roles',
    { attributes: { uid: 'grace', department: 'Sales' }, accounts: [dir('grace'), badge('B7', [])] },
    { accounts: true },
    [
      'ROLE role-audit "Auditors" acknowledge-only',
      'ACCOUNT grace "grace on Directory" revocable @grace',
      'ACCOUNT B7 "B7 on Badge" revocable @B7',
    ],
  ],
  [
    'an assignment for one account manages the value there only: the same group on another account is unmanaged',
    {
      assignments: [assign('as-1', 'ACCESS_PROFILE', 'ap-vpn', { nativeIdentity: 'ada' })],
      accounts: [dir('ada', ['cn=vpn']), dir('ada-adm', ['cn=vpn'])],
    },
    undefined,
    [
      'ACCESS_PROFILE ap-vpn "VPN" revocable as-1 @ada',
      'ENTITLEMENT src-dir/memberOf/cn=vpn "cn=vpn" revocable @ada-adm',
    ],
  ],
  [
    'an empty source scope reviews nothing',
    { lifecycleState: 'active', previousLifecycleState: 'active', accounts: [dir('ada', ['cn=x'])] },
    { sourceIds: new Set(), accounts: true },
    [],
  ],
]

describe('reviewItems: what an identity holds, as review items', () => {
  it.each(CASES)('%s', (_name, identity, scope, expected) => {
    expect(review(person(identity), scope).map(line)).toEqual(expected)
  })
})

describe('reviewItems: why an item cannot be revoked', () => {
  const ACK: readonly [name: string, identity: Partial<PlanIdentity>, itemId: string, why: string][] = [
    [
      'a role by criteria: the criteria, and that it goes when they stop matching',
      { attributes: { uid: 'ada', department: 'Engineering' } },
      'role-eng',
      'a member of role "Engineering" by its criteria (department EQUALS "Engineering"): it goes when the criteria stop matching, not by a review',
    ],
    [
      'a role by identity list: what to do instead',
      { attributes: { uid: 'grace' } },
      'role-audit',
      'a member of role "Auditors" by its identity list: remove the identity from the list to revoke it',
    ],
    [
      'an access profile of the lifecycle state: the state',
      { lifecycleState: 'active', previousLifecycleState: 'active' },
      'ap-lobby',
      'granted by lifecycle state "active": it goes when the state changes, not by a review',
    ],
  ]
  it.each(ACK)('%s', (_name, identity, itemId, why) => {
    const found = review(person(identity)).find((i) => i.itemId === itemId)
    expect(found).toMatchObject({ revocable: false, acknowledgeOnly: why, assignmentIds: [] })
  })
})

describe('reviewItems: why an account is held', () => {
  const reasonsOf = (identity: PlanIdentity, m = model): Record<string, string[]> => {
    const { desired } = planIdentity(identity, {
      model: m,
      now: () => NOW,
      isAccountIdFree: () => true,
      reserveAccountId: () => undefined,
    })
    const items = reviewItems(desired, identity.accounts, m, { accounts: true })
    return Object.fromEntries(
      items.filter((i) => i.itemType === 'ACCOUNT').map((i) => [i.itemId, i.reasons.map(describeReason)]),
    )
  }
  const engineer = { attributes: { uid: 'ada', department: 'Engineering' } }

  it('of several on a source, each by what it holds or is assigned; one that nothing asks for by nothing', () => {
    const identity = person({
      ...engineer,
      assignments: [assign('as-1', 'ACCESS_PROFILE', 'ap-vpn', { nativeIdentity: 'ada-vpn' })],
      accounts: [dir('ada', ['cn=eng']), dir('ada-vpn'), dir('ada-adm', ['cn=x']), badge('B1', [])],
    })
    expect(reasonsOf(identity)).toEqual({
      ada: ['access profile "Engineering Share" via role "Engineering" (department EQUALS "Engineering")'],
      // cn=vpn, assigned for this account, is one grant with the role's (Engineering Share has it too).
      'ada-vpn': [
        'access profile "Engineering Share" via role "Engineering" (department EQUALS "Engineering")',
        'ACCESS_REQUEST assignment as-1 of access profile "ap-vpn"',
        'access profile "VPN" assigned (ACCESS_REQUEST assignment as-1)',
      ],
      'ada-adm': [],
      B1: [],
    })
  })

  it("on an authoritative source: the identity's record there, and not revocable", () => {
    const sources = new Map(
      [...model.sources].map(([id, s]) => [id, id === BADGE ? { ...s, authoritative: true } : s]),
    )
    const identity = person({ accounts: [badge('B1', [])] })
    expect(reasonsOf(identity, { ...model, sources })).toEqual({
      B1: ['the identity\'s record on its authoritative source "Badge"'],
    })
  })
})

describe('reviewItems: each kind of item in full', () => {
  const vpn = assign('as-1', 'ACCESS_PROFILE', 'ap-vpn', { origin: 'ADMIN', nativeIdentity: 'ada' })
  const printers = assignEntitlement('as-2', DIR, 'memberOf', 'cn=printers')
  const identity = person({
    attributes: { uid: 'ada', department: 'Engineering' },
    assignments: [vpn, printers],
    accounts: [dir('ada', ['cn=x'])],
  })
  const items = review(identity, { accounts: true })
  const byKey = (key: string) => items.find((i) => i.key === key)
  const printersKey = entitlementKey(DIR, 'memberOf', 'cn=printers')
  const xKey = entitlementKey(DIR, 'memberOf', 'cn=x')

  it.each<[name: string, key: string, expected: ReviewItem]>([
    [
      'a role: key R:, no source, the planner reasons',
      'R:role-eng',
      {
        itemType: 'ROLE',
        itemId: 'role-eng',
        itemName: 'Engineering',
        sourceId: null,
        attribute: null,
        value: null,
        nativeIdentity: null,
        reasons: [
          { kind: 'ROLE', id: 'role-eng', name: 'Engineering', detail: 'department EQUALS "Engineering"' },
        ],
        revocable: false,
        acknowledgeOnly:
          'a member of role "Engineering" by its criteria (department EQUALS "Engineering"): it goes when the criteria stop matching, not by a review',
        assignmentIds: [],
        key: 'R:role-eng',
      },
    ],
    [
      'an access profile: key AP:, its source, the assignment as reason',
      'AP:ap-vpn',
      {
        itemType: 'ACCESS_PROFILE',
        itemId: 'ap-vpn',
        itemName: 'VPN',
        sourceId: DIR,
        attribute: null,
        value: null,
        nativeIdentity: 'ada',
        reasons: [
          {
            kind: 'ASSIGNMENT',
            id: 'as-1',
            name: 'ap-vpn',
            detail: 'ADMIN assignment as-1 of access profile "ap-vpn"',
            origin: 'ADMIN',
            itemType: 'ACCESS_PROFILE',
            account: 'ada',
          },
        ],
        revocable: true,
        acknowledgeOnly: null,
        assignmentIds: ['as-1'],
        key: 'AP:ap-vpn',
      },
    ],
    [
      'an assigned entitlement: key E:, its attribute and value',
      `E:${printersKey}`,
      {
        itemType: 'ENTITLEMENT',
        itemId: printersKey,
        itemName: 'cn=printers',
        sourceId: DIR,
        attribute: 'memberOf',
        value: 'cn=printers',
        nativeIdentity: null,
        reasons: [
          {
            kind: 'ASSIGNMENT',
            id: 'as-2',
            name: 'cn=printers',
            detail: 'ACCESS_REQUEST assignment as-2 of entitlement "cn=printers"',
            origin: 'ACCESS_REQUEST',
            itemType: 'ENTITLEMENT',
          },
        ],
        revocable: true,
        acknowledgeOnly: null,
        assignmentIds: ['as-2'],
        key: `E:${printersKey}`,
      },
    ],
    [
      'an unmanaged entitlement: no reasons, no assignment, the account holding it',
      `E:${xKey}`,
      {
        itemType: 'ENTITLEMENT',
        itemId: xKey,
        itemName: 'cn=x',
        sourceId: DIR,
        attribute: 'memberOf',
        value: 'cn=x',
        nativeIdentity: 'ada',
        reasons: [],
        revocable: true,
        acknowledgeOnly: null,
        assignmentIds: [],
        key: `E:${xKey}`,
      },
    ],
    [
      'an account: key A: and the source (peers compare holding an account there)',
      `A:${DIR}`,
      {
        itemType: 'ACCOUNT',
        itemId: 'ada',
        itemName: 'ada on Directory',
        sourceId: DIR,
        attribute: null,
        value: null,
        nativeIdentity: 'ada',
        reasons: expect.any(Array),
        revocable: true,
        acknowledgeOnly: null,
        assignmentIds: [],
        key: `A:${DIR}`,
      },
    ],
  ])('%s', (_name, key, expected) => {
    expect(byKey(key)).toEqual(expected)
  })

  it("an account's reasons: what grants access on its source there, each once", () => {
    expect(byKey(`A:${DIR}`)?.reasons.map(describeReason)).toEqual([
      'access profile "Engineering Share" via role "Engineering" (department EQUALS "Engineering")',
      'ADMIN assignment as-1 of access profile "ap-vpn"',
      'access profile "VPN" assigned (ADMIN assignment as-1)',
      'role "Engineering" (department EQUALS "Engineering")',
      'ACCESS_REQUEST assignment as-2 of entitlement "cn=printers"',
    ])
  })

  it('lists every item once: one role, the two assignments, the account and its unmanaged entitlement', () => {
    expect(items.map((i) => i.key)).toEqual([
      'R:role-eng',
      'AP:ap-vpn',
      `E:${printersKey}`,
      `A:${DIR}`,
      `E:${xKey}`,
    ])
  })
})
