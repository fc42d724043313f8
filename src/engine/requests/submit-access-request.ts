import { ForbiddenError, InputError, NotFoundError } from '../../domain/errors.js'
import type { Identity } from '../../domain/model.js'
import { newId } from '../../domain/new-id.js'
import type { AssignedItemType, Assignment } from '../../domain/plan/assignment.js'
import type { Grant, PlanAccount } from '../../domain/plan/planning-model.js'
import type { RequestItem, RequestType } from '../../domain/requests/access-request.js'
import { isoInstant } from '../../domain/requests/iso-instant.js'
import {
  insertRequestItems,
  listRequestItems,
  lockRequestsFor,
  type NewRequestItem,
} from '../../store/access-requests.js'
import { loadPlanAccountsByIdentity } from '../../store/account-planning.js'
import { assignmentsOf, setAssignmentDates } from '../../store/assignments.js'
import type { Db } from '../../store/db.js'
import { findIdentity, loadIdentitiesById } from '../../store/identities.js'
import { enqueueIdentities } from '../../store/queues.js'
import { desiredAccessOf } from '../desired-access-of.js'
import type { EngineContext } from '../engine-context.js'
import { isOrgAdmin, type RequestActor } from './access-request-actor.js'
import { resolveChain, schemesOf } from './approval-schemes.js'
import { chainStart, moveChains } from './approval-steps.js'
import { identityLookup } from './identity-lookup.js'
import { provisionApprovedItems } from './provision-approved.js'
import { analyzeRequestTables } from './request-statistics.js'
import { requestedItem, type RequestedItem } from './requested-item.js'
import { tenantRequestConfig } from './tenant-request-config.js'

/** The reference's limits: a request with entitlements is for at most 10 identities and 25 entitlements. */
export const MAX_IDENTITIES_WITH_ENTITLEMENTS = 10
export const MAX_ENTITLEMENTS = 25
/** Provisio's own bounds on a request without entitlements (the reference states none). */
export const MAX_IDENTITIES = 100
export const MAX_ITEMS = 50

export interface RequestedItemInput {
  readonly type: AssignedItemType
  readonly id: string
  readonly comment?: string | undefined
  readonly startDate?: string | undefined
  readonly removeDate?: string | undefined
  readonly clientMetadata?: Readonly<Record<string, string>> | undefined
  /** The account on the item's source, for an identity with several there. */
  readonly nativeIdentity?: string | undefined
}

export interface AccessRequestInput {
  readonly requestedFor: readonly string[]
  readonly requestType: RequestType
  readonly requestedItems: readonly RequestedItemInput[]
  readonly clientMetadata?: Readonly<Record<string, string>> | undefined
}

/** What a request made: the items created (new), and those not created, each with why. */
export interface SubmittedRequest {
  readonly requestId: string
  readonly items: readonly RequestItem[]
  /** Access already held (ignored, as the reference does) or a sunset cleared on it. */
  readonly ignored: readonly {
    identityId: string
    itemType: AssignedItemType
    itemId: string
    reason: string
  }[]
}

/**
 * Makes an access request: checks every rule first (so a bad request writes nothing), then records one
 * requested item per identity and item, starts each one's approval chain (auto-approved steps decided at
 * once) and provisions what needs no approval. Access already held is ignored; a request for an item
 * already pending for the identity is recorded as cancelled, a duplicate.
 */
