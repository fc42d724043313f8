import type { FastifyRequest } from 'fastify'
import { z } from 'zod'
import type { Capability } from '../../../domain/auth/capabilities.js'
import { ForbiddenError } from '../../../domain/errors.js'
import { readFilters } from '../../../domain/query/check-filters.js'
import type { RequestActor } from '../../../engine/requests/access-request-actor.js'
import { isOrgAdmin } from '../../../engine/requests/access-request-actor.js'
import { cancelAccessRequest } from '../../../engine/requests/decide-approval.js'
import { closeAccessRequests } from '../../../engine/requests/close-access-requests.js'
import { previewAccessRequest } from '../../../engine/requests/preview-access-request.js'
import { listRequestStatuses } from '../../../engine/requests/request-status.js'
import { submitAccessRequest } from '../../../engine/requests/submit-access-request.js'
import { findIdentityOrNone } from '../../../engine/queries/get-identity.js'
import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import { principalOf } from '../../http/caller.js'
import { collectionQuery, sendCollection } from '../../http/collection-query.js'
import { requestStatusV3Json } from '../../presenters/access-request-v3-json.js'
import { planItemJson } from '../../presenters/plan-json.js'

/** The acting person (or API client) of a request, for the engine's rules. */
export function actorOf(request: FastifyRequest): RequestActor {
  const p = principalOf(request)
  return { identityId: p.identityId, clientId: p.clientId, capabilities: p.capabilities as Capability[] }
}

const date = z.string().max(64)
const itemSchema = z.strictObject({
  type: z.enum(['ACCESS_PROFILE', 'ROLE', 'ENTITLEMENT']),
  id: z.string().min(1).max(256),
  comment: z.string().max(2000).optional(),
  clientMetadata: z.record(z.string().max(256), z.string().max(2000)).optional(),
  startDate: date.optional(),
  removeDate: date.optional(),
  assignmentId: z.string().max(256).optional(),
  nativeIdentity: z.string().max(1024).optional(),
})
const accessRequestBody = z.strictObject({
  requestedFor: z.array(z.string().min(1).max(256)).min(1).max(500),
  requestType: z.enum(['GRANT_ACCESS', 'REVOKE_ACCESS']).default('GRANT_ACCESS'),
  requestedItems: z.array(itemSchema).min(1).max(100),
  clientMetadata: z.record(z.string().max(256), z.string().max(2000)).optional(),
})
const cancelBody = z.strictObject({
  accountActivityId: z.string().min(1).max(256),
  comment: z.string().min(1).max(2000),
})
const closeBody = z.strictObject({
  accessRequestIds: z.array(z.string().min(1).max(256)).min(1).max(500),
  message: z.string().max(2000).optional(),
  executionStatus: z.enum(['Terminated', 'Completed']).default('Terminated'),
  completionStatus: z.enum(['Success', 'Incomplete', 'Failure']).default('Failure'),
})
const statusQuery = collectionQuery.extend({
  'requested-for': z.string().max(256).optional(),
  'requested-by': z.string().max(256).optional(),
  'regarding-identity': z.string().max(256).optional(),
  'assigned-to': z.string().max(256).optional(),
  'request-state': z.enum(['EXECUTING']).optional(),
})

