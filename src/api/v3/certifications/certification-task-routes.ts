import { z } from 'zod'
import { readFilters } from '../../../domain/query/check-filters.js'
import {
  certificationTask,
  MAX_REASSIGNED_CERTIFICATIONS,
  pendingCertificationTasks,
  reassignAsTask,
  reassignCampaignCertifications,
  type CertificationTask,
} from '../../../engine/certifications/certification-tasks.js'
import { pageOf } from '../../../engine/queries/query.js'
import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import { collectionQuery } from '../../http/collection-query.js'
import { actorOf } from '../access-requests/access-request-routes.js'
import { reassignBody, reassignmentOf } from './certification-decision-routes.js'

const idParams = z.strictObject({ id: z.string().min(1).max(256) })
const adminReassignBody = z.strictObject({
  certificationIds: z.array(z.string().min(1).max(256)).min(1).max(MAX_REASSIGNED_CERTIFICATIONS),
  reassignTo: z.strictObject({ id: z.string().min(1).max(256), type: z.literal('IDENTITY') }),
  reason: z.string().min(1).max(2000),
})
const TASK_FILTERS = {
  id: { type: 'string', operators: ['eq', 'in'] },
  targetId: { type: 'string', operators: ['eq', 'in'] },
  type: { type: 'string', operators: ['eq', 'in'] },
} as const

/** The reference's `CertificationTask`. */
function certificationTaskJson(t: CertificationTask): object {
  return {
    id: t.id,
    type: t.type,
    targetType: t.targetType,
    targetId: t.targetId,
    status: t.status,
    errors: t.errors.map((text) => ({ locale: 'en-US', localeOrigin: 'DEFAULT', text })),
    reassignmentTrailDTOs: t.reassignments,
    created: t.created,
  }
}

/**
 * Reassignments answered as certification tasks — an administrator's of a campaign's certifications
 * (`/v3/campaigns/{id}/reassign`), a reviewer's asynchronous form (`/v3/certifications/{id}/reassign-async`)
 * — and the tasks read back. Provisio reassigns before answering: a task is SUCCESS, or ERROR listing the
 * certifications that could not move.
 */
export function certificationTaskRoutes(api: Api, ctx: ApiContext): void {
  api.post(
    '/v3/campaigns/:id/reassign',
    { schema: { params: idParams, body: adminReassignBody } },
    async (request, reply) => {
      const { certificationIds, reassignTo, reason } = request.body
      const task = await reassignCampaignCertifications(ctx.engine, actorOf(request), request.params.id, {
        certificationIds,
        to: reassignTo.id,
        reason,
      })
      request.auditDetail = {
        action: 'CAMPAIGN_CERTIFICATIONS_REASSIGNED',
        targetType: 'CAMPAIGN',
        targetId: request.params.id,
        targetName: request.params.id,
        after: { task: task.id, to: reassignTo.id, moved: task.reassignments.length, errors: task.errors },
      }
      return reply.status(202).send(certificationTaskJson(task))
    },
  )

  api.post(
    '/v3/certifications/:id/reassign-async',
    { schema: { params: idParams, body: reassignBody } },
    async (request) => {
      const actor = actorOf(request)
      const reassignment = await reassignmentOf(ctx, actor, request.params.id, request.body)
      const task = await reassignAsTask(ctx.engine, actor, request.params.id, reassignment)
      request.auditDetail = {
        action: 'CERTIFICATION_REASSIGNED',
        targetType: 'CERTIFICATION',
        targetId: request.params.id,
        targetName: request.params.id,
        after: { task: task.id, reassignments: task.reassignments, reason: reassignment.reason },
      }
      return certificationTaskJson(task)
    },
  )

  api.get('/v3/certification-tasks/:id', { schema: { params: idParams } }, async (request) =>
    certificationTaskJson(await certificationTask(ctx.engine, actorOf(request), request.params.id)),
  )

  api.get(
    '/v3/certification-tasks',
    {
      schema: {
        querystring: collectionQuery
          .omit({ sorters: true })
          .extend({ 'reviewer-identity': z.string().min(1).max(256).optional() }),
      },
    },
    async (request, reply) => {
      const q = request.query
      const filters = q.filters !== undefined && q.filters.trim() !== '' ? q.filters : undefined
      const { rows, total } = await pendingCertificationTasks(
        ctx.engine,
        actorOf(request),
        q['reviewer-identity'],
        filters !== undefined ? readFilters(filters, TASK_FILTERS) : undefined,
        pageOf({ limit: q.limit, offset: q.offset }, []),
      )
      if (q.count) void reply.header('x-total-count', String(total))
      return rows.map(certificationTaskJson)
    },
  )
}