export async function submitAccessRequest(
  ctx: EngineContext,
  actor: RequestActor,
  input: AccessRequestInput,
): Promise<SubmittedRequest> {
  const { identities, items } = await prepareRequest(ctx, actor, input)
  const now = ctx.now()
  const tenant = tenantRequestConfig(ctx)
  const revoke = input.requestType === 'REVOKE_ACCESS'
  const requestId = newId()
  const ignored: SubmittedRequest['ignored'][number][] = []
  // Everything the rules read, for every identity at once: a request for a hundred people reads no more
  // often than one for a single person.
  const ids = identities.map((i) => i.id)
  const assignments = await assignmentsOf(ctx.db, ids)
  // The identities' accounts, read once: for what roles grant and for the accounts on the items' sources.
  const planAccounts = await loadPlanAccountsByIdentity(ctx.db, ids)
  const held = await grantsOf(ctx, identities, planAccounts, assignments)
  // A request duplicates one still in its approval for the same identity, item and kind (a revoke is no
  // duplicate of a grant).
  const key = (identityId: string, type: string, id: string): string =>
    `${input.requestType} ${identityId} ${type} ${id}`
  const pendingIn = async (db: Db): Promise<Set<string>> =>
    new Set(
      (await listRequestItems(db, { identityIds: ids, phases: ['APPROVAL'] }))
        .filter((p) => p.requestType === input.requestType)
        .map((p) => key(p.identityId, p.itemType, p.itemId)),
    )
  const pending = await pendingIn(ctx.db)
  // A grant approved at once is given its assignment right after the transaction that records it, outside
  // the lock: another one for the same item, made at the same moment and approved at once too, is approved
  // but not assigned yet, or has its assignment now (one the read above did not see). Either makes this one
  // its duplicate, rather than a second assignment of the same access.
  const grantedMeanwhile = async (tx: Db): Promise<Set<string>> => {
    if (input.requestType !== 'GRANT_ACCESS') return new Set()
    const seen = new Set([...assignments.values()].flatMap((list) => list.map((a) => a.id)))
    const approvedNow = await listRequestItems(tx, {
      identityIds: ids,
      phases: ['APPROVED'],
      unassigned: true,
    })
    const givenNow = [...(await assignmentsOf(tx, ids)).values()].flat().filter((a) => !seen.has(a.id))
    return new Set([
      ...approvedNow
        .filter((i) => i.requestType === 'GRANT_ACCESS')
        .map((i) => key(i.identityId, i.itemType, i.itemId)),
      ...givenNow.map((a) => key(a.identityId, a.itemType, a.itemId)),
    ])
  }
  const accounts = accountsOn(planAccounts, items)
  const people = identityLookup(ctx.db, identities)
  // Managers are read at once only when a chain asks one to approve; otherwise nobody reads them.
  if (items.some((item) => asksManager(ctx, item, input.requestType))) {
    await people.preload(identities.flatMap((i) => (i.managerId !== null ? [i.managerId] : [])))
  }
  const records: NewRequestItem[] = []
  const sunsetsCleared: { assignment: Assignment; identityId: string }[] = []
  for (const identity of identities) {
    for (const [i, item] of items.entries()) {
      const ref = input.requestedItems[i] as RequestedItemInput
      const path = `requestedItems[${i}]`
      const grants = (held.get(identity.id) ?? []).filter((g) => sameItem(g, item))
      const given = (assignments.get(identity.id) ?? []).filter(
        (a) =>
          a.itemType === item.type &&
          a.itemId === item.id &&
          (a.origin === 'ACCESS_REQUEST' || a.origin === 'ADMIN'),
      )
      if (revoke) {
        if (given.length === 0) {
          const why = grants.flatMap((g) => g.reasons.map((r) => r.detail ?? `${r.kind} ${r.name}`))
          throw new InputError(
            grants.length > 0
              ? `${path}: ${item.name} comes to ${identity.name} from ${[...new Set(why)].join('; ')}, not from a request: ` +
                  'change that instead (role criteria, lifecycle state or identity list)'
              : `${path}: ${identity.name} does not hold ${item.name} by request or assignment`,
          )
        }
        const sunset = given.find((a) => a.removeDate !== null)
        if (
          ref.removeDate !== undefined &&
          sunset &&
          Date.parse(ref.removeDate) >= Date.parse(sunset.removeDate as string)
        ) {
          throw new InputError(
            `${path}.removeDate: must be earlier than the access's current end (${sunset.removeDate})`,
          )
        }
      } else if (
        grants.length > 0 ||
        given.some((a) => a.startDate === null || Date.parse(a.startDate) <= now.getTime())
      ) {
        // Held already: ignored. A request without an end date clears the end date of access it asked for before.
        const requested = given.find((a) => a.origin === 'ACCESS_REQUEST' && a.removeDate !== null)
        const cleared = requested !== undefined && ref.removeDate === undefined
        if (cleared) sunsetsCleared.push({ assignment: requested, identityId: identity.id })
        ignored.push({
          identityId: identity.id,
          itemType: item.type,
          itemId: item.id,
          reason: cleared ? 'held; its end date was removed' : 'already held',
        })
        continue
      }
      checkAccount(identity, item, ref, path, accounts)
      const duplicate = pending.has(key(identity.id, item.type, item.id))
      const chain = duplicate ? [] : await resolveChain(ctx, item, input.requestType, identity, people)
      const requesterId = actor.identityId
      const start = chainStart({ schemes: chain, requesterId }, tenant.autoApprovalEnabled)
      records.push({
        id: newId(),
        requestId,
        requestType: input.requestType,
        requesterId,
        requesterClient: requesterId === null ? actor.clientId : null,
        identityId: identity.id,
        itemType: item.type,
        itemId: item.id,
        itemName: item.name,
        sourceId: item.sourceId,
        comment: ref.comment ?? null,
        startDate: ref.startDate !== undefined ? new Date(ref.startDate).toISOString() : null,
        removeDate: ref.removeDate !== undefined ? new Date(ref.removeDate).toISOString() : null,
        clientMetadata: ref.clientMetadata ?? input.clientMetadata ?? null,
        nativeIdentity: ref.nativeIdentity ?? null,
        // The same item already pending for the identity: recorded, cancelled as a duplicate.
        phase: duplicate ? 'CANCELLED' : start.phase,
        schemes: chain,
        step: start.step,
      })
    }
  }
  // Every rule passed for every identity and item: now it is written, all of it or nothing.
  const approved = await ctx.db.transaction(async (tx) => {
    // Another request for the same people (a second click, another process) may have opened an approval
    // since `pending` was read: with the requests for these identities serialised, what is pending now is
    // read again, and an item asked for there is recorded here as its duplicate, not opened a second time.
    await lockRequestsFor(tx, ids)
    const pendingNow = await pendingIn(tx)
    const takenNow = records.some((r) => r.phase === 'APPROVED') ? await grantedMeanwhile(tx) : new Set()
    records.forEach((r, n) => {
      const k = key(r.identityId, r.itemType, r.itemId)
      if (pendingNow.has(k) || (r.phase === 'APPROVED' && takenNow.has(k))) {
        records[n] = { ...r, phase: 'CANCELLED', schemes: [], step: 0 }
      }
    })
    for (const { assignment } of sunsetsCleared) {
      await setAssignmentDates(tx, assignment.id, { startDate: assignment.startDate, removeDate: null })
    }
    if (sunsetsCleared.length > 0) {
      await enqueueIdentities(tx, [...new Set(sunsetsCleared.map((c) => c.identityId))], ['plan'])
    }
    await insertRequestItems(tx, records, now)
    const moves = records.filter((r) => r.phase !== 'CANCELLED').map((item) => ({ item, from: 0 }))
    // The approvers the chains named were read to resolve them: their messages do not read them again.
    return moveChains(ctx, tx, moves, tenant.autoApprovalEnabled, true, await people.found())
  })
  const opened = records.filter((r) => r.phase === 'APPROVAL').length
  await analyzeRequestTables(ctx.db, { items: records.length, approvals: opened, events: opened })
  if (approved.length > 0) {
    await provisionApprovedItems(ctx, approved, undefined, identities)
    // Provisioning changed some: every item made is read back once, as it left them.
    return { requestId, items: await listRequestItems(ctx.db, { requestIds: [requestId] }), ignored }
  }
  // Nothing provisioned yet: the items are as written (in the listing's order: same time, then id).
  const at = now.toISOString()
  // The record spread last: on V8 each property after a spread costs about a microsecond.
  const made = records.map((r): RequestItem => ({
    assignmentId: null,
    activityIds: [],
    provisioningError: null,
    decided: r.phase === 'APPROVAL' ? null : at,
    closed: null,
    closeDetail: null,
    created: at,
    modified: at,
    ...r,
  }))
  return { requestId, items: made, ignored }
}

