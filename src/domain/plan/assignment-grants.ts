import {
  datedStatus,
  describeAssignedItem,
  describeAssignment,
  type AssignmentStatus,
  type PlanAssignment,
} from './assignment.js'
import { entitlementKey } from './entitlement-key.js'
import type { PlanReason } from './plan-item.js'
import type { Grant, KeyedGrant, PlanAccessProfile, PlanningModel } from './planning-model.js'

/** One assignment as the planner judged it, for explain and for the warnings of a run. */
export interface JudgedAssignment {
  readonly assignment: PlanAssignment
  readonly status: AssignmentStatus
  /** Why it grants nothing, when it does not (ENDED, UNRESOLVED…). */
  readonly detail?: string
}

/** What an identity's assignments grant now, and how each was judged. */
export interface AssignedAccess {
  readonly grants: readonly KeyedGrant[]
  readonly judged: readonly JudgedAssignment[]
  /** The active assignments' ids, in order: part of the identity's grant-set key. */
  readonly activeIds: readonly string[]
}

/**
 * The grants of an identity's assignments at `now`. Outside its dates an assignment grants nothing;
 * a state that removes all access ends them all, and an inactive state suspends assigned roles as it
 * suspends roles met by criteria. An item no longer in the configuration (or an entitlement no
 * longer on a configured source) is reported, not guessed.
 */
export function assignedAccess(
  assignments: readonly PlanAssignment[],
  model: PlanningModel,
  now: Date,
  state: { readonly removeAll: boolean; readonly rolesSuspended: boolean },
): AssignedAccess {
  const grants: KeyedGrant[] = []
  const judged: JudgedAssignment[] = []
  const activeIds: string[] = []
  for (const a of assignments) {
    const dated = datedStatus(a, now)
    const granted = dated === 'ACTIVE' ? grantsOf(a, model) : undefined
    if (typeof granted === 'string') {
      judged.push({ assignment: a, status: 'UNRESOLVED', detail: granted })
    } else if (dated !== 'ACTIVE') {
      judged.push({ assignment: a, status: dated })
    } else if (state.removeAll || (state.rolesSuspended && a.itemType === 'ROLE')) {
      judged.push({
        assignment: a,
        status: 'SUSPENDED',
        detail: state.removeAll
          ? 'the lifecycle state removes all access'
          : 'roles grant nothing in this lifecycle state',
      })
    } else {
      judged.push({ assignment: a, status: 'ACTIVE' })
      activeIds.push(a.id)
      for (const g of granted ?? []) grants.push(g)
    }
  }
  return { grants, judged, activeIds: activeIds.sort() }
}

/** The assignment's reason: its id, origin and dates, named on every item it causes. */
export function assignmentReason(
  a: Pick<
    PlanAssignment,
    'id' | 'origin' | 'itemType' | 'itemName' | 'startDate' | 'removeDate' | 'nativeIdentity'
  >,
): PlanReason {
  return {
    kind: 'ASSIGNMENT',
    id: a.id,
    name: a.itemName,
    detail: `${describeAssignment(a)} of ${describeAssignedItem(a)}`,
    origin: a.origin,
    itemType: a.itemType,
    ...(a.startDate !== null ? { startDate: a.startDate } : {}),
    ...(a.removeDate !== null ? { removeDate: a.removeDate } : {}),
    ...(a.nativeIdentity ? { account: a.nativeIdentity } : {}),
  }
}

/** An assignment's grants, or why it has none. */
function grantsOf(a: PlanAssignment, model: PlanningModel): KeyedGrant[] | string {
  const reason = assignmentReason(a)
  const origin = a.origin
  if (a.itemType === 'ENTITLEMENT') {
    const e = a.entitlement
    if (!e) return `entitlement "${a.itemName}" is no longer in the store`
    const source = model.sources.get(e.sourceId)
    if (!source) return `entitlement "${a.itemName}" is on a source that is no longer configured`
    if (!source.entitlementAttributes.includes(e.attribute)) {
      return `"${e.attribute}" is no longer an entitlement attribute of source "${source.name}"`
    }
    return [entitlementGrant(e.sourceId, e.attribute, e.value, origin, [reason])]
  }
  if (a.itemType === 'ACCESS_PROFILE') {
    const ap = model.accessProfiles.get(a.itemId)
    if (!ap) return `no enabled access profile "${a.itemName}" (id ${a.itemId}) in the configuration`
    return accessProfileGrants(ap, origin, [reason], `assigned (${describeAssignment(a)})`)
  }
  const role = model.assignableRoles?.get(a.itemId) ?? model.roles.find((r) => r.id === a.itemId) ?? undefined
  if (!role) return `no enabled role "${a.itemName}" (id ${a.itemId}) in the configuration`
  const roleReason: PlanReason = { kind: 'ROLE', id: role.id, name: role.name, detail: 'assigned' }
  const out: KeyedGrant[] = [
    { key: `R:${role.id}`, grant: { kind: 'ROLE', id: role.id, name: role.name, origin, reasons: [reason] } },
  ]
  for (const id of role.accessProfileIds) {
    const ap = model.accessProfiles.get(id)
    if (ap) out.push(...accessProfileGrants(ap, origin, [reason, roleReason], `via role "${role.name}"`))
  }
  for (const e of role.entitlements) {
    out.push(entitlementGrant(e.sourceId, e.attribute, e.value, origin, [reason, roleReason]))
  }
  return out
}

function accessProfileGrants(
  ap: PlanAccessProfile,
  origin: Grant['origin'],
  reasons: readonly PlanReason[],
  detail: string,
): KeyedGrant[] {
  // The access profile's own reason goes with its entitlements: it picks the account among several.
  const apReason: PlanReason = { kind: 'ACCESS_PROFILE', id: ap.id, name: ap.name, detail, via: 'ASSIGNMENT' }
  return [
    {
      key: `AP:${ap.id}`,
      grant: { kind: 'ACCESS_PROFILE', id: ap.id, name: ap.name, origin, reasons: [...reasons] },
    },
    ...ap.entitlements.map((e) =>
      entitlementGrant(ap.sourceId, e.attribute, e.value, origin, [reasons[0] as PlanReason, apReason]),
    ),
  ]
}

function entitlementGrant(
  sourceId: string,
  attribute: string,
  value: string,
  origin: Grant['origin'],
  reasons: readonly PlanReason[],
): KeyedGrant {
  const id = entitlementKey(sourceId, attribute, value)
  return {
    key: `E:${id}`,
    grant: { kind: 'ENTITLEMENT', id, name: value, origin, sourceId, attribute, value, reasons },
  }
}
