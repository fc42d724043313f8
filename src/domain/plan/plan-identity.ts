import { coerceError } from '../errors.js'
import { removedAccessProfileKey, removedRoleEntitlementKey } from './composition-revocations.js'
import { desiredAccess, type DesiredAccess, type GrantLookup } from './desired-access.js'
import type { AccountSelection, IdentityPlan, PlanError, PlanItem, PlanReason } from './plan-item.js'
import type { Grant, PlanAccount, PlanIdentity, PlanningModel, PlanSource } from './planning-model.js'

/** What planning one identity needs besides the identity: the model and the account-id reservations. */
export interface PlanContext {
  readonly model: PlanningModel
  /**
   * Is this account id free on the source — among its stored accounts and the accounts already
   * planned in this run? A generator asks before it settles on a value.
   */
  readonly isAccountIdFree: (sourceId: string, accountId: string) => boolean
  /** Records an account id as taken by a planned create. */
  readonly reserveAccountId: (sourceId: string, accountId: string) => void
  readonly now?: () => Date
  /** Keep every role's verdict and explanation in the result (for `explain`). */
  readonly explain?: boolean
  /**
   * Assignments ended by a decision (a certification's revoke), by id, with the reason to name: what only
   * they granted is removed for that reason (and by its process type), not as "no longer granted".
   */
  readonly revokedBy?: ReadonlyMap<string, PlanReason>
}

export interface IdentityPlanResult extends IdentityPlan {
  readonly desired: DesiredAccess
}

/**
 * The planner: a pure function from an identity (its attributes, lifecycle state, accounts and
 * earlier grants) and the configuration to the account changes that make its access what policy
 * says, each with its reasons. Nothing is read or written here, so plans can be previewed,
 * explained and simulated against another configuration.
 */
