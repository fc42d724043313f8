import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import { ForbiddenError, NotFoundError } from '../../../domain/errors.js'
import type { Identity } from '../../../domain/model.js'
import type { Principal } from '../../../engine/auth/tokens.js'
import { completeTask, forwardTask, ownsTask, rejectTask } from '../../../engine/manual-tasks.js'
import { listActivities } from '../../../engine/queries/list-activities.js'
import { listIdentities } from '../../../engine/queries/list-identities.js'
import {
  getWorkItem,
  listWorkItems,
  type WorkItem,
  type WorkItemFilters,
  type WorkItemRow,
} from '../../../engine/queries/list-work-items.js'
import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import { holdsAny } from '../../http/route-access.js'
import { callerIdentity, principalOf } from '../../http/caller.js'
import { collectionQuery, sendCollection } from '../../http/collection-query.js'
import { workItemV3Json } from '../../presenters/work-item-v3-json.js'

/** Who sees and acts on everyone's work items; others, on their own. */
export const WORK_ITEM_ADMINS = ['SOURCE_ADMIN'] as const

const CLOSED: readonly WorkItem['state'][] = ['Finished', 'Rejected', 'Canceled']

const idParams = z.strictObject({ id: z.string().min(1).max(256) })
const rejectParams = idParams.extend({ approvalItemId: z.string().min(1).max(300) })
const ownerQuery = z.strictObject({ ownerId: z.string().min(1).max(256).optional() })
const listQuery = collectionQuery.pick({ limit: true, offset: true, count: true }).extend(ownerQuery.shape)
/** completeWorkItem's body is a JSON string (a comment) or nothing; `{comment}` is taken too. */
const completeBody = z
  .union([z.string().max(4000), z.null(), z.strictObject({ comment: z.string().max(4000).optional() })])
  .optional()
const rejectBody = z.strictObject({ comment: z.string().min(1).max(4000).optional() }).nullish()
const forwardBody = z.strictObject({
  targetOwnerId: z.string().min(1).max(256),
  comment: z.string().min(1).max(4000),
  sendNotifications: z.boolean().optional(),
})

/** Who the caller is for work items: an administrator of them, or the person they act as. */
interface Caller {
  readonly principal: Principal
  readonly admin: boolean
  readonly identity: Identity | null
}

async function callerOf(ctx: ApiContext, request: FastifyRequest): Promise<Caller> {
  const principal = principalOf(request)
  return {
    principal,
    admin: holdsAny(principal.capabilities, WORK_ITEM_ADMINS),
    identity: await callerIdentity(ctx.engine, principal),
  }
}

/**
 * Whose work items a listing shows: `ownerId`'s (an administrator may name anyone, a person only
 * themselves), else the caller's own, or everyone's for an administrator.
 */
function ownerFilter(caller: Caller, ownerId: string | undefined): WorkItemFilters {
  const me = caller.identity
  if (ownerId !== undefined) {
    if (!caller.admin && (me === null || (ownerId !== me.id && ownerId !== me.name))) {
      throw new ForbiddenError("another owner's work items need one of ORG_ADMIN, SOURCE_ADMIN")
    }
    return { ownerIdentity: ownerId }
  }
  if (caller.admin) return {}
  if (me === null) {
    throw new ForbiddenError('an API client without a user needs one of ORG_ADMIN, SOURCE_ADMIN')
  }
  return { ownerIdentity: me.id }
}

/** A work item the caller may act on: its owner's, or any for an administrator (ForbiddenError otherwise). */
async function itemFor(ctx: ApiContext, caller: Caller, id: string): ReturnType<typeof getWorkItem> {
  const item = await getWorkItem(ctx.engine, id)
  if (!caller.admin && (caller.identity === null || !ownsTask(item.task, caller.identity))) {
    throw new ForbiddenError(
      `work item ${id} is not yours: only its owner or an administrator may see or act on it`,
    )
  }
  return item
}

/** The v3 presenter for work items: owners' ids, and their requests' identities, accounts and statuses. */
async function presenter(
  ctx: ApiContext,
  rows: readonly WorkItemRow[],
  secretsFor?: (t: WorkItemRow) => Readonly<Record<string, string>> | null | undefined,
): Promise<(t: WorkItemRow) => object> {
  const quoted = (xs: Iterable<string>): string => [...xs].map((x) => JSON.stringify(x)).join(', ')
  const owners = new Set(rows.flatMap((t) => (t.owner !== null ? [t.owner] : [])))
  const byOwner = new Map<string, Identity>()
  if (owners.size > 0) {
    const { rows: found } = await listIdentities(ctx.engine, {
      filters: `id in (${quoted(owners)}) or name in (${quoted(owners)})`,
    })
    for (const i of found) byOwner.set(i.id, i).set(i.name, i)
  }
  const ids = [...new Set(rows.flatMap((t) => t.activityIds))]
  const activities = ids.length > 0 ? (await listActivities(ctx.engine, { filters: { ids } })).rows : []
  const names = new Map<string, string>()
  const targetIds = new Set(activities.map((a) => a.identityId))
  if (targetIds.size > 0) {
    const { rows: found } = await listIdentities(ctx.engine, { filters: `id in (${quoted(targetIds)})` })
    for (const i of found) names.set(i.id, i.name)
  }
  const targets = new Map(
    activities.map((a) => [
      a.id,
      {
        identityId: a.identityId,
        identityName: names.get(a.identityId) ?? null,
        nativeIdentity: a.nativeIdentity,
        status: a.status,
      },
    ]),
  )
  return (t) => {
    const secrets = secretsFor?.(t)
    return workItemV3Json(t, {
      ownerId: t.owner === null ? null : (byOwner.get(t.owner)?.id ?? null),
      targets,
      ...(secrets !== undefined ? { secrets } : {}),
    })
  }
}

