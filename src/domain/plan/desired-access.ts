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
export function desiredAccess(identity: PlanIdentity, model: PlanningModel): DesiredAccess {
  const state =
    model.lifecycleStates.get(identity.identityProfile)?.get(identity.lifecycleState ?? '') ?? null
  const removeAll = state?.removeAllAccess ?? false
  const rolesSuspended =
    removeAll ||
    (state?.identityState !== undefined && state.identityState !== null && state.identityState !== 'ACTIVE')
  const subject = { identityId: identity.id, identity: identity.attributes, accounts: identity.accounts }
  const roles = model.roles.map((role) => ({ role, ...role.membership(subject) }))

  const grants = new Map<string, Grant>()
  const add = (key: string, grant: Grant): void => {
    const existing = grants.get(key)
    grants.set(key, existing ? { ...existing, reasons: [...existing.reasons, ...grant.reasons] } : grant)
  }
  const grantAccessProfile = (id: string, origin: Grant['origin'], reason: PlanReason): void => {
    const ap = model.accessProfiles.get(id)
    if (!ap) return
    const apReason: PlanReason = {
      kind: 'ACCESS_PROFILE',
      id: ap.id,
      name: ap.name,
      detail: `via ${describe(reason)}`,
    }
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
      for (const { role, matched, detail } of roles) {
        if (!matched) continue
        const reason: PlanReason = { kind: 'ROLE', id: role.id, name: role.name, detail }
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
      const reason: PlanReason = {
        kind: 'LIFECYCLE_STATE',
        name: state.technicalName,
        detail: `lifecycle state "${state.name}"`,
      }
      for (const apId of state.accessProfileIds) grantAccessProfile(apId, 'LIFECYCLE_STATE', reason)
    }
  }
  return {
    state,
    removeAll,
    rolesSuspended,
    roles: roles.map(({ role, matched, detail, explain }) => ({
      id: role.id,
      name: role.name,
      matched,
      detail,
      ...(explain ? { explain } : {}),
    })),
    grants: [...grants.values()],
  }
}

function describe(reason: PlanReason): string {
  const what =
    reason.kind === 'ROLE' ? 'role' : reason.kind === 'LIFECYCLE_STATE' ? 'lifecycle state' : reason.kind
  return `${what} "${reason.name}"${reason.detail ? ` (${reason.detail})` : ''}`
}
