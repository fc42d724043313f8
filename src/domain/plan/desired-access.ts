import { assignedAccess, type JudgedAssignment } from './assignment-grants.js'
import { entitlementKey } from './entitlement-key.js'
import type { PlanReason } from './plan-item.js'
import type {
  Grant,
  KeyedGrant,
  PlanAccessProfile,
  PlanIdentity,
  PlanLifecycleState,
  PlanningModel,
  PlanRole,
} from './planning-model.js'

/** What an identity should have now, with the role checks that decided it (for `explain`). */
export interface DesiredAccess {
  readonly state: PlanLifecycleState | null
  /** The state removes all access: nothing is granted, everything held is removed. */
  readonly removeAll: boolean
  /** An inactive state: roles grant nothing while the identity is in it. */
  readonly rolesSuspended: boolean
  /** Every role's verdict: only when asked for (explain); a bulk plan leaves them out. */
  readonly roles: readonly {
    readonly id: string
    readonly name: string
    readonly matched: boolean
    readonly detail: string
    readonly explain?: () => string
  }[]
  /** Roles, access profiles and entitlements granted (entitlements expanded from access profiles). */
  readonly grants: readonly Grant[]
  /** The entitlements among the grants, by entitlementKey. */
  readonly entitlements: GrantLookup
  /** The same, grouped by source id. */
  readonly entitlementsBySource: ReadonlyMap<string, readonly Grant[]>
  /**
   * What the computed grants follow from: the state and the roles met. Under one configuration,
   * identities with the same key are computed the same grants, so those are stored once per key.
   */
  readonly grantSetKey: string
  /** The computed grants alone (shared with every identity of the same key): what the set stores. */
  readonly computedGrants: readonly Grant[]
  /** The entitlements among them, by entitlementKey. */
  readonly computedEntitlements: GrantLookup
  /**
   * What the active assignments grant, each with its assignment's reasons only: stored with the identity
   * itself, next to its shared set (empty for most identities: they have no assignment).
   */
  readonly assignedGrants: readonly Grant[]
  /** The identity's assignments as judged now (empty for most identities: they have none). */
  readonly assignments: readonly JudgedAssignment[]
}

/**
 * Computes the access an identity should have from its lifecycle state and the roles whose
 * membership it meets. Pure: the same identity and model always give the same grants.
 */
export function desiredAccess(
  identity: PlanIdentity,
  model: PlanningModel,
  /** Report every role's verdict (for explain); a bulk plan leaves them out. */
  withRoles = false,
  /** When assignments' dates are judged. */
  now: Date = new Date(),
): DesiredAccess {
  const state =
    model.lifecycleStates.get(identity.identityProfile)?.get(identity.lifecycleState ?? '') ?? null
  const removeAll = state?.removeAllAccess ?? false
  const rolesSuspended =
    removeAll ||
    (state?.identityState !== undefined && state.identityState !== null && state.identityState !== 'ACTIVE')
  const subject = { identityId: identity.id, identity: identity.attributes, accounts: identity.accounts }

  const memberOf = rolesSuspended ? [] : model.memberOf(subject)
  const computedKey = [state?.technicalName ?? '', ...memberOf.map((r) => r.id)].join('\u0000')
  const computed = grantSetOf(model, computedKey, () => mergeGrants(memberOf, removeAll ? null : state))
  // Assignments go on top of the shared set, for the few identities that have any; the rest share it as is.
  const assigned =
    identity.assignments && identity.assignments.length > 0
      ? assignedAccess(identity.assignments, model, now, { removeAll, rolesSuspended })
      : undefined
  const set = assigned && assigned.grants.length > 0 ? withAssigned(computed, assigned.grants) : computed
  return {
    state,
    removeAll,
    rolesSuspended,
    roles: withRoles
      ? model.roles.map((role) => {
          const result = role.membership(subject)
          const explain = role.explain
          return {
            id: role.id,
            name: role.name,
            matched: result.matched,
            detail: result.detail,
            ...(explain ? { explain: () => explain(subject) } : {}),
          }
        })
      : [],
    grants: set.grants,
    entitlements: set.entitlements,
    entitlementsBySource: set.entitlementsBySource,
    grantSetKey: computedKey,
    computedGrants: computed.grants,
    computedEntitlements: computed.entitlements,
    assignedGrants: assigned && assigned.grants.length > 0 ? ownGrants(assigned.grants) : NONE,
    assignments: assigned?.judged ?? [],
  }
}

/** Grants by key: a map, or an identity's own grants over a shared set's map. */
export type GrantLookup = Pick<ReadonlyMap<string, Grant>, 'get' | 'has'>

