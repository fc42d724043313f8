import { describe, expect, it } from 'vitest'
import { compileTransform } from '../transforms/compile-transform.js'
import { roleGrants, stateGrants } from './desired-access.js'
import { entitlementKey } from './entitlement-key.js'
import { planIdentity, type PlanContext } from './plan-identity.js'
import type {
  Grant,
  PlanAccessProfile,
  PlanIdentity,
  PlanLifecycleState,
  PlanningModel,
  PlanRole,
  PlanSource,
} from './planning-model.js'

const BADGE = 'src-badge'
const AD = 'src-ad'

type StateSpec = Omit<PlanLifecycleState, 'grants'>
type RoleSpec = Omit<PlanRole, 'grants' | 'origin'>
interface ModelSpec {
  sources: PlanningModel['sources']
  accessProfiles: PlanningModel['accessProfiles']
  roles: readonly RoleSpec[]
  lifecycleStates: ReadonlyMap<string, ReadonlyMap<string, StateSpec>>
}

const state = (technicalName: string, extra: Partial<StateSpec> = {}): StateSpec => ({
  technicalName,
  name: technicalName,
  accessProfileIds: [],
  accountActions: [],
  removeAllAccess: false,
  identityState: 'ACTIVE',
  ...extra,
})

const engineering: RoleSpec = {
  id: 'role-eng',
  name: 'Engineering',
  detail: 'department EQUALS "Engineering"',
  membership: (s) => ({
    matched: s.identity['department'] === 'Engineering',
    detail: 'department EQUALS "Engineering"',
  }),
  accessProfileIds: ['ap-eng'],
  entitlements: [],
}

function model(overrides: Partial<ModelSpec> = {}): PlanningModel {
  return finish({
    sources: new Map<string, PlanSource>([
      [
        BADGE,
        {
          id: BADGE,
          name: 'Badge System',
          accountIdAttribute: 'badgeId',
          entitlementAttributes: ['zones'],
          createFields: [
            {
              name: 'badgeId',
              transform: compileTransform({
                type: 'usernameGenerator',
                attributes: {
                  fn: { type: 'identityAttribute', attributes: { name: 'uid' } },
                  patterns: ['$fn${uniqueCounter}'],
                },
              }),
              isRequired: true,
              secret: false,
              multiValued: false,
            },
            {
              name: 'holder',
              transform: compileTransform({ type: 'identityAttribute', attributes: { name: 'displayName' } }),
              isRequired: true,
              secret: false,
              multiValued: false,
            },
            { name: 'pin', transform: null, isRequired: false, secret: true, multiValued: false },
          ],
          syncedAttributes: [{ identityAttribute: 'displayName', accountAttribute: 'holder' }],
        },
      ],
      [
        AD,
        {
          id: AD,
          name: 'AD',
          accountIdAttribute: 'sAMAccountName',
          entitlementAttributes: ['memberOf'],
          syncedAttributes: [],
        },
      ],
    ]),
    accessProfiles: new Map<string, PlanAccessProfile>([
      [
        'ap-lobby',
        {
          id: 'ap-lobby',
          name: 'Lobby',
          sourceId: BADGE,
          entitlements: [{ attribute: 'zones', value: 'lobby' }],
        },
      ],
      [
        'ap-eng',
        {
          id: 'ap-eng',
          name: 'Engineering Floors',
          sourceId: BADGE,
          entitlements: [
            { attribute: 'zones', value: 'floor-eng' },
            { attribute: 'zones', value: 'lobby' },
          ],
        },
      ],
      [
        'ap-ad',
        {
          id: 'ap-ad',
          name: 'AD Engineers',
          sourceId: AD,
          entitlements: [{ attribute: 'memberOf', value: 'cn=eng' }],
          selectAccount: (a) => a.attributes['type'] === 'primary',
        },
      ],
    ]),
    roles: [engineering],
    lifecycleStates: new Map<string, Map<string, StateSpec>>([
      [
        'Employees',
        new Map([
          [
            'active',
            state('active', {
              accessProfileIds: ['ap-lobby'],
              accountActions: [{ action: 'ENABLE', sourceIds: 'all', excludeSourceIds: [] }],
            }),
          ],
          ['leave', state('leave', { identityState: 'INACTIVE_SHORT_TERM' })],
          [
            'terminated',
            state('terminated', {
              removeAllAccess: true,
              identityState: 'INACTIVE_LONG_TERM',
              accountActions: [{ action: 'DISABLE', sourceIds: 'all', excludeSourceIds: [] }],
            }),
          ],
        ]),
      ],
    ]),
    ...overrides,
  })
}

