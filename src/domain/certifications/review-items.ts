import { describeReason } from '../plan/describe-reason.js'
import { entitlementKey } from '../plan/entitlement-key.js'
import type { DesiredAccess } from '../plan/desired-access.js'
import type { PlanReason } from '../plan/plan-item.js'
import type { Grant, PlanAccount, PlanningModel } from '../plan/planning-model.js'

export type ReviewItemType = 'ROLE' | 'ACCESS_PROFILE' | 'ENTITLEMENT' | 'ACCOUNT'

/** One access item of one identity to review, with why it is held and whether a REVOKE can remove it. */
export interface ReviewItem {
  readonly itemType: ReviewItemType
  /** A role's or access profile's id, an entitlement's key, an account's native identity. */
  readonly itemId: string
  readonly itemName: string
  readonly sourceId: string | null
  readonly attribute: string | null
  readonly value: string | null
  readonly nativeIdentity: string | null
  /** Why it is held (the planner's reasons); empty: nothing grants it (unmanaged access). */
  readonly reasons: readonly PlanReason[]
  readonly revocable: boolean
  /** Why a REVOKE cannot remove it (null when it can). */
  readonly acknowledgeOnly: string | null
  /** The assignments a REVOKE ends. */
  readonly assignmentIds: readonly string[]
  /** What peers are compared on: `R:`, `AP:`, `E:` or `A:` and the id. */
  readonly key: string
}

/** Which of an identity's access a campaign reviews. */
export interface ReviewScope {
  /** Only access on these sources (SOURCE_OWNER); roles, which span sources, are left out then. */
  readonly sourceIds?: ReadonlySet<string>
  /** Accounts too (SOURCE_OWNER). */
  readonly accounts?: boolean
}

/** Assignments given by a person can be revoked in a review; what policy computes cannot. */
const GIVEN = new Set(['ACCESS_REQUEST', 'ADMIN', 'CERTIFICATION'])

/**
 * An identity's reviewable access as it stands, as the reference certifies it: roles (requested ones
 * revocable, criteria and identity-list ones acknowledge-only), access profiles assigned to it or granted
 * by its lifecycle state (those in a role are reviewed through the role), entitlements assigned to it,
 * and every entitlement held on an account that nothing grants (unmanaged access, revocable from the
 * account). Entitlements in a role or access profile are reviewed through their bundle. Pure.
 */
export function reviewItems(
  desired: Pick<DesiredAccess, 'grants' | 'entitlements' | 'entitlementsBySource'>,
  accounts: readonly PlanAccount[],
  model: Pick<PlanningModel, 'sources' | 'accessProfiles'>,
  scope: ReviewScope = {},
): ReviewItem[] {
  const { sources } = model
  const out: ReviewItem[] = []
  const inScope = (sourceId: string | undefined): boolean =>
    scope.sourceIds === undefined || (sourceId !== undefined && scope.sourceIds.has(sourceId))
  for (const g of desired.grants) {
    const given = g.reasons.filter((r) => r.kind === 'ASSIGNMENT' && GIVEN.has(r.origin ?? ''))
    const direct = given.filter((r) => r.itemType === g.kind)
    if (g.kind === 'ROLE') {
      if (scope.sourceIds !== undefined) continue
      const policy = g.reasons.filter((r) => r.kind === 'ROLE')
      out.push(
        item(
          g,
          'ROLE',
          g.id,
          g.name,
          null,
          direct,
          policy.length > 0 && direct.length === 0 ? roleWhy(g, policy) : null,
        ),
      )
      continue
    }
    if (g.kind === 'ACCESS_PROFILE') {
      const state = g.reasons.filter((r) => r.kind === 'LIFECYCLE_STATE')
      // In a role (met or assigned): reviewed through the role.
      if (direct.length === 0 && state.length === 0) continue
      const sourceId = model.accessProfiles.get(g.id)?.sourceId
      if (!inScope(sourceId)) continue
      const why =
        direct.length === 0
          ? `granted by lifecycle state "${state[0]?.name ?? ''}": it goes when the state changes, not by a review`
          : null
      out.push(item(g, 'ACCESS_PROFILE', g.id, g.name, sourceId ?? null, direct, why))
      continue
    }
    if (direct.length === 0 || !inScope(g.sourceId)) continue
    out.push({
      ...item(g, 'ENTITLEMENT', g.id, g.name, g.sourceId ?? null, direct, null),
      attribute: g.attribute ?? null,
      value: g.value ?? null,
    })
  }
  for (const account of accounts) {
    const source = sources.get(account.sourceId)
    if (!source || !inScope(source.id)) continue
    if (scope.accounts === true) {
      const record = source.authoritative === true ? authoritativeWhy(source.name) : null
      out.push({
        itemType: 'ACCOUNT',
        itemId: account.nativeIdentity,
        itemName: `${account.nativeIdentity} on ${source.name}`,
        sourceId: source.id,
        attribute: null,
        value: null,
        nativeIdentity: account.nativeIdentity,
        reasons:
          record !== null
            ? [{ kind: 'AUTHORITATIVE_SOURCE', id: source.id, name: source.name }]
            : accountReasons(
                desired.entitlementsBySource.get(source.id) ?? [],
                account,
                accounts.filter((a) => a.sourceId === source.id).length === 1,
              ),
        revocable: record === null,
        acknowledgeOnly: record,
        assignmentIds: [],
        key: `A:${source.id}`,
      })
    }
    for (const attribute of source.entitlementAttributes) {
      for (const value of textValues(account.attributes[attribute])) {
        const key = entitlementKey(source.id, attribute, value)
        const grant = desired.entitlements.get(key)
        if (grant && grantCoversAccount(grant, account.nativeIdentity)) continue
        out.push({
          itemType: 'ENTITLEMENT',
          itemId: key,
          itemName: value,
          sourceId: source.id,
          attribute,
          value,
          nativeIdentity: account.nativeIdentity,
          reasons: [],
          revocable: true,
          acknowledgeOnly: null,
          assignmentIds: [],
          key: `E:${key}`,
        })
      }
    }
  }
  return out
}