/** `/v3/access-requests` (make, cancel), `/v2025/access-requests/close`, `/v3/access-request-status`. */
export function accessRequestRoutes(api: Api, ctx: ApiContext): void {
  api.post('/v3/access-requests', { schema: { body: accessRequestBody } }, async (request, reply) => {
    const body = request.body
    const made = await submitAccessRequest(ctx.engine, actorOf(request), {
      requestedFor: body.requestedFor,
      requestType: body.requestType,
      requestedItems: body.requestedItems,
      clientMetadata: body.clientMetadata,
    })
    request.auditDetail = {
      action: 'ACCESS_REQUESTED',
      targetType: 'ACCESS_REQUEST',
      targetId: made.requestId,
      after: {
        items: made.items.map((i) => ({ identityId: i.identityId, item: i.itemName, phase: i.phase })),
      },
    }
    const byIdentity = new Map<string, typeof made.items>()
    for (const i of made.items) byIdentity.set(i.identityId, [...(byIdentity.get(i.identityId) ?? []), i])
    const ignored = new Map<string, typeof made.ignored>()
    for (const i of made.ignored) ignored.set(i.identityId, [...(ignored.get(i.identityId) ?? []), i])
    void reply.code(202)
    return {
      newRequests: [...byIdentity].map(([identityId, items]) => ({
        requestedFor: identityId,
        requestedItemsDetails: items.map((i) => ({ type: i.itemType, id: i.itemId })),
        attributesHash: 0,
        accessRequestIds: [made.requestId],
      })),
      existingRequests: [...ignored].map(([identityId, items]) => ({
        requestedFor: identityId,
        requestedItemsDetails: items.map((i) => ({ type: i.itemType, id: i.itemId })),
        attributesHash: 0,
        accessRequestIds: [],
      })),
    }
  })

  // Provisio's own: what the request would do, before it is made (nothing is written).
  api.post(
    '/provisio/v1/access-requests/preview',
    { schema: { body: accessRequestBody } },
    async (request) => {
      const body = request.body
      const previewed = await previewAccessRequest(ctx.engine, actorOf(request), {
        requestedFor: body.requestedFor,
        requestType: body.requestType,
        requestedItems: body.requestedItems,
        clientMetadata: body.clientMetadata,
      })
      return previewed.map((p) => ({ ...p, changes: p.changes.map(planItemJson) }))
    },
  )

  api.post('/v3/access-requests/cancel', { schema: { body: cancelBody } }, async (request, reply) => {
    await cancelAccessRequest(
      ctx.engine,
      actorOf(request),
      request.body.accountActivityId,
      request.body.comment,
    )
    request.auditDetail = {
      action: 'ACCESS_REQUEST_CANCELLED',
      targetType: 'ACCESS_REQUEST',
      targetId: request.body.accountActivityId,
    }
    void reply.code(202)
    return {}
  })

  api.post('/v2025/access-requests/close', { schema: { body: closeBody } }, async (request, reply) => {
    const actor = actorOf(request)
    const closed = await closeAccessRequests(ctx.engine, actor, request.body)
    request.auditDetail = { action: 'ACCESS_REQUEST_CLOSED', targetType: 'ACCESS_REQUEST', after: { closed } }
    void reply.code(202)
    return {}
  })

  api.get('/v3/access-request-status', { schema: { querystring: statusQuery } }, async (request, reply) => {
    const q = request.query
    const actor = actorOf(request)
    const resolve = async (idOrName: string | undefined): Promise<string | undefined> =>
      idOrName === undefined ? undefined : ((await findIdentityOrNone(ctx.engine, idOrName))?.id ?? idOrName)
    const requestedFor = await resolve(q['requested-for'])
    const requestedBy = await resolve(q['requested-by'])
    const regarding = await resolve(q['regarding-identity'])
    // A person sees the requests they made or that are for them; an ORG_ADMIN (or HELPDESK) everyone's.
    const all = isOrgAdmin(actor) || actor.capabilities.includes('HELPDESK')
    if (!all && actor.identityId === null) {
      throw new ForbiddenError('an API client needs ORG_ADMIN or HELPDESK here')
    }
    const mine = all ? undefined : (actor.identityId as string)
    const result = await listRequestStatuses(ctx.engine, {
      limit: q.limit,
      offset: q.offset,
      count: q.count,
      ...(q.sorters !== undefined ? { sorters: q.sorters } : {}),
      filters: {
        ...(requestedFor !== undefined ? { identityIds: [requestedFor] } : {}),
        ...(requestedBy !== undefined ? { requesterIds: [requestedBy] } : {}),
        ...(regarding !== undefined ? { regarding: [regarding] } : {}),
        // In the query, not after it: a page and its X-Total-Count hold only what the person may see.
        ...(mine !== undefined ? { visibleTo: mine } : {}),
        ...(q['request-state'] === 'EXECUTING' ? { phases: ['APPROVAL', 'APPROVED'] } : {}),
        ...(q.filters !== undefined && q.filters.trim() !== ''
          ? {
              expression: readFilters(q.filters, {
                accessRequestId: { type: 'string', operators: ['eq', 'in'] },
                id: { type: 'string', operators: ['eq', 'in'] },
                type: { type: 'string', operators: ['eq', 'in'] },
                created: { type: 'date', operators: ['gt', 'lt', 'ge', 'le'] },
                modified: { type: 'date', operators: ['gt', 'lt', 'ge', 'le'] },
              }),
            }
          : {}),
      },
    })
    return sendCollection(reply, result, requestStatusV3Json)
  })
}
