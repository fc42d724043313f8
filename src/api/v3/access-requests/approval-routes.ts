import { z } from 'zod'
import type { RequestActor } from '../../../engine/requests/access-request-actor.js'
import {
  approveApproval,
  approveApprovals,
  forwardApproval,
  MAX_BULK_APPROVALS,
  rejectApproval,
} from '../../../engine/requests/decide-approval.js'
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
const bulkApproveBody = z.strictObject({
  approvalIds: z
    .array(z.string().min(1).max(256))
    .min(1, 'name at least one approval')
    .max(MAX_BULK_APPROVALS, `at most ${MAX_BULK_APPROVALS} approvals at once`),
  comment: z.string().max(2000),
})
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

  // Approve, reject and forward: one approval each, 202 with an empty body, audited with what it decided.
  const decision = <B extends z.ZodType>(
    verb: 'approve' | 'reject' | 'forward',
    body: B,
    action: string,
    decide: (actor: RequestActor, approvalId: string, body: z.infer<B>) => Promise<Record<string, unknown>>,
  ): void => {
    api.post(
      `/v3/access-request-approvals/:approvalId/${verb}`,
      { schema: { params: idParams, body } },
      async (request, reply) => {
        const { approvalId } = request.params
        const after = await decide(actorOf(request), approvalId, request.body as z.infer<B>)
        request.auditDetail = { action, targetType: 'APPROVAL', targetId: approvalId, after }
        void reply.code(202)
        return {}
      },
    )
  }
  decision('approve', commentBody, 'APPROVAL_APPROVED', async (actor, id, body) => {
    const decided = await approveApproval(ctx.engine, actor, id, body?.comment ?? null)
    return { request: decided.item.requestId }
  })
  decision('reject', rejectBody, 'APPROVAL_REJECTED', async (actor, id, body) => {
    const decided = await rejectApproval(ctx.engine, actor, id, body.comment ?? null)
    return { request: decided.item.requestId }
  })
  decision('forward', forwardBody, 'APPROVAL_FORWARDED', async (actor, id, body) => {
    await forwardApproval(ctx.engine, actor, id, body.newOwnerId, body.comment)
    return { newOwnerId: body.newOwnerId }
  })

  // The reference's bulk approve (v2024 and v2025; the official client calls v2024): all the approvals
  // named, or none, each the caller's to decide.
  for (const version of ['v2024', 'v2025']) {
    api.post(
      `/${version}/access-request-approvals/bulk-approve`,
      { schema: { body: bulkApproveBody } },
      async (request, reply) => {
        const { approvalIds, comment } = request.body
        await approveApprovals(ctx.engine, actorOf(request), approvalIds, comment)
        request.auditDetail = { action: 'APPROVAL_APPROVED', targetType: 'APPROVAL', after: { approvalIds } }
        void reply.code(202)
        return {}
      },
    )
  }
}
