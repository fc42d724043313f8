import { z } from 'zod'
import { activateCampaign } from '../../../engine/certifications/activate-campaign.js'
import { scanCampaignRemediation } from '../../../engine/certifications/scan-remediation.js'
import { completeCampaign } from '../../../engine/certifications/complete-campaign.js'
import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import { actorOf } from '../access-requests/access-request-routes.js'

const idParams = z.strictObject({ id: z.string().min(1).max(256) })
// The reference's time zone says how a deadline without one is read; Provisio's deadlines carry their
// offset, so it is accepted for compatibility and has nothing to change.
const activateBody = z.strictObject({ timeZone: z.string().max(64).optional() }).optional()
const completeBody = z
  .strictObject({ autoCompleteAction: z.enum(['APPROVE', 'REVOKE']).optional() })
  .optional()

/** `/v3/campaigns/{id}/activate` and `/complete`: 202 with an empty object, as the reference answers. */
export function campaignLifecycleRoutes(api: Api, ctx: ApiContext): void {
  api.post(
    '/v3/campaigns/:id/activate',
    { schema: { params: idParams, body: activateBody } },
    async (request, reply) => {
      const campaign = await activateCampaign(ctx.engine, actorOf(request), request.params.id)
      request.auditDetail = {
        action: 'CAMPAIGN_ACTIVATED',
        targetType: 'CAMPAIGN',
        targetId: campaign.id,
        targetName: campaign.name,
      }
      void reply.code(202)
      return {}
    },
  )

  api.post(
    '/v3/campaigns/:id/complete',
    { schema: { params: idParams, body: completeBody } },
    async (request, reply) => {
      const decision = request.body?.autoCompleteAction ?? 'APPROVE'
      const done = await completeCampaign(ctx.engine, actorOf(request), request.params.id, decision)
      request.auditDetail = {
        action: 'CAMPAIGN_COMPLETED',
        targetType: 'CAMPAIGN',
        targetId: done.campaign.id,
        targetName: done.campaign.name,
        after: { decision, decided: done.decided, signed: done.signed, remediation: done.remediation },
      }
      void reply.code(202)
      return {}
    },
  )

  api.post(
    '/v3/campaigns/:id/run-remediation-scan',
    { schema: { params: idParams } },
    async (request, reply) => {
      const scan = await scanCampaignRemediation(ctx.engine, actorOf(request), request.params.id)
      request.auditDetail = {
        action: 'CAMPAIGN_REMEDIATION_SCANNED',
        targetType: 'CAMPAIGN',
        targetId: request.params.id,
        targetName: request.params.id,
        after: { ...scan },
      }
      void reply.code(202)
      // Provisio's own: what the scan found (the reference answers an empty object).
      return scan
    },
  )
}