/** What buildPlanningModel adds: each role's and state's grants, and membership of all roles. */
function finish(spec: ModelSpec): PlanningModel {
  const roles = spec.roles.map((r) => {
    const role = { ...r, origin: 'ROLE_CRITERIA' as const }
    return { ...role, grants: roleGrants(role, spec.accessProfiles) }
  })
  return {
    sources: spec.sources,
    accessProfiles: spec.accessProfiles,
    roles,
    memberOf: (s) => roles.filter((r) => r.membership(s).matched),
    lifecycleStates: new Map(
      [...spec.lifecycleStates].map(([profile, states]) => [
        profile,
        new Map(
          [...states].map(([name, st]) => [name, { ...st, grants: stateGrants(st, spec.accessProfiles) }]),
        ),
      ]),
    ),
  }
}

function context(m = model(), taken: string[] = []): PlanContext {
  const ids = new Set(taken.map((t) => `${BADGE}/${t}`))
  return {
    model: m,
    isAccountIdFree: (s, id) => !ids.has(`${s}/${id}`),
    reserveAccountId: (s, id) => void ids.add(`${s}/${id}`),
    explain: true,
  }
}

const person = (over: Partial<PlanIdentity> = {}): PlanIdentity => ({
  id: 'i1',
  name: 'ada',
  identityProfile: 'Employees',
  attributes: { uid: 'ada', displayName: 'Ada Lovelace', department: 'Engineering' },
  lifecycleState: 'active',
  previousLifecycleState: null,
  accounts: [],
  previousGrants: [],
  ...over,
})

const grant = (sourceId: string, attribute: string, value: string, name: string): Grant => ({
  kind: 'ENTITLEMENT',
  id: entitlementKey(sourceId, attribute, value),
  name: value,
  origin: 'ROLE',
  sourceId,
  attribute,
  value,
  reasons: [{ kind: 'ACCESS_PROFILE', name }],
})

const summary = (
  items: readonly {
    operation: string
    attributeOperation?: string
    attribute?: string
    value?: unknown
    nativeIdentity: string | null
  }[],
) =>
  items.map((i) =>
    [i.operation, i.nativeIdentity, i.attributeOperation, i.attribute, i.value]
      .filter((x) => x !== undefined && x !== null)
      .join(' '),
  )

