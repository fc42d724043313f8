import {
  entitlementAttributeOf,
  entitlementAttributesOf,
  findAccessProfile,
  findRole,
  findSource,
} from '../domain/config/workspace-config.js'
import { InputError, NotFoundError } from '../domain/errors.js'
import type { Identity } from '../domain/model.js'
import {
  datedStatus,
  describeAssignedItem,
  type AssignedItemType,
  type Assignment,
  type AssignmentStatus,
} from '../domain/plan/assignment.js'
import { configId } from '../domain/plan/build-planning-model.js'
import type { DesiredAccess } from '../domain/plan/desired-access.js'
import { deleteAssignment, findAssignmentOf, listAssignments, saveAssignment } from '../store/assignments.js'
import { findEntitlement } from '../store/entitlements.js'
import { findIdentity } from '../store/identities.js'
import { enqueueIdentities } from '../store/queues.js'
import { listSourceRows } from '../store/sources.js'
import type { EngineContext } from './engine-context.js'

/** An item to assign, as a person names it: a role or access profile by name or id, an entitlement by its parts. */
export type ItemRef =
  | { readonly type: 'ROLE' | 'ACCESS_PROFILE'; readonly name: string }
  | {
      readonly type: 'ENTITLEMENT'
      readonly source: string
      /** Absent: the source's only entitlement attribute. */
      readonly attribute?: string
      readonly value: string
    }

export interface AssignInput {
  /** Id or name. */
  readonly identity: string
  readonly item: ItemRef
  /** ISO 8601 date or time; absent: from now. */
  readonly start?: string
  /** ISO 8601 date or time; absent: until removed. */
  readonly end?: string
  /** Who assigns (recorded with the assignment). */
  readonly actor: string | null
}

/**
 * An administrator's assignment: the identity is given the item (origin ADMIN) between the dates. Assigning
 * an item the identity was already given by hand changes that assignment's dates. The identity is queued,
 * so the next refresh plans it; `apply` plans everyone anyway.
 */
export async function assign(
  ctx: EngineContext,
  input: AssignInput,
): Promise<{ readonly assignment: Assignment; readonly replaced: boolean }> {
  const identity = await identityOf(ctx, input.identity)
  const item = await resolveItem(ctx, input.item)
  const startDate = input.start !== undefined ? parseAssignmentDate(input.start, 'start') : null
  const removeDate = input.end !== undefined ? parseAssignmentDate(input.end, 'end') : null
  if (startDate !== null && removeDate !== null && Date.parse(removeDate) <= Date.parse(startDate)) {
    throw new InputError(`the end date (${removeDate}) must come after the start date (${startDate})`)
  }
  if (removeDate !== null && Date.parse(removeDate) <= ctx.now().getTime()) {
    throw new InputError(`the end date (${removeDate}) has passed: the assignment would grant nothing`)
  }
  const before = await findAssignmentOf(ctx.db, identity.id, item, 'ADMIN')
  const assignment = await ctx.db.transaction(async (tx) => {
    const saved = await saveAssignment(tx, {
      identityId: identity.id,
      itemType: item.type,
      itemId: item.id,
      itemName: item.name,
      origin: 'ADMIN',
      startDate,
      removeDate,
      createdBy: input.actor,
    })
    await enqueueIdentities(tx, [identity.id], ['plan'])
    return saved
  })
  return { assignment, replaced: before !== undefined }
}

/**
 * Removes an administrator's assignment. What it granted is revoked by the next plan unless something
 * else (a role, the lifecycle state, another assignment) still grants it.
 */
export async function unassign(
  ctx: EngineContext,
  input: { readonly identity: string; readonly item: ItemRef },
): Promise<Assignment> {
  const identity = await identityOf(ctx, input.identity)
  const found = await findManual(ctx, identity, input.item)
  await ctx.db.transaction(async (tx) => {
    await deleteAssignment(tx, found.id)
    await enqueueIdentities(tx, [identity.id], ['plan'])
  })
  return found
}

