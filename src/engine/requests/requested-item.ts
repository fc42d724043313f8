import type { AccessProfileConfig, RoleConfig, SourceConfig } from '../../domain/config/config-schemas.js'
import type { ObjectRef } from '../../domain/config/schema-primitives.js'
import {
  entitlementAttributesOf,
  findAccessProfile,
  findRole,
  findSource,
} from '../../domain/config/workspace-config.js'
import { NotFoundError } from '../../domain/errors.js'
import type { AssignedItemType } from '../../domain/plan/assignment.js'
import { configId } from '../../domain/plan/build-planning-model.js'
import { listSourceRows } from '../../store/sources.js'
import type { EngineContext } from '../engine-context.js'
import { entitlementById } from '../update-entitlement.js'

type ApprovalConfig = NonNullable<AccessProfileConfig['accessRequestConfig']>

/** A requestable item as a request sees it: what it is, where it provisions, who owns it, how it is approved. */
export interface RequestedItem {
  readonly type: AssignedItemType
  /** A role's or access profile's configuration id; an entitlement's stored id. */
  readonly id: string
  readonly name: string
  readonly requestable: boolean
  /** The source it provisions on (an access profile's or an entitlement's); null for a role. */
  readonly sourceId: string | null
  readonly source: SourceConfig | null
  readonly owner: ObjectRef | null
  readonly accessRequestConfig: ApprovalConfig | null
  readonly revocationRequestConfig: Pick<ApprovalConfig, 'approvalSchemes' | 'commentsRequired'> | null
  /** For an entitlement: its attribute and value. */
  readonly entitlement?: { readonly attribute: string; readonly value: string }
}

/** The item a request names by its type and id (a role or access profile may also be named by its name). */
export async function requestedItem(
  ctx: EngineContext,
  ref: { readonly type: AssignedItemType; readonly id: string },
): Promise<RequestedItem> {
  if (ref.type === 'ENTITLEMENT') return requestedEntitlement(ctx, ref.id)
  const found: RoleConfig | AccessProfileConfig | undefined =
    ref.type === 'ROLE' ? findRole(ctx.config, ref.id) : findAccessProfile(ctx.config, ref.id)
  const word = ref.type === 'ROLE' ? 'role' : 'access profile'
  if (!found || !found.enabled) throw new NotFoundError(`no enabled ${word} with id "${ref.id}"`)
  const sourceRef = ref.type === 'ACCESS_PROFILE' ? (found as AccessProfileConfig).source : undefined
  const source = sourceRef ? (findSource(ctx.config, sourceRef.id ?? sourceRef.name ?? '') ?? null) : null
  const sourceId = source ? await storedSourceId(ctx, source.name) : null
  return {
    type: ref.type,
    id: configId(found),
    name: found.name,
    requestable: found.requestable,
    sourceId,
    source,
    owner: found.owner ?? null,
    accessRequestConfig: found.accessRequestConfig ?? null,
    revocationRequestConfig: found.revocationRequestConfig ?? null,
  }
}

async function requestedEntitlement(ctx: EngineContext, id: string): Promise<RequestedItem> {
  const stored = await entitlementById(ctx, id)
  const source = findSource(ctx.config, stored.sourceName)
  // An entitlement of a source no longer configured, or of an attribute that is no longer one: not requestable.
  if (!source || !entitlementAttributesOf(source).includes(stored.attribute)) {
    throw new NotFoundError(`no entitlement with id "${id}"`)
  }
  return {
    type: 'ENTITLEMENT',
    id,
    name: `${source.name}:${stored.attribute}:${stored.value}`,
    requestable: stored.requestable,
    sourceId: stored.sourceId,
    source,
    owner: stored.ownerId !== null ? { type: 'IDENTITY', id: stored.ownerId } : null,
    accessRequestConfig: null,
    revocationRequestConfig: null,
    entitlement: { attribute: stored.attribute, value: stored.value },
  }
}

async function storedSourceId(ctx: EngineContext, name: string): Promise<string | null> {
  return (await listSourceRows(ctx.db)).find((s) => s.name === name)?.id ?? null
}