interface GrantSet {
  readonly grants: readonly Grant[]
  readonly entitlements: GrantLookup
  readonly entitlementsBySource: ReadonlyMap<string, readonly Grant[]>
}

// Identities meeting the same roles in the same state are granted the same: each set is merged once per
// model and shared (read-only) by all of them. Bounded, so a population of unusual combinations cannot grow it forever.
const grantSets = new WeakMap<PlanningModel, Map<string, GrantSet>>()
const MAX_CACHED_SETS = 20_000

function grantSetOf(model: PlanningModel, key: string, merge: () => GrantSet): GrantSet {
  let sets = grantSets.get(model)
  if (!sets) {
    sets = new Map()
    grantSets.set(model, sets)
  }
  let set = sets.get(key)
  if (!set) {
    if (sets.size >= MAX_CACHED_SETS) sets.clear()
    set = merge()
    sets.set(key, set)
  }
  return set
}

/** The roles' and the state's grants merged: a grant given twice has both reasons. */
function mergeGrants(roles: readonly PlanRole[], state: PlanLifecycleState | null): GrantSet {
  const merged = new Map<string, Grant>()
  const own = new Set<Grant>()
  for (const role of roles) for (const g of role.grants) merge(merged, g, own)
  if (state) for (const g of state.grants) merge(merged, g, own)
  return indexed(merged)
}

/**
 * A shared set with an identity's assigned grants on top: a new set of the identity's own. The shared
 * set's grants are not changed; one also assigned is copied with both reasons.
 */
function withAssigned(computed: GrantSet, assigned: readonly KeyedGrant[]): GrantSet {
  // The shared set is copied, not rebuilt: a holder of assignments costs what its assignments add.
  const positions = positionsOf(computed)
  const grants = computed.grants.slice()
  const bySource = new Map(computed.entitlementsBySource)
  const ownLists = new Set<readonly Grant[]>()
  const entitlements = new Map<string, Grant>()
  const mine = new Map<string, Grant>()
  const own = new Set<Grant>()
  const appended = new Map<string, number>()
  for (const { key, grant } of assigned) {
    const at = positions.get(key)
    const prior = mine.get(key) ?? (at !== undefined ? grants[at] : undefined)
    let now: Grant
    if (prior === undefined) now = grant
    else if (own.has(prior)) {
      ;(prior.reasons as PlanReason[]).push(...grant.reasons)
      continue
    } else {
      // Never changed in place: the prior grant may be shared with other identities.
      now = { ...prior, reasons: [...prior.reasons, ...grant.reasons] }
      own.add(now)
    }
    mine.set(key, now)
    if (at !== undefined) grants[at] = now
    else if (prior === undefined) appended.set(key, grants.push(now) - 1)
    else grants[appended.get(key) as number] = now
    if (now.kind !== 'ENTITLEMENT') continue
    entitlements.set(now.id, now)
    const sourceId = now.sourceId as string
    let list = bySource.get(sourceId) as Grant[] | undefined
    if (!list || !ownLists.has(list)) {
      list = list ? list.slice() : []
      ownLists.add(list)
      bySource.set(sourceId, list)
    }
    const i = prior !== undefined ? list.indexOf(prior) : -1
    if (i >= 0) list[i] = now
    else list.push(now)
  }
  const base = computed.entitlements
  return {
    grants,
    entitlements: {
      get: (id) => entitlements.get(id) ?? base.get(id),
      has: (id) => entitlements.has(id) || base.has(id),
    },
    entitlementsBySource: bySource,
  }
}

// Where each grant of a shared set is, by key: built once per set, for the holders of assignments.
const positionSets = new WeakMap<GrantSet, Map<string, number>>()
function positionsOf(set: GrantSet): Map<string, number> {
  let positions = positionSets.get(set)
  if (!positions) {
    positions = new Map(set.grants.map((g, i) => [grantKey(g), i]))
    positionSets.set(set, positions)
  }
  return positions
}

const NONE: readonly Grant[] = []

/** An identity's assigned grants, one per key (two assignments of one item: one grant, both reasons). */
function ownGrants(assigned: readonly KeyedGrant[]): Grant[] {
  const merged = new Map<string, Grant>()
  const own = new Set<Grant>()
  for (const g of assigned) merge(merged, g, own)
  return [...merged.values()]
}

/** The key a grant merges on: `R:`, `AP:` or `E:` and its id (as KeyedGrant.key). */
function grantKey(g: Grant): string {
  return `${g.kind === 'ROLE' ? 'R' : g.kind === 'ACCESS_PROFILE' ? 'AP' : 'E'}:${g.id}`
}