/** One of an identity's assignments as explain shows it: what, from where, when, and what it does now. */
export interface ExplainedAssignment {
  readonly id: string
  readonly origin: Assignment['origin']
  readonly item: { readonly type: AssignedItemType; readonly id: string; readonly name: string }
  readonly startDate: string | null
  readonly removeDate: string | null
  readonly status: AssignmentStatus
  /** Why it grants nothing, when it does not. */
  readonly detail?: string
  readonly requestId: string | null
  readonly campaignId: string | null
  readonly createdBy: string | null
  readonly created: string
}

/**
 * Every assignment of an identity with its status now: as the planner judged it when `desired` (the
 * identity's planned access) is given, else by its dates alone.
 */
export async function explainAssignments(
  ctx: EngineContext,
  identityId: string,
  desired?: DesiredAccess,
): Promise<ExplainedAssignment[]> {
  const judged = new Map((desired?.assignments ?? []).map((j) => [j.assignment.id, j]))
  const now = ctx.now()
  return (await listAssignments(ctx.db, identityId)).map((a) => {
    const j = judged.get(a.id)
    return {
      id: a.id,
      origin: a.origin,
      item: { type: a.itemType, id: a.itemId, name: a.itemName },
      startDate: a.startDate,
      removeDate: a.removeDate,
      status: j?.status ?? datedStatus(a, now),
      ...(j?.detail !== undefined ? { detail: j.detail } : {}),
      requestId: a.requestId,
      campaignId: a.campaignId,
      createdBy: a.createdBy,
      created: a.created,
    }
  })
}

/**
 * `YYYY-MM-DD` (midnight UTC) or an ISO 8601 time with a zone (`2027-01-31T17:00:00Z`, `…+02:00`), as
 * an ISO time in UTC.
 */
export function parseAssignmentDate(text: string, which: 'start' | 'end'): string {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text)
  const time = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(text)
  const ms = day ? Date.parse(`${text}T00:00:00Z`) : time ? Date.parse(text) : NaN
  // Date.parse rolls 2027-02-30 over to March: a day must read back as itself.
  if (Number.isNaN(ms) || (day && new Date(ms).toISOString().slice(0, 10) !== text)) {
    throw new InputError(
      `bad ${which} date "${text}": give YYYY-MM-DD or an ISO 8601 time with a zone, e.g. 2027-01-31T17:00:00Z`,
    )
  }
  return new Date(ms).toISOString()
}

/**
 * `SOURCE:ATTRIBUTE:VALUE`, or `SOURCE:VALUE` on a source with one entitlement attribute. The value is
 * everything after the attribute's colon, so it may hold colons itself.
 */
export function parseEntitlementRef(text: string): Extract<ItemRef, { type: 'ENTITLEMENT' }> {
  const first = text.indexOf(':')
  const second = first < 0 ? -1 : text.indexOf(':', first + 1)
  if (first <= 0 || first === text.length - 1) {
    throw new InputError(`bad entitlement "${text}": give SOURCE:ATTRIBUTE:VALUE (or SOURCE:VALUE)`)
  }
  const source = text.slice(0, first)
  if (second < 0) return { type: 'ENTITLEMENT', source, value: text.slice(first + 1) }
  const attribute = text.slice(first + 1, second)
  const value = text.slice(second + 1)
  if (attribute === '' || value === '') {
    throw new InputError(`bad entitlement "${text}": give SOURCE:ATTRIBUTE:VALUE (or SOURCE:VALUE)`)
  }
  return { type: 'ENTITLEMENT', source, attribute, value }
}

async function identityOf(ctx: EngineContext, idOrName: string): Promise<Identity> {
  const identity = await findIdentity(ctx.db, idOrName)
  if (!identity) throw new NotFoundError(`no identity with id or name "${idOrName}"`)
  return identity
}