export function planIdentity(identity: PlanIdentity, ctx: PlanContext): IdentityPlanResult {
  const { model } = ctx
  const desired = desiredAccess(identity, model, ctx.explain === true, ctx.now ? ctx.now() : new Date())
  const items: PlanItem[] = []
  const selections: AccountSelection[] = []
  const errors: PlanError[] = []
  const source = (id: string): PlanSource | undefined => model.sources.get(id)
  const accountsOn = (sourceId: string): PlanAccount[] =>
    identity.accounts.filter((a) => a.sourceId === sourceId)
  const deleted = new Set<string>()
  const modify = (
    src: PlanSource,
    nativeIdentity: string,
    attributeOperation: 'Add' | 'Remove' | 'Set',
    attribute: string,
    value: string,
    why: readonly PlanReason[],
  ): void => {
    items.push({
      identityId: identity.id,
      identityName: identity.name,
      sourceId: src.id,
      sourceName: src.name,
      nativeIdentity,
      operation: 'Modify',
      attributeOperation,
      attribute,
      value,
      reasons: why,
    })
  }

  // 1. Lifecycle account actions, when the state changed since the last applied plan.
  const state = desired.state
  if (state && identity.previousLifecycleState !== state.technicalName) {
    const reason: PlanReason = {
      kind: 'LIFECYCLE_STATE',
      name: state.technicalName,
      detail: `lifecycle state "${state.name}"`,
    }
    const grantedSources = new Set(
      state.accessProfileIds.flatMap((id) => {
        const ap = model.accessProfiles.get(id)
        return ap ? [ap.sourceId] : []
      }),
    )
    for (const action of state.accountActions) {
      for (const account of identity.accounts) {
        const targeted = action.sourceIds === 'all' || action.sourceIds.includes(account.sourceId)
        if (!targeted || action.excludeSourceIds.includes(account.sourceId)) continue
        const src = source(account.sourceId)
        if (!src) continue
        const common = {
          identityId: identity.id,
          identityName: identity.name,
          sourceId: src.id,
          sourceName: src.name,
          nativeIdentity: account.nativeIdentity,
          reasons: [reason],
        }
        if (action.action === 'ENABLE' && account.disabled) items.push({ ...common, operation: 'Enable' })
        // A state that grants access on a source keeps that source's account enabled.
        if (action.action === 'DISABLE' && !account.disabled && !grantedSources.has(src.id)) {
          items.push({ ...common, operation: 'Disable' })
        }
        if (action.action === 'DELETE') {
          items.push({ ...common, operation: 'Delete' })
          deleted.add(`${src.id}\u0000${account.nativeIdentity}`)
        }
      }
    }
  }

  // 2. Entitlements: wanted now versus held, per source.
  for (const [sourceId, grants] of desired.entitlementsBySource) {
    const src = source(sourceId)
    if (!src) continue
    const accounts = accountsOn(sourceId).filter((a) => !deleted.has(`${sourceId}\u0000${a.nativeIdentity}`))
    if (accounts.length === 0) {
      planCreate(identity, src, grants, ctx, items, errors)
      continue
    }
    for (const g of grants) {
      const target = accounts.length === 1 ? accounts[0] : chooseAccount(g, accounts, model)
      if (target === undefined) {
        selections.push({
          identityId: identity.id,
          sourceId,
          sourceName: src.name,
          accessProfile: g.reasons.find((r) => r.kind === 'ACCESS_PROFILE')?.name ?? g.name,
          candidates: accounts.map((a) => a.nativeIdentity),
          reasons: g.reasons,
        })
        continue
      }
      if (!holds(target, g.attribute as string, g.value as string)) {
        modify(src, target.nativeIdentity, 'Add', g.attribute as string, g.value as string, g.reasons)
      }
    }
  }

  // 3. Revocations: what earlier plans granted and nothing grants now — or everything, when the state says so.
  const revoke = (
    account: PlanAccount,
    src: PlanSource,
    attribute: string,
    value: string,
    why: PlanReason[],
  ) => {
    if (!deleted.has(`${src.id}\u0000${account.nativeIdentity}`)) {
      modify(src, account.nativeIdentity, 'Remove', attribute, value, why)
    }
  }
  if (desired.removeAll) {
    const reasons: PlanReason[] = [
      { kind: 'LIFECYCLE_STATE', name: state?.technicalName ?? '', detail: 'removes all access' },
    ]
    for (const account of identity.accounts) {
      const src = source(account.sourceId)
      if (!src) continue
      for (const attribute of src.entitlementAttributes) {
        for (const value of values(account.attributes[attribute])) {
          revoke(account, src, attribute, value, reasons)
        }
      }
    }
  } else {
    for (const previous of revoked(identity, desired)) {
      const src = source(previous.sourceId as string)
      if (!src) continue
      const attribute = previous.attribute as string
      const value = previous.value as string
      for (const account of identity.accounts) {
        if (account.sourceId !== src.id || !holds(account, attribute, value)) continue
        const decided = ctx.revokedBy && revokedReason(previous, ctx.revokedBy)
        const reasons = decided
          ? [decided]
          : previous.reasons.map((r) => ({
              ...r,
              detail: `no longer granted (was: ${r.detail ?? r.name})`,
            }))
        revoke(account, src, attribute, value, reasons)
      }
    }
  }

  // 4. Attribute sync: the identity's value wins; multi-valued attributes are not synced.
  if (state?.identityState !== 'INACTIVE_LONG_TERM') {
    for (const account of identity.accounts) {
      const src = source(account.sourceId)
      if (!src || deleted.has(`${src.id}\u0000${account.nativeIdentity}`)) continue
      for (const m of src.syncedAttributes) {
        const want = identity.attributes[m.identityAttribute]
        const have = account.attributes[m.accountAttribute]
        if (typeof want !== 'string' || Array.isArray(have) || have === want) continue
        modify(src, account.nativeIdentity, 'Set', m.accountAttribute, want, [
          {
            kind: 'ATTRIBUTE_SYNC',
            name: m.identityAttribute,
            detail: `identity attribute "${m.identityAttribute}"`,
          },
        ])
      }
    }
  }
  // 5. The Update Account profile goes with every change made to an account, minus what it already has.
  const modified = new Set(
    items.filter((i) => i.operation === 'Modify').map((i) => `${i.sourceId}\u0000${i.nativeIdentity}`),
  )
  for (const account of modified.size > 0 ? identity.accounts : []) {
    const src = source(account.sourceId)
    if (!src?.updatePolicy || !modified.has(`${src.id}\u0000${account.nativeIdentity}`)) continue
    planUpdate(identity, account, src, src.updatePolicy, ctx, items, errors)
  }
  return { items, selections, errors, desired }
}

