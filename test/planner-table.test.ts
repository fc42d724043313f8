import { describe, expect, it } from 'vitest'
import type { PlanIdentity } from '../src/domain/plan/planning-model.js'
import {
  AD,
  BADGE,
  account,
  appliedGrants,
  assignment,
  entitlementAssignment,
  fakeClock,
  itemLine,
  person,
  plan,
  reasonLine,
} from './support/planner-builders.js'

const clock = fakeClock('2027-06-15T12:00:00Z')
const now = clock.now

/** An engineer in steady state: both accounts hold what policy grants, and that was recorded. */
const settled = (over: Partial<PlanIdentity> = {}, appliedAt = '2027-06-15T12:00:00Z'): PlanIdentity => {
  const base = person({
    previousLifecycleState: 'active',
    accounts: [account(AD, 'ada', ['cn=eng', 'cn=vpn']), account(BADGE, 'ada', ['lobby'])],
    ...over,
  })
  return { ...base, ...appliedGrants(base, () => new Date(appliedAt)) }
}

/** The same identity a moment later: its previous grants are what was applied for `before`. */
const after = (before: PlanIdentity, change: Partial<PlanIdentity>): PlanIdentity => ({
  ...before,
  ...appliedGrants(before, now),
  ...change,
})

interface Case {
  readonly name: string
  readonly identity: PlanIdentity
  /** When it is planned (default: the clock's start). */
  readonly at?: string
  /** Every item with its reasons, one line each, in plan order. */
  readonly items: readonly string[]
  readonly selections?: readonly string[]
  /** The assignments' statuses, in order, with why each grants nothing when it does not. */
  readonly assignments?: readonly string[]
  /** Where items cannot show it (nothing changes): every granted entitlement with its reasons. */
  readonly granted?: readonly string[]
}

