import { z } from 'zod'
import { campaignSpecSchema, type Campaign } from '../../../domain/certifications/campaign.js'
import { readFilters } from '../../../domain/query/check-filters.js'
import { campaignById } from '../../../engine/certifications/activate-campaign.js'
import { campaignProgress } from '../../../engine/certifications/campaign-progress.js'
import { changeCampaign, deleteCampaignsById } from '../../../engine/certifications/change-campaign.js'
import { createCampaign } from '../../../engine/certifications/create-campaign.js'
import { listCampaignsFor } from '../../../engine/certifications/list-certifications.js'
import { pageOf } from '../../../engine/queries/query.js'
import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import { collectionQuery } from '../../http/collection-query.js'
import { jsonPatchBody } from '../../http/json-patch.js'
import { campaignV3Json, type CampaignDetail } from '../../presenters/campaign-v3-json.js'
import { actorOf } from '../access-requests/access-request-routes.js'
import { readCampaignPatch } from './campaign-patch.js'

const detail = z.enum(['SLIM', 'FULL'])
const idParams = z.strictObject({ id: z.string().min(1).max(256) })
const listQuery = collectionQuery.extend({ detail: detail.optional() })
const deleteBody = z.strictObject({
  ids: z.array(z.string().min(1).max(256)).min(1, 'name at least one campaign').max(250),
})

/** The reference's campaign filters: `id eq|in`, `name eq|sw`, `status eq|in`. */
const FILTERS = {
  id: { type: 'string', operators: ['eq', 'in'] },
  name: { type: 'string', operators: ['eq', 'sw'] },
  status: { type: 'string', operators: ['eq', 'in'] },
} as const

/** `/v3/campaigns`: list, create (generated and STAGED), read, change by JSON Patch, delete. */
export function campaignRoutes(api: Api, ctx: ApiContext): void {
  const present = async (campaigns: Campaign[], level: CampaignDetail): Promise<object[]> => {
    const progress = await campaignProgress(
      ctx.engine,
      campaigns.map((c) => c.id),
    )
    return campaigns.map((c) => campaignV3Json(c, progress.get(c.id), level))
  }

  api.get('/v3/campaigns', { schema: { querystring: listQuery } }, async (request, reply) => {
    const q = request.query
    const expression =
      q.filters !== undefined && q.filters.trim() !== '' ? readFilters(q.filters, FILTERS) : undefined
    const page = pageOf<'name' | 'created'>({ limit: q.limit, offset: q.offset, sorters: q.sorters ?? [] }, [
      'name',
      'created',
    ])
    const { campaigns, total } = await listCampaignsFor(
      ctx.engine,
      actorOf(request),
      expression ? { expression } : {},
      page,
    )
    if (q.count) void reply.header('x-total-count', String(total))
    // The reference's listing is slim unless FULL is asked for.
    return present(campaigns, q.detail ?? 'SLIM')
  })

  api.post('/v3/campaigns', { schema: { body: campaignSpecSchema } }, async (request, reply) => {
    const { campaign, generated } = await createCampaign(ctx.engine, actorOf(request), request.body)
    request.auditDetail = {
      action: 'CAMPAIGN_CREATED',
      targetType: 'CAMPAIGN',
      targetId: campaign.id,
      targetName: campaign.name,
      after: { status: campaign.status, generated },
    }
    const progress = await campaignProgress(ctx.engine, [campaign.id])
    // The reference answers 202: the campaign is accepted (here it is generated already, STAGED or ERROR).
    void reply.code(202)
    return campaignV3Json(campaign, progress.get(campaign.id), 'FULL', generated)
  })

  api.get(
    '/v3/campaigns/:id',
    { schema: { params: idParams, querystring: z.strictObject({ detail: detail.optional() }) } },
    async (request) => {
      const campaign = await campaignById(ctx.engine, request.params.id)
      const [json] = await present([campaign], request.query.detail ?? 'FULL')
      return json
    },
  )

  api.patch('/v3/campaigns/:id', { schema: { params: idParams, body: jsonPatchBody } }, async (request) => {
    const before = await campaignById(ctx.engine, request.params.id)
    const change = readCampaignPatch(before, request.body)
    const after = await changeCampaign(ctx.engine, actorOf(request), before.id, change)
    request.auditDetail = {
      action: 'CAMPAIGN_CHANGED',
      targetType: 'CAMPAIGN',
      targetId: after.id,
      targetName: after.name,
      before: { name: before.name, description: before.description, deadline: before.deadline },
      after: change,
    }
    const [json] = await present([after], 'SLIM')
    return json
  })

  api.post('/v3/campaigns/delete', { schema: { body: deleteBody } }, async (request, reply) => {
    const deleted = await deleteCampaignsById(ctx.engine, actorOf(request), request.body.ids)
    request.auditDetail = {
      action: 'CAMPAIGNS_DELETED',
      targetType: 'CAMPAIGN',
      after: { ids: request.body.ids, deleted },
    }
    void reply.code(202)
    return {}
  })
}