function item(
  g: Grant,
  itemType: ReviewItemType,
  itemId: string,
  itemName: string,
  sourceId: string | null,
  direct: readonly PlanReason[],
  acknowledgeOnly: string | null,
): ReviewItem {
  return {
    itemType,
    itemId,
    itemName,
    sourceId,
    attribute: null,
    value: null,
    nativeIdentity: direct.find((r) => r.account !== undefined)?.account ?? null,
    reasons: g.reasons,
    revocable: acknowledgeOnly === null,
    acknowledgeOnly,
    assignmentIds: direct.flatMap((r) => (r.id !== undefined ? [r.id] : [])),
    key: `${itemType === 'ROLE' ? 'R' : itemType === 'ACCESS_PROFILE' ? 'AP' : 'E'}:${itemId}`,
  }
}

/**
 * Why an account is held: what grants access on its source there, each reason once; none: nothing asks for
 * the account (unmanaged). The planner creates an account for what it grants on a source, so the
 * identity's only account there is held by all of it; of several accounts, each by what is made for it
 * (an assignment for that account) or what it holds.
 */
function accountReasons(grants: readonly Grant[], account: PlanAccount, only: boolean): PlanReason[] {
  const out = new Map<string, PlanReason>()
  for (const g of grants) {
    if (!grantCoversAccount(g, account.nativeIdentity)) continue
    const pinned = g.reasons.some((r) => r.kind === 'ASSIGNMENT' && r.account === account.nativeIdentity)
    const held =
      g.attribute !== undefined && textValues(account.attributes[g.attribute]).includes(g.value ?? '')
    if (!only && !pinned && !held) continue
    for (const r of g.reasons) out.set(`${r.kind}\u0000${r.id ?? ''}\u0000${r.name}`, r)
  }
  return [...out.values()]
}

/**
 * An account on an authoritative source is the identity's record there (HR's row): disabling or deleting it
 * from a review would end or change the identity itself, and an auto-completion with REVOKE would do so
 * for everyone undecided. It changes where it comes from.
 */
function authoritativeWhy(source: string): string {
  return `an account on an authoritative source is the person's record: it changes in ${source} (a leaver's record ends there), not by a review`
}

function roleWhy(g: Grant, policy: readonly PlanReason[]): string {
  const how = policy[0]?.detail ?? ''
  return g.origin === 'IDENTITY_LIST'
    ? `a member of role "${g.name}" by its identity list: remove the identity from the list to revoke it`
    : `a member of role "${g.name}" by its criteria (${how}): it goes when the criteria stop matching, not by a review`
}

/**
 * Whether a granted entitlement is granted on this account: an assignment made for one account (an
 * identity with several on the source) manages the value there only, so the same value held on another
 * account is unmanaged; a role, a lifecycle state or an assignment without an account grants it wherever
 * the planner puts it.
 */
export function grantCoversAccount(g: Pick<Grant, 'reasons'>, nativeIdentity: string): boolean {
  return g.reasons.some((r) => {
    if (r.kind === 'ASSIGNMENT') return r.account === undefined || r.account === nativeIdentity
    // The access profile of an assignment goes with the assignment's own reason, checked above.
    return !(r.kind === 'ACCESS_PROFILE' && r.via === 'ASSIGNMENT')
  })
}

/**
 * What would bring back a deleted account: the planner creates an account for an identity granted access on
 * a source where it has none, so deleting someone's only account on a source that still grants them
 * something there is undone by the next plan. Those grants (none: the deletion sticks).
 */
export function grantsRecreatingAccount(
  desired: Pick<DesiredAccess, 'entitlementsBySource'>,
  accounts: readonly Pick<PlanAccount, 'sourceId' | 'nativeIdentity'>[],
  sourceId: string,
  nativeIdentity: string,
): readonly Grant[] {
  const another = accounts.some((a) => a.sourceId === sourceId && a.nativeIdentity !== nativeIdentity)
  return another ? [] : (desired.entitlementsBySource.get(sourceId) ?? [])
}

/** Why a deleted account would come back: what still grants access on its source (`grantsRecreatingAccount`'s grants). */
export function recreatedBy(grants: readonly Grant[]): {
  readonly by: readonly string[]
  readonly message: string
} {
  const by = [...new Set(grants.flatMap((g) => g.reasons.map(describeReason)))]
  return {
    by,
    message: `still granted access on its source by ${by.join('; ')}: the next plan would create the account again (revoke what grants it, or disable the account instead)`,
  }
}

function textValues(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string' && x !== '')
  return typeof v === 'string' && v !== '' ? [v] : []
}