describe('planIdentity', () => {
  it('joiner: creates the account through the Create Account profile with the granted entitlements and reasons', () => {
    const r = planIdentity(person(), context(model(), ['ada']))
    expect(summary(r.items)).toEqual([
      'Create ada1 Set badgeId ada1',
      'Create ada1 Set holder Ada Lovelace',
      'Create ada1 Set pin',
      'Create ada1 Add zones floor-eng',
      'Create ada1 Add zones lobby',
    ])
    expect(r.items.find((i) => i.attribute === 'pin')).toMatchObject({ secret: true, value: null })
    const lobby = r.items.find((i) => i.value === 'lobby')
    expect(lobby?.reasons.map((x) => [x.kind, x.name, x.detail])).toEqual([
      ['ACCESS_PROFILE', 'Engineering Floors', 'via role "Engineering" (department EQUALS "Engineering")'],
      ['ACCESS_PROFILE', 'Lobby', 'via lifecycle state "active" (lifecycle state "active")'],
    ])
    expect(r.desired.roles).toEqual([
      { id: 'role-eng', name: 'Engineering', matched: true, detail: 'department EQUALS "Engineering"' },
    ])
  })

  it('keeps account ids unique across identities planned in the same run', () => {
    const ctx = context()
    const a = planIdentity(person(), ctx)
    const b = planIdentity(person({ id: 'i2' }), ctx)
    expect(a.items[0]?.nativeIdentity).toBe('ada')
    expect(b.items[0]?.nativeIdentity).toBe('ada1')
  })

  it('adds only what is missing, and plans nothing once the access is there', () => {
    const have = {
      sourceId: BADGE,
      nativeIdentity: 'ada',
      disabled: false,
      attributes: { holder: 'Ada Lovelace', zones: ['lobby'] },
    }
    expect(
      summary(planIdentity(person({ accounts: [have], previousLifecycleState: 'active' }), context()).items),
    ).toEqual(['Modify ada Add zones floor-eng'])
    const done = { ...have, attributes: { ...have.attributes, zones: ['floor-eng', 'lobby'] } }
    expect(
      planIdentity(person({ accounts: [done], previousLifecycleState: 'active' }), context()).items,
    ).toEqual([])
  })

  it('mover: removes what only the lost role granted, keeps what another grant still gives, leaves unmanaged access alone', () => {
    const account = {
      sourceId: BADGE,
      nativeIdentity: 'ada',
      disabled: false,
      attributes: { holder: 'Ada Lovelace', zones: ['floor-eng', 'lobby', 'gym'] },
    }
    const r = planIdentity(
      person({
        attributes: { uid: 'ada', displayName: 'Ada Lovelace', department: 'Sales' },
        accounts: [account],
        previousLifecycleState: 'active',
        previousGrants: [
          grant(BADGE, 'zones', 'floor-eng', 'Engineering Floors'),
          grant(BADGE, 'zones', 'lobby', 'Engineering Floors'),
        ],
      }),
      context(),
    )
    expect(summary(r.items)).toEqual(['Modify ada Remove zones floor-eng'])
    expect(r.items[0]?.reasons[0]?.detail).toMatch(/no longer granted/)
  })

  it('leaver: a state that removes all access disables the account and removes every entitlement; roles grant nothing', () => {
    const account = {
      sourceId: BADGE,
      nativeIdentity: 'ada',
      disabled: false,
      attributes: { holder: 'Ada Lovelace', zones: ['floor-eng', 'lobby', 'gym'] },
    }
    const r = planIdentity(
      person({ lifecycleState: 'terminated', previousLifecycleState: 'active', accounts: [account] }),
      context(),
    )
    expect(summary(r.items)).toEqual([
      'Disable ada',
      'Modify ada Remove zones floor-eng',
      'Modify ada Remove zones lobby',
      'Modify ada Remove zones gym',
    ])
    expect(r.desired.grants).toEqual([])
    // Once applied, planning again changes nothing.
    const after = { ...account, disabled: true, attributes: { holder: 'Ada Lovelace', zones: [] } }
    expect(
      planIdentity(
        person({ lifecycleState: 'terminated', previousLifecycleState: 'terminated', accounts: [after] }),
        context(),
      ).items,
    ).toEqual([])
  })

  it('rehire: back to active enables the account and grants again', () => {
    const account = {
      sourceId: BADGE,
      nativeIdentity: 'ada',
      disabled: true,
      attributes: { holder: 'Ada Lovelace', zones: [] },
    }
    const r = planIdentity(person({ previousLifecycleState: 'terminated', accounts: [account] }), context())
    expect(summary(r.items)).toEqual([
      'Enable ada',
      'Modify ada Add zones floor-eng',
      'Modify ada Add zones lobby',
    ])
  })

  it('an inactive state suspends role grants but keeps the state own grants', () => {
    const r = planIdentity(person({ lifecycleState: 'leave' }), context())
    expect(r.desired.rolesSuspended).toBe(true)
    expect(r.desired.grants.filter((g) => g.kind === 'ROLE')).toEqual([])
  })

  it('the Update Account profile goes with a change to the account, minus what it already has', () => {
    const base = model({
      roles: [{ ...engineering, accessProfileIds: ['ap-ad'] }],
      lifecycleStates: new Map(),
    })
    const ad = base.sources.get(AD) as PlanSource
    const withUpdate = {
      ...base,
      sources: new Map([
        ...base.sources,
        [
          AD,
          {
            ...ad,
            updatePolicy: {
              name: 'AD Update',
              fields: [
                {
                  name: 'description',
                  transform: compileTransform({
                    type: 'static',
                    attributes: { value: 'Managed by Provisio' },
                  }),
                  isRequired: false,
                  secret: false,
                  multiValued: false,
                },
                {
                  name: 'department',
                  transform: compileTransform({
                    type: 'identityAttribute',
                    attributes: { name: 'department' },
                  }),
                  isRequired: false,
                  secret: false,
                  multiValued: false,
                },
              ],
            },
          },
        ],
      ]),
    }
    const account = {
      sourceId: AD,
      nativeIdentity: 'ada',
      disabled: false,
      attributes: { department: 'Engineering' },
    }
    const r = planIdentity(person({ accounts: [account] }), context(withUpdate))
    expect(summary(r.items)).toEqual([
      'Modify ada Add memberOf cn=eng',
      'Modify ada Set description Managed by Provisio',
    ])
    expect(r.items[1]?.reasons).toEqual([
      { kind: 'PROVISIONING_POLICY', name: 'AD Update', detail: 'Update Account profile' },
    ])
    // Nothing else changes on the account: the profile adds nothing by itself.
    const holding = { ...account, attributes: { ...account.attributes, memberOf: ['cn=eng'] } }
    expect(planIdentity(person({ accounts: [holding] }), context(withUpdate)).items).toEqual([])
  })

  it('several accounts: provisioning criteria choose one, else a person must select', () => {
    const primary = { sourceId: AD, nativeIdentity: 'ada', disabled: false, attributes: { type: 'primary' } }
    const admin = { sourceId: AD, nativeIdentity: 'ada-adm', disabled: false, attributes: { type: 'admin' } }
    const withAd = model({
      roles: [{ ...engineering, accessProfileIds: ['ap-ad'] }],
      lifecycleStates: new Map(),
    })
    expect(summary(planIdentity(person({ accounts: [primary, admin] }), context(withAd)).items)).toEqual([
      'Modify ada Add memberOf cn=eng',
    ])
    const noCriteria = model({
      roles: [{ ...engineering, accessProfileIds: ['ap-ad'] }],
      lifecycleStates: new Map(),
      accessProfiles: new Map([
        [
          'ap-ad',
          {
            id: 'ap-ad',
            name: 'AD Engineers',
            sourceId: AD,
            entitlements: [{ attribute: 'memberOf', value: 'cn=eng' }],
          },
        ],
      ]),
    })
    const r = planIdentity(person({ accounts: [primary, admin] }), context(noCriteria))
    expect(r.items).toEqual([])
    expect(r.selections).toMatchObject([
      { sourceName: 'AD', accessProfile: 'AD Engineers', candidates: ['ada', 'ada-adm'] },
    ])
  })

  it('a required Create Account field without a value is an error on that identity only', () => {
    const r = planIdentity(person({ attributes: { uid: 'ada', department: 'Engineering' } }), context())
    expect(r.items).toEqual([])
    expect(r.errors).toEqual([
      {
        identityId: 'i1',
        sourceName: 'Badge System',
        message: 'required field "holder" of the Create Account profile has no value',
      },
    ])
  })

  it('attribute sync sets the account attribute to the identity value', () => {
    const account = {
      sourceId: BADGE,
      nativeIdentity: 'ada',
      disabled: false,
      attributes: { holder: 'A. Lovelace', zones: ['floor-eng', 'lobby'] },
    }
    const r = planIdentity(person({ accounts: [account], previousLifecycleState: 'active' }), context())
    expect(summary(r.items)).toEqual(['Modify ada Set holder Ada Lovelace'])
    expect(r.items[0]?.reasons[0]).toMatchObject({ kind: 'ATTRIBUTE_SYNC', name: 'displayName' })
  })
})
