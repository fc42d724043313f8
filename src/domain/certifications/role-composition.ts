import { entitlementKey } from '../plan/entitlement-key.js'
import type { PlanReason } from '../plan/plan-item.js'
import type { AssignableRole, PlanAccessProfile } from '../plan/planning-model.js'
import type { ReviewItem } from './review-items.js'

/** A role as a composition review shows it: what it is made of, and who is in it and why. */
export interface ComposedRole extends Pick<
  AssignableRole,
  'id' | 'name' | 'accessProfileIds' | 'entitlements'
> {
  /** How membership is decided, printed (the criteria, "identity list"); absent: only by assignment. */
  readonly membership: string | undefined
  /** How many identities hold it now. */
  readonly members: number
}

/**
 * The items of a role composition review, one per access profile and per entitlement the role grants
 * directly, each revocable (a REVOKE takes it out of the role's definition). Every item's reason is the
 * role with its membership and member count, the context the reviewer judges the composition in. Pure.
 */
export function compositionItems(
  role: ComposedRole,
  accessProfiles: ReadonlyMap<string, Pick<PlanAccessProfile, 'name' | 'sourceId'>>,
): ReviewItem[] {
  const held = `${role.members} ${role.members === 1 ? 'identity holds' : 'identities hold'} it`
  const reason: PlanReason = {
    kind: 'ROLE',
    id: role.id,
    name: role.name,
    detail:
      role.membership !== undefined ? `members by ${role.membership}; ${held}` : `assigned only; ${held}`,
  }
  const base = {
    nativeIdentity: null,
    reasons: [reason],
    revocable: true,
    acknowledgeOnly: null,
    assignmentIds: [],
  }
  const out: ReviewItem[] = []
  for (const id of new Set(role.accessProfileIds)) {
    const ap = accessProfiles.get(id)
    out.push({
      ...base,
      itemType: 'ACCESS_PROFILE',
      itemId: id,
      itemName: ap?.name ?? id,
      sourceId: ap?.sourceId ?? null,
      attribute: null,
      value: null,
      key: `AP:${id}`,
    })
  }
  const seen = new Set<string>()
  for (const e of role.entitlements) {
    const key = entitlementKey(e.sourceId, e.attribute, e.value)
    if (seen.has(key)) continue
    seen.add(key)
    out.push({
      ...base,
      itemType: 'ENTITLEMENT',
      itemId: key,
      itemName: e.value,
      sourceId: e.sourceId,
      attribute: e.attribute,
      value: e.value,
      key: `E:${key}`,
    })
  }
  return out
}

/** A role's definition as its file says it, with what each of its lists' entries resolves to. */
export interface ResolvedRoleLists {
  /** The access profile id of each `accessProfiles` entry, in order (undefined: it resolves to none). */
  readonly accessProfileIds: readonly (string | undefined)[]
  /** The entitlement key of each `entitlements` entry, in order. */
  readonly entitlementKeys: readonly (string | undefined)[]
}

/**
 * The role's definition without the revoked access profiles and entitlements (every entry that resolves
 * to one of them), every other field and entry as it was; and which of the revoked were found in it.
 * Pure.
 */
export function roleWithout(
  raw: Readonly<Record<string, unknown>>,
  resolved: ResolvedRoleLists,
  revoked: { readonly accessProfileIds: ReadonlySet<string>; readonly entitlementKeys: ReadonlySet<string> },
): { readonly role: Record<string, unknown>; readonly removed: ReadonlySet<string> } {
  const removed = new Set<string>()
  const keep = <T>(list: unknown, ids: readonly (T | undefined)[], gone: ReadonlySet<T>): unknown[] => {
    const entries = Array.isArray(list) ? (list as unknown[]) : []
    return entries.filter((_, n) => {
      const id = ids[n]
      if (id === undefined || !gone.has(id)) return true
      removed.add(String(id))
      return false
    })
  }
  const role: Record<string, unknown> = { ...raw }
  if (Array.isArray(raw['accessProfiles'])) {
    role['accessProfiles'] = keep(raw['accessProfiles'], resolved.accessProfileIds, revoked.accessProfileIds)
  }
  if (Array.isArray(raw['entitlements'])) {
    role['entitlements'] = keep(raw['entitlements'], resolved.entitlementKeys, revoked.entitlementKeys)
  }
  return { role, removed }
}