const cases: Case[] = [
  {
    name: 'joiner: accounts created with the granted entitlements',
    identity: person(),
    items: [
      'AD ada Create Set sAMAccountName ada ← ACCESS_PROFILE Engineering Share [via role "Engineering" (department EQUALS "Engineering")]; ACCESS_PROFILE Engineering Share [via role "Engineering" (department EQUALS "Engineering")]',
      'AD ada Create Add memberOf cn=eng ← ACCESS_PROFILE Engineering Share [via role "Engineering" (department EQUALS "Engineering")]',
      'AD ada Create Add memberOf cn=vpn ← ACCESS_PROFILE Engineering Share [via role "Engineering" (department EQUALS "Engineering")]',
      'Badge ada Create Set badgeId ada ← ACCESS_PROFILE Lobby [via lifecycle state "active" (lifecycle state "active")]',
      'Badge ada Create Add zones lobby ← ACCESS_PROFILE Lobby [via lifecycle state "active" (lifecycle state "active")]',
    ],
  },
  {
    name: 'steady state: nothing to do',
    identity: settled(),
    items: [],
  },
  {
    name: 'mover: Engineering to Finance — the old share goes, the new one comes',
    identity: after(settled(), { attributes: { uid: 'ada', department: 'Finance' } }),
    items: [
      'AD ada Modify Add memberOf cn=fin ← ACCESS_PROFILE Finance Share [via role "Finance" (department EQUALS "Finance")]',
      'AD ada Modify Remove memberOf cn=eng ← ACCESS_PROFILE Engineering Share [no longer granted (was: Engineering Share)]',
      'AD ada Modify Remove memberOf cn=vpn ← ACCESS_PROFILE Engineering Share [no longer granted (was: Engineering Share)]',
    ],
  },
  {
    name: 'access kept by a second grant: the VPN group stays with the remote-worker role',
    identity: after(settled({ attributes: { uid: 'ada', department: 'Engineering', remote: 'yes' } }), {
      attributes: { uid: 'ada', department: 'Finance', remote: 'yes' },
    }),
    items: [
      'AD ada Modify Add memberOf cn=fin ← ACCESS_PROFILE Finance Share [via role "Finance" (department EQUALS "Finance")]',
      'AD ada Modify Remove memberOf cn=eng ← ACCESS_PROFILE Engineering Share [no longer granted (was: Engineering Share)]',
    ],
  },
  {
    name: 'leaver: the terminated state disables every account and removes all access',
    identity: after(settled(), { lifecycleState: 'terminated' }),
    items: [
      'AD ada Disable ← LIFECYCLE_STATE terminated [lifecycle state "terminated"]',
      'Badge ada Disable ← LIFECYCLE_STATE terminated [lifecycle state "terminated"]',
      'AD ada Modify Remove memberOf cn=eng ← LIFECYCLE_STATE terminated [removes all access]',
      'AD ada Modify Remove memberOf cn=vpn ← LIFECYCLE_STATE terminated [removes all access]',
      'Badge ada Modify Remove zones lobby ← LIFECYCLE_STATE terminated [removes all access]',
    ],
  },
  {
    name: 'leave of absence: badge disabled, roles suspended, the state grants nothing',
    identity: after(settled(), { lifecycleState: 'leave' }),
    items: [
      'Badge ada Disable ← LIFECYCLE_STATE leave [lifecycle state "leave"]',
      'AD ada Modify Remove memberOf cn=eng ← ACCESS_PROFILE Engineering Share [no longer granted (was: Engineering Share)]',
      'AD ada Modify Remove memberOf cn=vpn ← ACCESS_PROFILE Engineering Share [no longer granted (was: Engineering Share)]',
      'Badge ada Modify Remove zones lobby ← ACCESS_PROFILE Lobby [no longer granted (was: Lobby)]',
    ],
  },
  {
    name: 'rehire: disabled accounts enabled and access granted again',
    identity: person({
      previousLifecycleState: 'terminated',
      accounts: [account(AD, 'ada', [], { disabled: true }), account(BADGE, 'ada', [], { disabled: true })],
    }),
    items: [
      'AD ada Enable ← LIFECYCLE_STATE active [lifecycle state "active"]',
      'Badge ada Enable ← LIFECYCLE_STATE active [lifecycle state "active"]',
      'AD ada Modify Add memberOf cn=eng ← ACCESS_PROFILE Engineering Share [via role "Engineering" (department EQUALS "Engineering")]',
      'AD ada Modify Add memberOf cn=vpn ← ACCESS_PROFILE Engineering Share [via role "Engineering" (department EQUALS "Engineering")]',
      'Badge ada Modify Add zones lobby ← ACCESS_PROFILE Lobby [via lifecycle state "active" (lifecycle state "active")]',
    ],
  },
  {
    name: "several accounts on one source: the access profile's criteria pick the admin account",
    identity: settled({
      accounts: [
        account(AD, 'ada', ['cn=eng', 'cn=vpn'], { attributes: { kind: 'user' } }),
        account(AD, 'adm-ada', [], { attributes: { kind: 'admin' } }),
        account(BADGE, 'ada', ['lobby']),
      ],
      assignments: [assignment('ROLE', 'Administrators', { id: 'as-admins' })],
    }),
    items: [
      'AD adm-ada Modify Add memberOf cn=domain-admins ← ASSIGNMENT as-admins (ADMIN); ACCESS_PROFILE Domain Admins [via role "Administrators"]',
    ],
    selections: ['AD Engineering Share: ada, adm-ada', 'AD Engineering Share: ada, adm-ada'],
    assignments: ['ACTIVE'],
  },
  {
    name: 'several accounts on one source: the account chosen at request time receives it, criteria or not',
    identity: settled({
      accounts: [
        account(AD, 'ada', ['cn=eng', 'cn=vpn'], { attributes: { kind: 'user' } }),
        account(AD, 'adm-ada', [], { attributes: { kind: 'admin' } }),
        account(BADGE, 'ada', ['lobby']),
      ],
      assignments: [
        assignment('ACCESS_PROFILE', 'Finance Share', {
          id: 'as-fin',
          origin: 'ACCESS_REQUEST',
          nativeIdentity: 'adm-ada',
        }),
        assignment('ACCESS_PROFILE', 'Domain Admins', {
          id: 'as-da',
          origin: 'ACCESS_REQUEST',
          nativeIdentity: 'ada',
        }),
      ],
    }),
    items: [
      'AD adm-ada Modify Add memberOf cn=fin ← ASSIGNMENT as-fin (ACCESS_REQUEST); ACCESS_PROFILE Finance Share [assigned (ACCESS_REQUEST assignment as-fin)]',
      'AD ada Modify Add memberOf cn=domain-admins ← ASSIGNMENT as-da (ACCESS_REQUEST); ACCESS_PROFILE Domain Admins [assigned (ACCESS_REQUEST assignment as-da)]',
    ],
    selections: ['AD Engineering Share: ada, adm-ada', 'AD Engineering Share: ada, adm-ada'],
    assignments: ['ACTIVE', 'ACTIVE'],
  },
  {
    name: 'assignment before its start date grants nothing',
    identity: settled({
      assignments: [
        assignment('ACCESS_PROFILE', 'Finance Share', {
          id: 'as-fin',
          startDate: '2027-07-01T00:00:00.000Z',
          removeDate: '2027-08-01T00:00:00.000Z',
        }),
      ],
    }),
    items: [],
    assignments: ['NOT_STARTED'],
  },
  {
    name: 'assignment from its start date grants, and its reason names it with origin and dates',
    at: '2027-07-01T00:00:00Z',
    identity: settled({
      assignments: [
        assignment('ACCESS_PROFILE', 'Finance Share', {
          id: 'as-fin',
          startDate: '2027-07-01T00:00:00.000Z',
          removeDate: '2027-08-01T00:00:00.000Z',
        }),
      ],
    }),
    items: [
      'AD ada Modify Add memberOf cn=fin ← ASSIGNMENT as-fin (ADMIN, from 2027-07-01T00:00:00.000Z, until 2027-08-01T00:00:00.000Z); ACCESS_PROFILE Finance Share [assigned (ADMIN assignment as-fin from 2027-07-01T00:00:00.000Z until 2027-08-01T00:00:00.000Z)]',
    ],
    assignments: ['ACTIVE'],
  },
  {
    name: 'assignment at its remove date: what only it granted is removed',
    at: '2027-08-01T00:00:00Z',
    // Applied while the assignment held, on a day in July.
    identity: settled(
      {
        accounts: [account(AD, 'ada', ['cn=eng', 'cn=vpn', 'cn=fin']), account(BADGE, 'ada', ['lobby'])],
        assignments: [
          assignment('ACCESS_PROFILE', 'Finance Share', {
            id: 'as-fin',
            origin: 'ACCESS_REQUEST',
            startDate: '2027-07-01T00:00:00.000Z',
            removeDate: '2027-08-01T00:00:00.000Z',
          }),
        ],
      },
      '2027-07-15T00:00:00Z',
    ),
    items: [
      'AD ada Modify Remove memberOf cn=fin ← ASSIGNMENT as-fin (ACCESS_REQUEST, from 2027-07-01T00:00:00.000Z, until 2027-08-01T00:00:00.000Z); ACCESS_PROFILE Finance Share [no longer granted (was: Finance Share)]',
    ],
    assignments: ['ENDED'],
  },
  {
    name: 'an assigned entitlement a role also grants: one grant, both reasons, nothing to do',
    identity: settled({ assignments: [entitlementAssignment(AD, 'memberOf', 'cn=vpn', { id: 'as-vpn' })] }),
    items: [],
    assignments: ['ACTIVE'],
    granted: [
      'cn=eng ← ACCESS_PROFILE Engineering Share [via role "Engineering" (department EQUALS "Engineering")]',
      'cn=vpn ← ACCESS_PROFILE Engineering Share [via role "Engineering" (department EQUALS "Engineering")]; ASSIGNMENT as-vpn (ADMIN)',
      'lobby ← ACCESS_PROFILE Lobby [via lifecycle state "active" (lifecycle state "active")]',
    ],
  },
  {
    name: 'a mover keeps what an assignment still grants',
    identity: after(
      settled({ assignments: [entitlementAssignment(AD, 'memberOf', 'cn=eng', { id: 'as-eng' })] }),
      { attributes: { uid: 'ada', department: 'Finance' } },
    ),
    items: [
      'AD ada Modify Add memberOf cn=fin ← ACCESS_PROFILE Finance Share [via role "Finance" (department EQUALS "Finance")]',
      'AD ada Modify Remove memberOf cn=vpn ← ACCESS_PROFILE Engineering Share [no longer granted (was: Engineering Share)]',
    ],
    assignments: ['ACTIVE'],
  },
  {
    name: 'remove-all outranks assignments',
    identity: after(
      settled({ assignments: [assignment('ACCESS_PROFILE', 'Finance Share', { id: 'as-fin' })] }),
      { lifecycleState: 'terminated' },
    ),
    items: [
      'AD ada Disable ← LIFECYCLE_STATE terminated [lifecycle state "terminated"]',
      'Badge ada Disable ← LIFECYCLE_STATE terminated [lifecycle state "terminated"]',
      'AD ada Modify Remove memberOf cn=eng ← LIFECYCLE_STATE terminated [removes all access]',
      'AD ada Modify Remove memberOf cn=vpn ← LIFECYCLE_STATE terminated [removes all access]',
      'Badge ada Modify Remove zones lobby ← LIFECYCLE_STATE terminated [removes all access]',
    ],
    assignments: ['SUSPENDED: the lifecycle state removes all access'],
  },
  {
    name: 'an assignment that ends removes nothing a role still grants',
    at: '2027-08-01T00:00:00Z',
    identity: settled(
      {
        assignments: [
          entitlementAssignment(AD, 'memberOf', 'cn=eng', {
            id: 'as-eng',
            removeDate: '2027-08-01T00:00:00.000Z',
          }),
        ],
      },
      '2027-07-15T00:00:00Z',
    ),
    items: [],
    assignments: ['ENDED'],
    granted: [
      'cn=eng ← ACCESS_PROFILE Engineering Share [via role "Engineering" (department EQUALS "Engineering")]',
      'cn=vpn ← ACCESS_PROFILE Engineering Share [via role "Engineering" (department EQUALS "Engineering")]',
      'lobby ← ACCESS_PROFILE Lobby [via lifecycle state "active" (lifecycle state "active")]',
    ],
  },
  {
    name: 'an inactive state suspends an assigned role; an assigned access profile still grants',
    identity: after(
      settled({
        accounts: [
          account(AD, 'ada', ['cn=eng', 'cn=vpn', 'cn=domain-admins', 'cn=fin']),
          account(BADGE, 'ada', ['lobby']),
        ],
        assignments: [
          assignment('ROLE', 'Administrators', { id: 'as-admins' }),
          assignment('ACCESS_PROFILE', 'Finance Share', { id: 'as-fin', origin: 'CERTIFICATION' }),
        ],
      }),
      { lifecycleState: 'leave' },
    ),
    items: [
      'Badge ada Disable ← LIFECYCLE_STATE leave [lifecycle state "leave"]',
      'AD ada Modify Remove memberOf cn=eng ← ACCESS_PROFILE Engineering Share [no longer granted (was: Engineering Share)]',
      'AD ada Modify Remove memberOf cn=vpn ← ACCESS_PROFILE Engineering Share [no longer granted (was: Engineering Share)]',
      'Badge ada Modify Remove zones lobby ← ACCESS_PROFILE Lobby [no longer granted (was: Lobby)]',
      'AD ada Modify Remove memberOf cn=domain-admins ← ASSIGNMENT as-admins (ADMIN); ACCESS_PROFILE Domain Admins [no longer granted (was: Domain Admins)]',
    ],
    assignments: ['SUSPENDED: roles grant nothing in this lifecycle state', 'ACTIVE'],
    granted: [
      'cn=fin ← ASSIGNMENT as-fin (CERTIFICATION); ACCESS_PROFILE Finance Share [assigned (CERTIFICATION assignment as-fin)]',
    ],
  },
  {
    name: 'unresolved references are reported and grant nothing',
    identity: settled({
      assignments: [
        assignment('ACCESS_PROFILE', 'Retired Share', { id: 'as-gone' }),
        assignment('ROLE', 'Retired Role', { id: 'as-gone-role' }),
        assignment('ENTITLEMENT', 'AD:memberOf:cn=deleted', { id: 'as-gone-ent' }),
        entitlementAssignment('src-retired', 'groups', 'old', { id: 'as-gone-src' }),
        entitlementAssignment(AD, 'mail', 'x', { id: 'as-not-ent' }),
      ],
    }),
    items: [],
    assignments: [
      'UNRESOLVED: no enabled access profile "Retired Share" (id Retired Share) in the configuration',
      'UNRESOLVED: no enabled role "Retired Role" (id Retired Role) in the configuration',
      'UNRESOLVED: entitlement "AD:memberOf:cn=deleted" is no longer in the store',
      'UNRESOLVED: entitlement "src-retired:groups:old" is on a source that is no longer configured',
      'UNRESOLVED: "mail" is no longer an entitlement attribute of source "AD"',
    ],
    granted: [
      'cn=eng ← ACCESS_PROFILE Engineering Share [via role "Engineering" (department EQUALS "Engineering")]',
      'cn=vpn ← ACCESS_PROFILE Engineering Share [via role "Engineering" (department EQUALS "Engineering")]',
      'lobby ← ACCESS_PROFILE Lobby [via lifecycle state "active" (lifecycle state "active")]',
    ],
  },
]

describe('the planner, case by case', () => {
  it.each(cases)('$name', (c) => {
    clock.set(c.at ?? '2027-06-15T12:00:00Z')
    const result = plan(c.identity, now)
    expect(result.items.map(itemLine)).toEqual(c.items)
    expect(
      result.selections.map((s) => `${s.sourceName} ${s.accessProfile}: ${s.candidates.join(', ')}`),
    ).toEqual(c.selections ?? [])
    expect(result.desired.assignments.map((a) => [a.status, a.detail].filter(Boolean).join(': '))).toEqual(
      c.assignments ?? [],
    )
    if (c.granted) {
      const entitlements = result.desired.grants.filter((g) => g.kind === 'ENTITLEMENT')
      expect(entitlements.map((g) => `${g.value} ← ${g.reasons.map(reasonLine).join('; ')}`)).toEqual(
        c.granted,
      )
    }
    expect(result.errors).toEqual([])
  })
})
