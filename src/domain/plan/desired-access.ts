import type { PlanReason } from './plan-item.js'
import type { Grant, PlanIdentity, PlanLifecycleState, PlanningModel } from './planning-model.js'

/** What an identity should have now, with the role checks that decided it (for `explain`). */
export interface DesiredAccess {
  readonly state: PlanLifecycleState | null
  /** The state removes all access: nothing is granted, everything held is removed. */
  readonly removeAll: boolean
  /** An inactive state: roles grant nothing while the identity is in it. */
  readonly rolesSuspended: boolean
  readonly roles: readonly {
    readonly id: string
    readonly name: string
    readonly matched: boolean
    readonly detail: string
    readonly explain?: () => string
  }[]
  /** Roles, access profiles and entitlements granted (entitlements expanded from access profiles). */
  readonly grants: readonly Grant[]
}

/** Entitlements are identified by source, attribute and value. */
export function entitlementKey(sourceId: string, attribute: string, value: string): string {
  return `${sourceId}\u0000${attribute}\u0000${value}`
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
): DesiredAccess {
  const state =
    model.lifecycleStates.get(identity.identityProfile)?.get(identity.lifecycleState ?? '') ?? null
  const removeAll = state?.removeAllAccess ?? false
  const rolesSuspended =
    removeAll ||
    (state?.identityState !== undefined && state.identityState !== null && state.identityState !== 'ACTIVE')
  const subject = { identityId: identity.id, identity: identity.attributes, accounts: identity.accounts }
  const roles = model.roles.map((role) => ({ role, result: role.membership(subject) }))

  // Reasons accumulate in place: a grant given by many roles must not be copied once per role.
  const grants = new Map<string, Grant & { reasons: PlanReason[] }>()
  const add = (key: string, grant: Grant): void => {
    const existing = grants.get(key)
    if (existing) existing.reasons.push(...grant.reasons)
    else grants.set(key, { ...grant, reasons: [...grant.reasons] })
  }
  const grantAccessProfile = (id: string, origin: Grant['origin'], reason: PlanReason): void => {
    const ap = model.accessProfiles.get(id)
    if (!ap) return
    const apReason = accessProfileReason(reason, ap.id, ap.name)
    add(`AP:${ap.id}`, { kind: 'ACCESS_PROFILE', id: ap.id, name: ap.name, origin, reasons: [reason] })
    for (const e of ap.entitlements) {
      add(`E:${entitlementKey(ap.sourceId, e.attribute, e.value)}`, {
        kind: 'ENTITLEMENT',
        id: entitlementKey(ap.sourceId, e.attribute, e.value),
        name: e.value,
        origin,
        sourceId: ap.sourceId,
        attribute: e.attribute,
        value: e.value,
        reasons: [apReason],
      })
    }
  }

  if (!removeAll) {
    if (!rolesSuspended) {
      for (const { role, result } of roles) {
        if (!result.matched) continue
        const reason = roleReason(role, result.detail)
        add(`R:${role.id}`, {
          kind: 'ROLE',
          id: role.id,
          name: role.name,
          origin: 'ROLE_CRITERIA',
          reasons: [reason],
        })
        for (const apId of role.accessProfileIds) grantAccessProfile(apId, 'ROLE', reason)
        for (const e of role.entitlements) {
          const key = entitlementKey(e.sourceId, e.attribute, e.value)
          add(`E:${key}`, {
            kind: 'ENTITLEMENT',
            id: key,
            name: e.value,
            origin: 'ROLE',
            sourceId: e.sourceId,
            attribute: e.attribute,
            value: e.value,
            reasons: [reason],
          })
        }
      }
    }
    if (state) {
      const reason = stateReason(state)
      for (const apId of state.accessProfileIds) grantAccessProfile(apId, 'LIFECYCLE_STATE', reason)
    }
  }
  return {
    state,
    removeAll,
    rolesSuspended,
    roles: (withRoles ? roles : []).map(({ role, result }) => ({
      id: role.id,
      name: role.name,
      matched: result.matched,
      detail: result.detail,
      ...(role.explain ? { explain: () => (role.explain as NonNullable<typeof role.explain>)(subject) } : {}),
    })),
    grants: [...grants.values()],
  }
}

// Reasons are immutable and the same for every identity a role grants: built once, shared by all plans.
const roleReasons = new WeakMap<object, PlanReason>()
const apReasons = new WeakMap<PlanReason, Map<string, PlanReason>>()

function roleReason(role: { id: string; name: string }, detail: string): PlanReason {
  let reason = roleReasons.get(role)
  if (!reason || reason.detail !== detail) {
    reason = { kind: 'ROLE', id: role.id, name: role.name, detail }
    roleReasons.set(role, reason)
  }
  return reason
}

const stateReasons = new WeakMap<PlanLifecycleState, PlanReason>()

function stateReason(state: PlanLifecycleState): PlanReason {
  let reason = stateReasons.get(state)
  if (!reason) {
    reason = { kind: 'LIFECYCLE_STATE', name: state.technicalName, detail: `lifecycle state "${state.name}"` }
    stateReasons.set(state, reason)
  }
  return reason
}

function accessProfileReason(via: PlanReason, id: string, name: string): PlanReason {
  let byAp = apReasons.get(via)
  if (!byAp) {
    byAp = new Map()
    apReasons.set(via, byAp)
  }
  let reason = byAp.get(id)
  if (!reason) {
    reason = { kind: 'ACCESS_PROFILE', id, name, detail: `via ${describe(via)}` }
    byAp.set(id, reason)
  }
  return reason
}

function describe(reason: PlanReason): string {
  const what =
    reason.kind === 'ROLE' ? 'role' : reason.kind === 'LIFECYCLE_STATE' ? 'lifecycle state' : reason.kind
  return `${what} "${reason.name}"${reason.detail ? ` (${reason.detail})` : ''}`
}