/**
 * Checks a request against every rule that does not depend on what each identity holds, and resolves
 * its identities and items: what a request and its preview share. Writes nothing.
 */
export async function prepareRequest(
  ctx: EngineContext,
  actor: RequestActor,
  input: AccessRequestInput,
): Promise<{ identities: Identity[]; items: RequestedItem[] }> {
  const now = ctx.now()
  const revoke = input.requestType === 'REVOKE_ACCESS'
  if (input.requestedFor.length === 0) throw new InputError('requestedFor: name at least one identity')
  if (input.requestedItems.length === 0) throw new InputError('requestedItems: name at least one item')
  if (input.requestedFor.length > MAX_IDENTITIES) {
    throw new InputError(`requestedFor: at most ${MAX_IDENTITIES} identities per request`)
  }
  const identities = await identitiesFor(ctx, input.requestedFor)
  if (new Set(identities.map((i) => i.id)).size !== identities.length) {
    throw new InputError('requestedFor: an identity is named twice')
  }
  const items = await Promise.all(
    input.requestedItems.map(async (ref, i) => {
      try {
        return await requestedItem(ctx, ref)
      } catch (err) {
        if (err instanceof NotFoundError) throw new InputError(`requestedItems[${i}]: ${err.message}`)
        throw err
      }
    }),
  )
  checkLimits(input, items, identities.length)
  for (const identity of identities) checkMayRequestFor(ctx, actor, identity, revoke)
  if (revoke) {
    const only = identities[0] as Identity
    if (actor.identityId === only.id) {
      throw new ForbiddenError('REVOKE_ACCESS: nobody revokes their own access by request (ask your manager)')
    }
  }
  items.forEach((item, i) =>
    checkItem(ctx, input.requestedItems[i] as RequestedItemInput, item, i, revoke, now),
  )

  return { identities, items }
}

