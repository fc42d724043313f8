import type { Identity } from '../../domain/model.js'
import type { AssignedItemType } from '../../domain/plan/assignment.js'
import type { PlanItem } from '../../domain/plan/plan-item.js'
import { listRequestItems } from '../../store/access-requests.js'
import { deleteAssignment, listAssignments, saveAssignment } from '../../store/assignments.js'
import type { EngineContext } from '../engine-context.js'
import { planIdentities } from '../plan-identities.js'
import type { RequestActor } from './access-request-actor.js'
import { resolveChain } from './approval-schemes.js'
import { prepareRequest, type AccessRequestInput } from './submit-access-request.js'

/** What a request would do for one identity and item, before it is made. */
export interface PreviewedItem {
  readonly identity: { readonly id: string; readonly name: string }
  readonly item: { readonly type: AssignedItemType; readonly id: string; readonly name: string }
  /** NEW: it would be asked for; HELD: the identity has it (ignored); PENDING: a request for it awaits approval. */
  readonly outcome: 'NEW' | 'HELD' | 'PENDING'
  /** Who would be asked to approve, in order (empty: no approval needed). */
  readonly approvers: readonly {
    readonly scheme: string
    readonly label: string
    readonly owners: readonly string[]
  }[]
  /** The changes approval would cause: accounts created (with their generated attributes), entitlements added or removed. */
  readonly changes: readonly PlanItem[]
}

class Rollback extends Error {}

/**
 * Answers, for a request not yet made, who approves it in which order, which accounts it would create
 * with which attributes, which entitlements it would add or remove on which sources, and what is held
 * already. The changes come from the planner itself: the request's assignments are written inside a
 * transaction, the identity planned, and the transaction rolled back — nothing is kept.
 */
export async function previewAccessRequest(
  ctx: EngineContext,
  actor: RequestActor,
  input: AccessRequestInput,
): Promise<PreviewedItem[]> {
  const { identities, items } = await prepareRequest(ctx, actor, input)
  const revoke = input.requestType === 'REVOKE_ACCESS'
  const out: (Omit<PreviewedItem, 'changes'> & { changes: PlanItem[] })[] = []
  for (const identity of identities) {
    const before = await planIdentities(ctx, { identity: identity.id })
    const grants = before.identities.get(identity.id)?.desired.grants ?? []
    const pending = await listRequestItems(ctx.db, { identityIds: [identity.id], phases: ['APPROVAL'] })
    const fresh: (typeof items)[number][] = []
    for (const item of items) {
      const held = grants.some(
        (g) =>
          g.kind === item.type &&
          (item.type !== 'ENTITLEMENT'
            ? g.id === item.id
            : g.sourceId === item.sourceId &&
              g.attribute === item.entitlement?.attribute &&
              g.value === item.entitlement?.value),
      )
      const waiting = pending.some((p) => p.itemType === item.type && p.itemId === item.id)
      const outcome = waiting ? 'PENDING' : held && !revoke ? 'HELD' : 'NEW'
      if (outcome === 'NEW') fresh.push(item)
      const chain = outcome === 'NEW' ? await resolveChain(ctx, item, input.requestType, identity) : []
      out.push({
        identity: { id: identity.id, name: identity.name },
        item: { type: item.type, id: item.id, name: item.name },
        outcome,
        approvers: chain.map((c) => ({ scheme: c.approverType, label: c.label, owners: c.owners })),
        changes: [],
      })
    }
    const changes = fresh.length > 0 ? await changesOf(ctx, identity, fresh, revoke, before.items) : []
    for (const p of out) {
      if (p.identity.id !== identity.id || p.outcome !== 'NEW') continue
      p.changes = changes.filter(
        (c) =>
          c.reasons.some((r) => r.kind === 'ASSIGNMENT' && r.name === p.item.name) ||
          (revoke && c.attributeOperation === 'Remove'),
      )
    }
  }
  return out
}

/** The identity's plan with the request approved, less its plan now: what approval would change. */
async function changesOf(
  ctx: EngineContext,
  identity: Identity,
  items: readonly { type: AssignedItemType; id: string; name: string }[],
  revoke: boolean,
  now: readonly PlanItem[],
): Promise<PlanItem[]> {
  let planned: PlanItem[] = []
  try {
    await ctx.db.transaction(async (tx) => {
      if (revoke) {
        for (const a of await listAssignments(tx, identity.id)) {
          if (items.some((i) => i.type === a.itemType && i.id === a.itemId)) await deleteAssignment(tx, a.id)
        }
      } else {
        for (const item of items) {
          await saveAssignment(tx, {
            identityId: identity.id,
            itemType: item.type,
            itemId: item.id,
            itemName: item.name,
            origin: 'ACCESS_REQUEST',
            startDate: null,
            removeDate: null,
            createdBy: null,
          })
        }
      }
      planned = (await planIdentities({ ...ctx, db: tx }, { identity: identity.id })).items
      throw new Rollback()
    })
  } catch (err) {
    if (!(err instanceof Rollback)) throw err
  }
  const key = (i: PlanItem): string =>
    JSON.stringify([i.sourceId, i.nativeIdentity, i.operation, i.attribute, i.attributeOperation, i.value])
  const existing = new Set(now.map(key))
  return planned.filter((i) => !existing.has(key(i)))
}