// Applied grants and desired grants are both shared between identities (stored and merged once per set):
// what the one has that the other lacks is worked out once per pair, not once per identity.
const revocables = new WeakMap<readonly Grant[], WeakMap<readonly Grant[], readonly Grant[]>>()

/**
 * The entitlements granted before and not now. The shared sets are compared once per pair; an identity's
 * own assigned grants (few) are compared with what it is granted now, and also keep what the shared
 * comparison would revoke.
 */
function revoked(identity: PlanIdentity, desired: DesiredAccess): readonly Grant[] {
  const shared = revocable(identity.previousGrants, desired.computedGrants, desired.computedEntitlements)
  const own = identity.previousAssignedGrants ?? []
  if (own.length === 0 && desired.assignedGrants.length === 0) return shared
  const gone = shared.filter((g) => !desired.entitlements.has(g.id))
  const seen = new Set(gone.map((g) => g.id))
  for (const g of own) {
    if (g.kind !== 'ENTITLEMENT' || desired.entitlements.has(g.id) || seen.has(g.id)) continue
    seen.add(g.id)
    gone.push(g)
  }
  return gone
}

/** The entitlements of a previous set that a desired set lacks. */
function revocable(
  previous: readonly Grant[],
  desired: readonly Grant[],
  entitlements: GrantLookup,
): readonly Grant[] {
  if (previous.length === 0) return previous
  let byDesired = revocables.get(previous)
  if (!byDesired) {
    byDesired = new WeakMap()
    revocables.set(previous, byDesired)
  }
  let gone = byDesired.get(desired)
  if (!gone) {
    gone = previous.filter((g) => g.kind === 'ENTITLEMENT' && !entitlements.has(g.id))
    byDesired.set(desired, gone)
  }
  return gone
}

/**
 * The Update Account profile, for an account the plan changes: fields in order (a later one sees the
 * earlier ones); a value the account already holds, a secret, or no value adds nothing.
 */
function planUpdate(
  identity: PlanIdentity,
  account: PlanAccount,
  src: PlanSource,
  policy: NonNullable<PlanSource['updatePolicy']>,
  ctx: PlanContext,
  items: PlanItem[],
  errors: PlanError[],
): void {
  const reason: PlanReason = {
    kind: 'PROVISIONING_POLICY',
    name: policy.name,
    detail: 'Update Account profile',
  }
  const setHere = new Set(
    items
      .filter(
        (i) =>
          i.sourceId === src.id &&
          i.nativeIdentity === account.nativeIdentity &&
          i.attributeOperation === 'Set',
      )
      .map((i) => i.attribute),
  )
  const fields: Record<string, unknown> = {}
  for (const field of policy.fields) {
    if (field.secret || !field.transform) continue
    let value: string | null
    try {
      value = field.transform.evaluate({
        identity: identity.attributes,
        fields,
        ...(ctx.now ? { now: ctx.now } : {}),
      })
    } catch (err) {
      errors.push({
        identityId: identity.id,
        sourceName: src.name,
        message: `update field "${field.name}": ${coerceError(err).message}`,
      })
      continue
    }
    if (value !== null && field.maxSize !== undefined) value = value.slice(0, field.maxSize)
    fields[field.name] = value
    if (value === null || setHere.has(field.name) || account.attributes[field.name] === value) continue
    items.push({
      identityId: identity.id,
      identityName: identity.name,
      sourceId: src.id,
      sourceName: src.name,
      nativeIdentity: account.nativeIdentity,
      operation: 'Modify',
      attributeOperation: 'Set',
      attribute: field.name,
      value,
      reasons: [reason],
    })
  }
}

