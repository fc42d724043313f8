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
import { loadEntitlementsById } from '../../store/entitlements.js'
import { listSourceRows } from '../../store/sources.js'
import type { EngineContext } from '../engine-context.js'

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
  const stored = (await loadEntitlementsById(ctx.db, [id])).get(id)
  const sources = await listSourceRows(ctx.db)
  const sourceName = stored && sources.find((s) => s.id === stored.sourceId)?.name
  const source = sourceName !== undefined ? findSource(ctx.config, sourceName) : undefined
  if (!stored || !source || !entitlementAttributesOf(source).includes(stored.attribute)) {
    throw new NotFoundError(`no entitlement with id "${id}"`)
  }
  const meta = await entitlementRequestability(ctx, id)
  return {
    type: 'ENTITLEMENT',
    id,
    name: `${source.name}:${stored.attribute}:${stored.value}`,
    requestable: meta.requestable,
    sourceId: stored.sourceId,
    source,
    owner: meta.owner,
    accessRequestConfig: null,
    revocationRequestConfig: null,
    entitlement: { attribute: stored.attribute, value: stored.value },
  }
}

/**
 * Whether an aggregated entitlement may be requested, and its owner. Entitlements carry neither until
 * they are set on it (`PATCH /beta/entitlements/{id}`); until then the tenant's entitlement request
 * settings decide alone.
 */
async function entitlementRequestability(
  ctx: EngineContext,
  id: string,
): Promise<{ requestable: boolean; owner: ObjectRef | null }> {
  const rows = await ctx.db.query<{ requestable?: boolean | null; owner_id?: string | null }>(
    'SELECT * FROM entitlements WHERE id = $1',
    [id],
  )
  const row = rows[0]
  return {
    requestable: row?.requestable === true,
    owner: typeof row?.owner_id === 'string' ? { type: 'IDENTITY', id: row.owner_id } : null,
  }
}

async function storedSourceId(ctx: EngineContext, name: string): Promise<string | null> {
  return (await listSourceRows(ctx.db)).find((s) => s.name === name)?.id ?? null
}
