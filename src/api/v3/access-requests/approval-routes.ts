import { z } from 'zod'
import { approveApproval, forwardApproval, rejectApproval } from '../../../engine/requests/decide-approval.js'
import { approvalSummary, listOwnApprovals } from '../../../engine/requests/list-approvals.js'
import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import { collectionQuery, sendCollection } from '../../http/collection-query.js'
import { approvalV3Json } from '../../presenters/access-request-v3-json.js'
import { actorOf } from './access-request-routes.js'

const idParams = z.strictObject({ approvalId: z.string().min(1).max(256) })
const listQuery = collectionQuery.pick({ limit: true, offset: true, count: true }).extend({
  'owner-id': z.string().min(1).max(256).optional(),
})
const commentBody = z
  .strictObject({ comment: z.string().max(2000).nullish(), created: z.string().optional() })
  .nullish()
const rejectBody = z.strictObject({ comment: z.string().max(2000).nullish(), created: z.string().optional() })
const forwardBody = z.strictObject({
  newOwnerId: z.string().min(1).max(255),
  comment: z.string().min(1).max(255),
})

/** `/v3/access-request-approvals`: the caller's pending and completed approvals, and deciding them. */
export function approvalRoutes(api: Api, ctx: ApiContext): void {
  for (const completed of [false, true]) {
    api.get(
      `/v3/access-request-approvals/${completed ? 'completed' : 'pending'}`,
      { schema: { querystring: listQuery } },
      async (request, reply) => {
        const q = request.query
        const result = await listOwnApprovals(ctx.engine, actorOf(request), {
          completed,
          ...(q['owner-id'] !== undefined ? { ownerId: q['owner-id'] } : {}),
          limit: q.limit,
          offset: q.offset,
          count: q.count,
        })
        return sendCollection(reply, result, (r) => approvalV3Json(r.status, r.approval))
      },
    )
  }

  api.get(
    '/v3/access-request-approvals/approval-summary',
    {
      schema: {
        querystring: z.strictObject({
          'owner-id': z.string().min(1).max(256).optional(),
          'from-date': z.string().optional(),
        }),
      },
    },
    async (request) => approvalSummary(ctx.engine, actorOf(request), request.query['owner-id']),
  )

  api.post(
    '/v3/access-request-approvals/:approvalId/approve',
    { schema: { params: idParams, body: commentBody } },
    async (request, reply) => {
      const { approvalId } = request.params
      const decided = await approveApproval(
        ctx.engine,
        actorOf(request),
        approvalId,
        request.body?.comment ?? null,
      )
      request.auditDetail = {
        action: 'APPROVAL_APPROVED',
        targetType: 'APPROVAL',
        targetId: approvalId,
        after: { request: decided.item.requestId },
      }
      void reply.code(202)
      return {}
    },
  )

  api.post(
    '/v3/access-request-approvals/:approvalId/reject',
    { schema: { params: idParams, body: rejectBody } },
    async (request, reply) => {
      const { approvalId } = request.params
      const decided = await rejectApproval(
        ctx.engine,
        actorOf(request),
        approvalId,
        request.body.comment ?? null,
      )
      request.auditDetail = {
        action: 'APPROVAL_REJECTED',
        targetType: 'APPROVAL',
        targetId: approvalId,
        after: { request: decided.item.requestId },
      }
      void reply.code(202)
      return {}
    },
  )

  api.post(
    '/v3/access-request-approvals/:approvalId/forward',
    { schema: { params: idParams, body: forwardBody } },
    async (request, reply) => {
      const { approvalId } = request.params
      const { newOwnerId, comment } = request.body
      await forwardApproval(ctx.engine, actorOf(request), approvalId, newOwnerId, comment)
      request.auditDetail = {
        action: 'APPROVAL_FORWARDED',
        targetType: 'APPROVAL',
        targetId: approvalId,
        after: { newOwnerId },
      }
      void reply.code(202)
      return {}
    },
  )
}