/** The item's type, the id the planner knows it by, and its name; an unknown or disabled item is not found. */
export async function resolveItem(
  ctx: EngineContext,
  ref: ItemRef,
): Promise<{ type: AssignedItemType; id: string; name: string }> {
  const { config } = ctx
  if (ref.type === 'ENTITLEMENT') return resolveEntitlement(ctx, ref)
  const found = ref.type === 'ROLE' ? findRole(config, ref.name) : findAccessProfile(config, ref.name)
  const what = describeAssignedItem({ itemType: ref.type, itemName: ref.name })
  if (!found) throw new NotFoundError(`no ${what} in the configuration`)
  if (!found.enabled) throw new NotFoundError(`${what} is disabled: it grants nothing`)
  return { type: ref.type, id: configId(found), name: found.name }
}

async function resolveEntitlement(
  ctx: EngineContext,
  ref: Extract<ItemRef, { type: 'ENTITLEMENT' }>,
): Promise<{ type: AssignedItemType; id: string; name: string }> {
  const { config } = ctx
  const source = findSource(config, ref.source)
  if (!source) throw new NotFoundError(`no source "${ref.source}" in the configuration`)
  const attributes = entitlementAttributesOf(source)
  const attribute = entitlementAttributeOf(
    source,
    ref.attribute !== undefined ? { attribute: ref.attribute } : {},
  )
  if (attribute === undefined) {
    throw new InputError(
      attributes.length === 0
        ? `source "${source.name}" has no entitlement attribute`
        : `source "${source.name}" has several entitlement attributes (${attributes.join(', ')}): ` +
            'give SOURCE:ATTRIBUTE:VALUE',
    )
  }
  if (!attributes.includes(attribute)) {
    throw new NotFoundError(
      `"${attribute}" is not an entitlement attribute of source "${source.name}" (it has: ${attributes.join(', ') || 'none'})`,
    )
  }
  const sourceId = (await listSourceRows(ctx.db)).find((s) => s.name === source.name)?.id
  const stored = sourceId ? await findEntitlement(ctx.db, sourceId, attribute, ref.value) : undefined
  if (!stored) {
    throw new NotFoundError(
      `no entitlement ${attribute}=${ref.value} on source "${source.name}" (aggregate the source first?)`,
    )
  }
  return { type: 'ENTITLEMENT', id: stored.id, name: `${source.name}:${attribute}:${ref.value}` }
}

/** The identity's manual assignment of the item; an item gone from the configuration is matched by name. */
async function findManual(ctx: EngineContext, identity: Identity, ref: ItemRef): Promise<Assignment> {
  let item: { type: AssignedItemType; id: string; name: string } | undefined
  try {
    item = await resolveItem(ctx, ref)
  } catch (err) {
    if (!(err instanceof NotFoundError)) throw err
  }
  const found = item
    ? await findAssignmentOf(ctx.db, identity.id, item, 'ADMIN')
    : (await listAssignments(ctx.db, identity.id)).find(
        (a) =>
          a.origin === 'ADMIN' &&
          a.itemType === ref.type &&
          (ref.type === 'ENTITLEMENT'
            ? ref.attribute !== undefined
              ? a.itemName === `${ref.source}:${ref.attribute}:${ref.value}`
              : a.itemName.startsWith(`${ref.source}:`) && a.itemName.endsWith(`:${ref.value}`)
            : a.itemName === ref.name || a.itemId === ref.name),
      )
  if (!found) {
    const what =
      ref.type === 'ENTITLEMENT'
        ? `entitlement "${ref.source}:${ref.attribute !== undefined ? `${ref.attribute}:` : ''}${ref.value}"`
        : describeAssignedItem({ itemType: ref.type, itemName: ref.name })
    throw new NotFoundError(`${identity.name} has no manual (ADMIN) assignment of ${what}`)
  }
  return found
}