/** One work item in the v3 shape; its secret values are opened for its owner only. */
async function presentOne(
  ctx: ApiContext,
  caller: Caller,
  item: Awaited<ReturnType<typeof getWorkItem>>,
): Promise<object> {
  const mine = caller.identity !== null && ownsTask(item.task, caller.identity)
  return (await presenter(ctx, [item.task], () => (mine ? item.secrets : undefined)))(item.task)
}

/**
 * `/v3/work-items`: a person's work items (an administrator's: anyone's), pending and completed, their
 * counts, one in full, and completing, rejecting and forwarding it — by its owner or an administrator.
 * Provisio's work items are ManualAction tasks for flat-file sources (docs/execution.md).
 */
export function workItemRoutes(api: Api, ctx: ApiContext): void {
  const list =
    (states: WorkItemFilters) =>
    async (
      request: FastifyRequest<{ Querystring: z.infer<typeof listQuery> }>,
      reply: Parameters<typeof sendCollection>[0],
    ) => {
      const caller = await callerOf(ctx, request)
      const { limit, offset, count, ownerId } = request.query
      const result = await listWorkItems(ctx.engine, {
        limit,
        offset,
        count,
        filters: { ...ownerFilter(caller, ownerId), ...states },
      })
      return sendCollection(reply, result, await presenter(ctx, result.rows))
    }
  api.get('/v3/work-items', { schema: { querystring: listQuery } }, list({}))
  api.get('/v3/work-items/completed', { schema: { querystring: listQuery } }, list({ states: CLOSED }))

  const count =
    (states: WorkItemFilters) => async (request: FastifyRequest<{ Querystring: { ownerId?: string } }>) => {
      const caller = await callerOf(ctx, request)
      const filters = { ...ownerFilter(caller, request.query.ownerId), ...states }
      return { count: (await listWorkItems(ctx.engine, { limit: 0, count: true, filters })).total ?? 0 }
    }
  api.get('/v3/work-items/count', { schema: { querystring: ownerQuery } }, count({}))
  api.get(
    '/v3/work-items/completed/count',
    { schema: { querystring: ownerQuery } },
    count({ states: CLOSED }),
  )

  api.get('/v3/work-items/summary', { schema: { querystring: ownerQuery } }, async (request) => {
    const caller = await callerOf(ctx, request)
    const owner = ownerFilter(caller, request.query.ownerId)
    const total = async (filters: WorkItemFilters): Promise<number> =>
      (await listWorkItems(ctx.engine, { limit: 0, count: true, filters: { ...owner, ...filters } })).total ??
      0
    const [open, completed] = [await total({}), await total({ states: CLOSED })]
    return { open, completed, total: open + completed }
  })

  api.get('/v3/work-items/:id', { schema: { params: idParams } }, async (request) => {
    const caller = await callerOf(ctx, request)
    return presentOne(ctx, caller, await itemFor(ctx, caller, request.params.id))
  })

  api.post('/v3/work-items/:id', { schema: { params: idParams, body: completeBody } }, async (request) => {
    const caller = await callerOf(ctx, request)
    const { task } = await itemFor(ctx, caller, request.params.id)
    const body = request.body
    const comment = typeof body === 'string' ? body : (body?.comment ?? undefined)
    await completeTask(ctx.engine, task.id, comment)
    request.auditDetail = {
      action: 'complete work item',
      targetType: 'WORK_ITEM',
      targetId: task.id,
      targetName: task.description,
      before: { state: task.state },
      after: { state: 'Finished' },
    }
    return presentOne(ctx, caller, await getWorkItem(ctx.engine, task.id))
  })

  const reject = async (
    request: FastifyRequest<{
      Params: { id: string; approvalItemId?: string }
      Body: z.infer<typeof rejectBody>
    }>,
  ): Promise<object> => {
    const caller = await callerOf(ctx, request)
    const { task } = await itemFor(ctx, caller, request.params.id)
    const item = request.params.approvalItemId
    // A ManualAction is one request: rejecting any of its items rejects it whole.
    if (
      item !== undefined &&
      item !== task.id &&
      !task.remediationItems.some((_, n) => item === `${task.id}-${n}`)
    ) {
      throw new NotFoundError(`work item ${task.id} has no item "${item}"`)
    }
    const who = caller.identity?.name ?? `client ${caller.principal.clientId}`
    await rejectTask(ctx.engine, task.id, request.body?.comment ?? `rejected by ${who}`)
    request.auditDetail = {
      action: 'reject work item',
      targetType: 'WORK_ITEM',
      targetId: task.id,
      targetName: task.description,
      before: { state: task.state },
      after: { state: 'Rejected' },
    }
    return presentOne(ctx, caller, await getWorkItem(ctx.engine, task.id))
  }
  api.post(
    '/v3/work-items/:id/reject/:approvalItemId',
    { schema: { params: rejectParams, body: rejectBody } },
    reject,
  )
  api.post('/v3/work-items/bulk-reject/:id', { schema: { params: idParams, body: rejectBody } }, reject)

  api.post(
    '/v3/work-items/:id/forward',
    { schema: { params: idParams, body: forwardBody } },
    async (request, reply) => {
      const caller = await callerOf(ctx, request)
      const { task } = await itemFor(ctx, caller, request.params.id)
      const { owner } = await forwardTask(
        ctx.engine,
        task.id,
        request.body.targetOwnerId,
        request.body.comment,
      )
      request.auditDetail = {
        action: 'forward work item',
        targetType: 'WORK_ITEM',
        targetId: task.id,
        targetName: task.description,
        before: { owner: task.owner },
        after: { owner: owner.name },
      }
      return reply.status(200).send()
    },
  )
}
