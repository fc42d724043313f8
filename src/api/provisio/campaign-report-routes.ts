import { Readable } from 'node:stream'
import { z } from 'zod'
import {
  campaignProgress,
  campaignReport,
  decisionsCsv,
  reviewersCsv,
} from '../../engine/certifications/campaign-report.js'
import type { ApiContext } from '../api-context.js'
import type { Api } from '../build-api.js'
import { actorOf } from '../v3/access-requests/access-request-routes.js'
import { campaignV3Json } from '../presenters/campaign-v3-json.js'

const idParams = z.strictObject({ id: z.string().min(1).max(256) })
const reportQuery = z
  .strictObject({
    format: z.enum(['json', 'csv']).default('json'),
    part: z.enum(['decisions', 'reviewers']).optional(),
  })
  // The JSON report holds both parts; a part asked of it would be ignored, so it is refused instead.
  .refine((q) => q.format === 'csv' || q.part === undefined, {
    message: 'part goes with format=csv (the JSON report holds every part)',
    path: ['part'],
  })

/**
 * `GET /provisio/v1/campaigns/{id}/report`: progress by reviewer, every decision and remediation, as JSON,
 * or one part as CSV (`?format=csv&part=decisions|reviewers`) to download.
 */
export function campaignReportRoutes(api: Api, ctx: ApiContext): void {
  api.get(
    '/provisio/v1/campaigns/:id/report',
    { schema: { params: idParams, querystring: reportQuery } },
    async (request, reply) => {
      const actor = actorOf(request)
      if (request.query.format === 'json') {
        const report = await campaignReport(ctx.engine, actor, request.params.id)
        return {
          ...report,
          campaign: campaignV3Json(report.campaign, {
            totalCertifications: report.reviewers.length,
            completedCertifications: report.reviewers.filter((r) => r.signed !== null).length,
          }),
        }
      }
      const progress = await campaignProgress(ctx.engine, actor, request.params.id)
      const part = request.query.part ?? 'decisions'
      void reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="campaign-${progress.campaign.id}-${part}.csv"`)
      if (part === 'reviewers') return reviewersCsv(progress)
      // Sent as its items are read: a campaign of a million items is never in memory whole.
      return reply.send(Readable.from(decisionsCsv(ctx.engine, progress.campaign)))
    },
  )
}
