import { entitlementAttributesOf, findSource } from '../../domain/config/workspace-config.js'
import { InputError } from '../../domain/errors.js'
import type { AssignedItemType } from '../../domain/plan/assignment.js'
import { configId } from '../../domain/plan/build-planning-model.js'
import { listRequestItems } from '../../store/access-requests.js'
import { listAssignments } from '../../store/assignments.js'
import { listEntitlements } from '../../store/entitlements.js'
import { findIdentity } from '../../store/identities.js'
import type { EngineContext } from '../engine-context.js'
import { planIdentities } from '../plan-identities.js'
import type { QueryResult } from '../queries/query.js'
import { tenantRequestConfig } from './tenant-request-config.js'

export type RequestStatusOfObject = 'AVAILABLE' | 'PENDING' | 'ASSIGNED'

export interface RequestableObject {
  readonly id: string
  readonly name: string
  readonly type: AssignedItemType
  readonly description: string | null
  readonly owner: { readonly id?: string | undefined; readonly name?: string | undefined } | null
  readonly commentsRequired: boolean
  /** For the identity asked about; AVAILABLE without one. */
  readonly requestStatus: RequestStatusOfObject
  /** The pending request's id, when PENDING. */
  readonly identityRequestId: string | null
}

/**
 * What may be requested: the enabled, requestable roles and access profiles of the configuration and,
 * when the tenant allows entitlement requests, the entitlements made requestable (of an attribute their
 * source still lists as one), with each one's state for `identityId` — ASSIGNED when the identity holds it
 * (by any grant), PENDING when a request for it awaits approval, AVAILABLE otherwise. `term` matches names
 * (case-insensitive).
 */
export async function listRequestableObjects(
  ctx: EngineContext,
  query: {
    readonly identityId?: string | undefined
    readonly types?: readonly AssignedItemType[] | undefined
    readonly term?: string | undefined
    readonly statuses?: readonly RequestStatusOfObject[] | undefined
    readonly limit?: number
    readonly offset?: number
    readonly count?: boolean
  },
): Promise<QueryResult<RequestableObject>> {
  const objects: Omit<RequestableObject, 'requestStatus' | 'identityRequestId'>[] = []
  const wanted = (t: AssignedItemType): boolean => query.types === undefined || query.types.includes(t)
  const term = query.term?.toLowerCase()
  for (const [type, list] of [
    ['ACCESS_PROFILE', ctx.config.accessProfiles],
    ['ROLE', ctx.config.roles],
  ] as const) {
    if (!wanted(type)) continue
    for (const { value } of list) {
      if (!value.enabled || !value.requestable) continue
      if (term !== undefined && !value.name.toLowerCase().includes(term)) continue
      objects.push({
        id: configId(value),
        name: value.name,
        type,
        description: value.description ?? null,
        owner: value.owner ?? null,
        commentsRequired: value.accessRequestConfig?.commentsRequired === true,
      })
    }
  }
  // An entitlement is held as a grant of its source, attribute and value: its key in `held` is those.
  const entitlementKeys = new Map<string, string>()
  const entitlements = tenantRequestConfig(ctx).entitlementRequestConfig
  if (wanted('ENTITLEMENT') && entitlements.allowEntitlementRequest) {
    for (const e of await listEntitlements(ctx.db, { requestable: true })) {
      const source = findSource(ctx.config, e.sourceName)
      if (!source || !entitlementAttributesOf(source).includes(e.attribute)) continue
      const name = e.displayName ?? e.value
      if (term !== undefined && !name.toLowerCase().includes(term)) continue
      entitlementKeys.set(e.id, `ENTITLEMENT:${e.sourceId}:${e.attribute}:${e.value}`)
      objects.push({
        id: e.id,
        name,
        type: 'ENTITLEMENT',
        description: `${e.attribute} ${e.value} on ${e.sourceName}`,
        owner: e.ownerId !== null ? { id: e.ownerId, name: e.ownerName ?? undefined } : null,
        commentsRequired: entitlements.requestCommentsRequired,
      })
    }
  }
  let status = (_: (typeof objects)[number]): [RequestStatusOfObject, string | null] => ['AVAILABLE', null]
  if (query.identityId !== undefined) {
    const identity = await findIdentity(ctx.db, query.identityId)
    if (!identity) throw new InputError(`identity-id: no identity "${query.identityId}"`)
    const grants =
      (await planIdentities(ctx, { identity: identity.id })).identities.get(identity.id)?.desired.grants ?? []
    const held = new Set(
      grants.map((g) =>
        g.kind === 'ENTITLEMENT'
          ? `ENTITLEMENT:${g.sourceId}:${g.attribute}:${g.value}`
          : `${g.kind}:${g.id}`,
      ),
    )
    for (const a of await listAssignments(ctx.db, identity.id)) {
      held.add(entitlementKeys.get(a.itemId) ?? `${a.itemType}:${a.itemId}`)
    }
    const pending = new Map(
      (await listRequestItems(ctx.db, { identityIds: [identity.id], phases: ['APPROVAL'] })).map((i) => [
        `${i.itemType}:${i.itemId}`,
        i.requestId,
      ]),
    )
    status = (o) => {
      const key = `${o.type}:${o.id}`
      if (held.has(entitlementKeys.get(o.id) ?? key)) return ['ASSIGNED', null]
      const p = pending.get(key)
      return p !== undefined ? ['PENDING', p] : ['AVAILABLE', null]
    }
  }
  const all = objects
    .map((o) => {
      const [requestStatus, identityRequestId] = status(o)
      return { ...o, requestStatus, identityRequestId }
    })
    .filter((o) => query.statuses === undefined || query.statuses.includes(o.requestStatus))
    .sort((a, b) => a.name.localeCompare(b.name))
  const offset = query.offset ?? 0
  const rows = all.slice(offset, query.limit !== undefined ? offset + query.limit : undefined)
  return query.count ? { rows, total: all.length } : { rows }
}