/** The identities asked for, by id (one query) or else by name; an unknown one is an error naming it. */
async function identitiesFor(ctx: EngineContext, keys: readonly string[]): Promise<Identity[]> {
  const byId = new Map((await loadIdentitiesById(ctx.db, keys)).map((i) => [i.id, i]))
  const out: Identity[] = []
  for (const [i, key] of keys.entries()) {
    const identity = byId.get(key) ?? (await findIdentity(ctx.db, key))
    if (!identity) throw new InputError(`requestedFor[${i}]: no identity "${key}"`)
    out.push(identity)
  }
  return out
}

function checkLimits(input: AccessRequestInput, items: readonly RequestedItem[], identities: number): void {
  const entitlements = items.filter((i) => i.type === 'ENTITLEMENT').length
  if (input.requestType === 'REVOKE_ACCESS') {
    if (identities !== 1) {
      throw new InputError('requestedFor: a REVOKE_ACCESS request is for exactly one identity')
    }
    if (entitlements > 1) {
      throw new InputError('requestedItems: a REVOKE_ACCESS request revokes at most 1 entitlement')
    }
  }
  if (entitlements > 0 && identities > MAX_IDENTITIES_WITH_ENTITLEMENTS) {
    throw new InputError(
      `requestedFor: a request with entitlements is for at most ${MAX_IDENTITIES_WITH_ENTITLEMENTS} identities`,
    )
  }
  if (entitlements > MAX_ENTITLEMENTS) {
    throw new InputError(`requestedItems: at most ${MAX_ENTITLEMENTS} entitlements per request`)
  }
  if (identities > MAX_IDENTITIES) {
    throw new InputError(`requestedFor: at most ${MAX_IDENTITIES} identities per request`)
  }
  if (items.length > MAX_ITEMS) throw new InputError(`requestedItems: at most ${MAX_ITEMS} items per request`)
  const keys = items.map((i) => `${i.type}:${i.id}`)
  if (new Set(keys).size !== keys.length) throw new InputError('requestedItems: an item is named twice')
}

/**
 * A person requests for themselves; a manager for their direct reports (when the tenant allows it, as it
 * does by default); anyone for anyone when the tenant allows that; an ORG_ADMIN for anyone. A revoke is
 * for a manager's direct reports or an ORG_ADMIN's.
 */
function checkMayRequestFor(
  ctx: EngineContext,
  actor: RequestActor,
  identity: Identity,
  revoke: boolean,
): void {
  if (isOrgAdmin(actor)) return
  const onBehalf = tenantRequestConfig(ctx).requestOnBehalfOfConfig
  const self = actor.identityId === identity.id
  const manager = actor.identityId !== null && identity.managerId === actor.identityId
  if (revoke) {
    if (manager) return
    throw new ForbiddenError(`REVOKE_ACCESS for ${identity.name}: only their manager or an ORG_ADMIN may ask`)
  }
  if (self) return
  if (manager && onBehalf.allowRequestOnBehalfOfEmployeeByManager) return
  if (actor.identityId !== null && onBehalf.allowRequestOnBehalfOfAnyoneByAnyone) return
  throw new ForbiddenError(
    actor.identityId === null
      ? 'an API client without an identity requests access only with ORG_ADMIN'
      : `you may not request access for ${identity.name}` +
          (manager ? ' (requests by managers are turned off)' : ': only for yourself or your direct reports'),
  )
}