/** The Create Account profile: fields in order, a later field's template may use an earlier one. */
function planCreate(
  identity: PlanIdentity,
  src: PlanSource,
  grants: readonly Grant[],
  ctx: PlanContext,
  items: PlanItem[],
  errors: PlanError[],
): void {
  const fail = (message: string): void => {
    errors.push({ identityId: identity.id, sourceName: src.name, message })
  }
  if (!src.createFields) {
    fail(`source "${src.name}" has no CREATE provisioning policy: cannot create an account`)
    return
  }
  const reasons = grants.flatMap((g) => g.reasons)
  const fields: Record<string, unknown> = {}
  const values: { name: string; value: string | null; secret: boolean }[] = []
  for (const field of src.createFields) {
    if (field.secret) {
      values.push({ name: field.name, value: null, secret: true })
      continue
    }
    let value: string | null
    try {
      value = field.transform
        ? field.transform.evaluate({
            identity: identity.attributes,
            fields,
            isUnique: (v) => ctx.isAccountIdFree(src.id, v),
            ...(ctx.now ? { now: ctx.now } : {}),
          })
        : null
    } catch (err) {
      fail(`field "${field.name}": ${coerceError(err).message}`)
      return
    }
    if (value !== null && field.maxSize !== undefined) value = value.slice(0, field.maxSize)
    if ((value === null || value === '') && field.isRequired) {
      fail(`required field "${field.name}" of the Create Account profile has no value`)
      return
    }
    fields[field.name] = value
    values.push({ name: field.name, value, secret: false })
  }
  const accountId = fields[src.accountIdAttribute]
  if (typeof accountId !== 'string' || accountId === '') {
    fail(`the Create Account profile gives no account id ("${src.accountIdAttribute}")`)
    return
  }
  if (!ctx.isAccountIdFree(src.id, accountId)) {
    fail(`account id "${accountId}" is already taken on source "${src.name}"`)
    return
  }
  ctx.reserveAccountId(src.id, accountId)
  // Each item written out, not `{ ...common, … }`: on V8 every property after a spread costs about a
  // microsecond, and a bulk approval plans creates for hundreds of identities at once.
  const create = (
    attributeOperation: 'Set' | 'Add',
    attribute: string,
    value: string | null,
    itemReasons: readonly PlanReason[],
  ): PlanItem => ({
    identityId: identity.id,
    identityName: identity.name,
    sourceId: src.id,
    sourceName: src.name,
    nativeIdentity: accountId,
    operation: 'Create',
    attributeOperation,
    attribute,
    value,
    reasons: itemReasons,
  })
  for (const v of values) {
    if (v.value === null && !v.secret) continue
    items.push(
      v.secret
        ? { ...create('Set', v.name, v.value, reasons), secret: true }
        : create('Set', v.name, v.value, reasons),
    )
  }
  for (const g of grants) items.push(create('Add', g.attribute as string, g.value as string, g.reasons))
}

/**
 * With several accounts on the source: the account chosen at request time (named by the assignment's
 * reason), else the one the access profile's provisioning criteria pick — exactly one, never a guess.
 */
function chooseAccount(
  grant: Grant,
  accounts: readonly PlanAccount[],
  model: PlanningModel,
): PlanAccount | undefined {
  const chosen = grant.reasons.find((r) => r.kind === 'ASSIGNMENT' && r.account !== undefined)?.account
  if (chosen !== undefined) return accounts.find((a) => a.nativeIdentity === chosen)
  const apId = grant.reasons.find((r) => r.kind === 'ACCESS_PROFILE')?.id
  const select = apId ? model.accessProfiles.get(apId)?.selectAccount : undefined
  if (!select) return undefined
  const matches = accounts.filter((a) => select(a))
  return matches.length === 1 ? matches[0] : undefined
}

function holds(account: PlanAccount, attribute: string, value: string): boolean {
  const v = account.attributes[attribute]
  if (v === value) return true
  return Array.isArray(v)
    ? v.some((x) => x === value || String(x) === value)
    : v != null && String(v) === value
}

function values(v: unknown): string[] {
  if (v === null || v === undefined) return []
  return Array.isArray(v) ? v.map(String) : [String(v)]
}

/**
 * The decision that ended one of the assignments behind a grant, or took what granted it out of a role's
 * definition, if one did.
 */
function revokedReason(
  previous: Pick<Grant, 'id' | 'reasons'>,
  revokedBy: ReadonlyMap<string, PlanReason>,
): PlanReason | undefined {
  for (const r of previous.reasons) {
    if (r.id === undefined) continue
    const key =
      r.kind === 'ASSIGNMENT'
        ? r.id
        : // Stored reasons keep no `via`; an access profile still granted otherwise is not revoked at all.
          r.kind === 'ACCESS_PROFILE'
          ? removedAccessProfileKey(r.id)
          : r.kind === 'ROLE'
            ? removedRoleEntitlementKey(r.id, previous.id)
            : undefined
    const decided = key !== undefined ? revokedBy.get(key) : undefined
    if (decided) return decided
  }
  return undefined
}
