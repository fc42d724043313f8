import { InputError, NotFoundError } from '../domain/errors.js'
import { textEquals } from '../domain/query/check-filters.js'
import type { Entitlement } from '../domain/model.js'
import { listEntitlements, updateEntitlement as updateStored } from '../store/entitlements.js'
import { findIdentity } from '../store/identities.js'
import type { EngineContext } from './engine-context.js'

/** A change to an entitlement: whether it can be requested, and its owner (an identity's id or name; null: none). */
export interface EntitlementUpdate {
  readonly requestable?: boolean
  readonly owner?: string | null
}

/** A stored entitlement by id; NotFoundError when there is none. */
export async function entitlementById(ctx: Pick<EngineContext, 'db'>, id: string): Promise<Entitlement> {
  const [found] = await listEntitlements(ctx.db, { expression: textEquals('id', id) })
  if (!found) throw new NotFoundError(`no entitlement with id "${id}"`)
  return found
}

/**
 * Makes an entitlement requestable (or not) and sets its owner, who must be an identity. Aggregation keeps
 * both: they are Provisio's, not the source's. Returns the entitlement before and after.
 */
export async function updateEntitlement(
  ctx: Pick<EngineContext, 'db' | 'now'>,
  id: string,
  update: EntitlementUpdate,
): Promise<{ readonly before: Entitlement; readonly after: Entitlement }> {
  const before = await entitlementById(ctx, id)
  let ownerId: string | null | undefined
  if (update.owner === null) ownerId = null
  else if (update.owner !== undefined) {
    const owner = await findIdentity(ctx.db, update.owner)
    if (!owner) throw new InputError(`owner: no identity with id or name "${update.owner}"`)
    ownerId = owner.id
  }
  await updateStored(
    ctx.db,
    id,
    {
      ...(update.requestable !== undefined ? { requestable: update.requestable } : {}),
      ...(ownerId !== undefined ? { ownerId } : {}),
    },
    ctx.now(),
  )
  return { before, after: await entitlementById(ctx, id) }
}