function checkItem(
  ctx: EngineContext,
  ref: RequestedItemInput,
  item: RequestedItem,
  i: number,
  revoke: boolean,
  now: Date,
): void {
  const path = `requestedItems[${i}]`
  const tenant = tenantRequestConfig(ctx).entitlementRequestConfig
  if (!revoke && !item.requestable) throw new InputError(`${path}: ${item.name} is not requestable`)
  if (!revoke && item.type === 'ENTITLEMENT' && !tenant.allowEntitlementRequest) {
    throw new InputError(
      `${path}: entitlement requests are turned off (entitlementRequestConfig.allowEntitlementRequest)`,
    )
  }
  const commentRequired = revoke
    ? true
    : item.type === 'ENTITLEMENT'
      ? tenant.requestCommentsRequired
      : item.accessRequestConfig?.commentsRequired === true
  if (commentRequired && (ref.comment ?? '').trim() === '') {
    throw new InputError(
      `${path}.comment: ${revoke ? 'a revoke' : `a request for ${item.name}`} needs a comment`,
    )
  }
  for (const field of ['startDate', 'removeDate'] as const) {
    const value = ref[field]
    if (value === undefined) continue
    const t = isoInstant(value)
    if (t === undefined) {
      throw new InputError(
        `${path}.${field}: "${value}" is not an ISO 8601 time in UTC (2027-01-31T17:00:00Z)`,
      )
    }
    if (t <= now.getTime()) throw new InputError(`${path}.${field}: must be in the future`)
  }
  if (revoke && ref.startDate !== undefined) {
    throw new InputError(`${path}.startDate: a revoke has no start date`)
  }
  if (
    ref.startDate !== undefined &&
    ref.removeDate !== undefined &&
    Date.parse(ref.removeDate) <= Date.parse(ref.startDate)
  ) {
    throw new InputError(`${path}.removeDate: must come after startDate`)
  }
  if (!revoke && item.accessRequestConfig?.requireEndDate === true && ref.removeDate === undefined) {
    throw new InputError(`${path}.removeDate: ${item.name} is granted only with an end date`)
  }
}

/** The native identities of each identity's accounts on the requested items' sources, by `identity source`. */
function accountsOn(
  accounts: ReadonlyMap<string, readonly PlanAccount[]>,
  items: readonly RequestedItem[],
): Map<string, string[]> {
  const sources = new Set(items.flatMap((i) => (i.sourceId !== null ? [i.sourceId] : [])))
  const out = new Map<string, string[]>()
  for (const [identityId, list] of accounts) {
    for (const a of list) {
      if (!sources.has(a.sourceId)) continue
      const k = `${identityId} ${a.sourceId}`
      const known = out.get(k)
      if (known) known.push(a.nativeIdentity)
      else out.set(k, [a.nativeIdentity])
    }
  }
  // In name order, as a message naming several lists them.
  for (const list of out.values()) list.sort()
  return out
}

/**
 * An identity with several accounts on the item's source gets the account chosen at request time: the
 * request must name it (`nativeIdentity`), never guessed. A named account must be one of the identity's.
 */
function checkAccount(
  identity: Identity,
  item: RequestedItem,
  ref: RequestedItemInput,
  path: string,
  accountsByKey: ReadonlyMap<string, readonly string[]>,
): void {
  if (item.sourceId === null) return
  const accounts = accountsByKey.get(`${identity.id} ${item.sourceId}`) ?? []
  if (ref.nativeIdentity !== undefined && !accounts.includes(ref.nativeIdentity)) {
    throw new InputError(
      `${path}.nativeIdentity: ${identity.name} has no account "${ref.nativeIdentity}" on that source`,
    )
  }
  if (ref.nativeIdentity === undefined && accounts.length > 1) {
    throw new InputError(
      `${path}.nativeIdentity: ${identity.name} has ${accounts.length} accounts on the source of ${item.name} ` +
        `(${accounts.join(', ')}): name the one to receive it`,
    )
  }
}

/** What each identity is granted now, by policy and by assignments, as the planner sees it: one pass. */
async function grantsOf(
  ctx: EngineContext,
  identities: readonly Identity[],
  accounts: ReadonlyMap<string, readonly PlanAccount[]>,
  assignments: ReadonlyMap<string, readonly Assignment[]>,
): Promise<Map<string, readonly Grant[]>> {
  const desired = await desiredAccessOf(ctx, identities, accounts, assignments)
  return new Map([...desired].map(([id, d]) => [id, d.grants]))
}

/** Whether the item's approval chain has a manager's step (a chain that cannot be read is refused later). */
function asksManager(ctx: EngineContext, item: RequestedItem, requestType: RequestType): boolean {
  try {
    return schemesOf(ctx, item, requestType).some((s) => s.approverType === 'MANAGER')
  } catch {
    return true
  }
}

function sameItem(g: Grant, item: RequestedItem): boolean {
  if (g.kind !== item.type) return false
  if (item.type !== 'ENTITLEMENT') return g.id === item.id
  return (
    g.sourceId === item.sourceId &&
    g.attribute === item.entitlement?.attribute &&
    g.value === item.entitlement?.value
  )
}