/**
 * Adds one grant: a grant given twice has both reasons. Grants are shared between sets; one given twice
 * is copied once (into `own`), then its reasons grow in place.
 */
function merge(grants: Map<string, Grant>, { key, grant }: KeyedGrant, own: Set<Grant>): void {
  const existing = grants.get(key)
  if (existing === undefined) grants.set(key, grant)
  else if (own.has(existing)) (existing.reasons as PlanReason[]).push(...grant.reasons)
  else {
    const copy = { ...existing, reasons: [...existing.reasons, ...grant.reasons] }
    own.add(copy)
    grants.set(key, copy)
  }
}

/** A set's grants with its entitlements indexed by key and by source. */
function indexed(grants: ReadonlyMap<string, Grant>): GrantSet {
  const entitlements = new Map<string, Grant>()
  const entitlementsBySource = new Map<string, Grant[]>()
  for (const g of grants.values()) {
    if (g.kind !== 'ENTITLEMENT') continue
    entitlements.set(g.id, g)
    const list = entitlementsBySource.get(g.sourceId as string)
    if (list) list.push(g)
    else entitlementsBySource.set(g.sourceId as string, [g])
  }
  return { grants: [...grants.values()], entitlements, entitlementsBySource }
}

/** Everything a role grants its members, with the reasons, built once per configuration. */
export function roleGrants(
  role: Pick<PlanRole, 'id' | 'name' | 'detail' | 'origin' | 'accessProfileIds' | 'entitlements'>,
  accessProfiles: ReadonlyMap<string, PlanAccessProfile>,
): KeyedGrant[] {
  const reason: PlanReason = { kind: 'ROLE', id: role.id, name: role.name, detail: role.detail }
  const out: KeyedGrant[] = [
    {
      key: `R:${role.id}`,
      grant: { kind: 'ROLE', id: role.id, name: role.name, origin: role.origin, reasons: [reason] },
    },
  ]
  for (const id of role.accessProfileIds) {
    out.push(...accessProfileGrants(accessProfiles.get(id), 'ROLE', reason))
  }
  for (const e of role.entitlements) {
    out.push(entitlementGrant(e.sourceId, e.attribute, e.value, 'ROLE', reason))
  }
  return out
}

/** What being in a lifecycle state grants: its access profiles and their entitlements. */
export function stateGrants(
  state: Pick<PlanLifecycleState, 'technicalName' | 'name' | 'accessProfileIds'>,
  accessProfiles: ReadonlyMap<string, PlanAccessProfile>,
): KeyedGrant[] {
  const reason: PlanReason = {
    kind: 'LIFECYCLE_STATE',
    name: state.technicalName,
    detail: `lifecycle state "${state.name}"`,
  }
  return state.accessProfileIds.flatMap((id) =>
    accessProfileGrants(accessProfiles.get(id), 'LIFECYCLE_STATE', reason),
  )
}

function accessProfileGrants(
  ap: PlanAccessProfile | undefined,
  origin: Grant['origin'],
  via: PlanReason,
): KeyedGrant[] {
  if (!ap) return []
  const apReason: PlanReason = {
    kind: 'ACCESS_PROFILE',
    id: ap.id,
    name: ap.name,
    detail: `via ${describe(via)}`,
    ...(via.kind === 'ROLE' || via.kind === 'LIFECYCLE_STATE' || via.kind === 'ACCESS_REQUEST'
      ? { via: via.kind }
      : {}),
  }
  return [
    {
      key: `AP:${ap.id}`,
      grant: { kind: 'ACCESS_PROFILE', id: ap.id, name: ap.name, origin, reasons: [via] },
    },
    ...ap.entitlements.map((e) => entitlementGrant(ap.sourceId, e.attribute, e.value, origin, apReason)),
  ]
}

function entitlementGrant(
  sourceId: string,
  attribute: string,
  value: string,
  origin: Grant['origin'],
  reason: PlanReason,
): KeyedGrant {
  const id = entitlementKey(sourceId, attribute, value)
  return {
    key: `E:${id}`,
    grant: { kind: 'ENTITLEMENT', id, name: value, origin, sourceId, attribute, value, reasons: [reason] },
  }
}

function describe(reason: PlanReason): string {
  const what =
    reason.kind === 'ROLE' ? 'role' : reason.kind === 'LIFECYCLE_STATE' ? 'lifecycle state' : reason.kind
  return `${what} "${reason.name}"${reason.detail ? ` (${reason.detail})` : ''}`
}
