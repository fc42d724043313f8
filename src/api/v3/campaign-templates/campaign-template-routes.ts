import { z } from 'zod'
import { readFilters } from '../../../domain/query/check-filters.js'
import {
  campaignTemplateById,
  changeCampaignTemplate,
  createCampaignTemplate,
  deleteCampaignTemplateById,
  listCampaignTemplatesFor,
  scheduleCampaignTemplate,
  templateSpecOf,
} from '../../../engine/certifications/campaign-templates.js'
import { generateFromTemplate } from '../../../engine/certifications/generate-from-template.js'
import { pageOf } from '../../../engine/queries/query.js'
import { InputError, NotFoundError } from '../../../domain/errors.js'
import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import { collectionQuery } from '../../http/collection-query.js'
import { applyJsonPatch, jsonPatchBody, type JsonPatch } from '../../http/json-patch.js'
import { campaignTemplateV3Json } from '../../presenters/campaign-template-v3-json.js'
import { actorOf } from '../access-requests/access-request-routes.js'

const idParams = z.strictObject({ id: z.string().min(1).max(256) })
const FILTERS = {
  id: { type: 'string', operators: ['eq', 'in'] },
  name: { type: 'string', operators: ['eq', 'in'] },
} as const

/** What a PATCH may touch, as the reference lists it: these fields and what is inside them. */
const PATCHABLE = ['/name', '/description', '/deadlineDuration', '/campaign'] as const
/** The campaign's read-only fields, which the template's campaign accepts only to be echoed back. */
const READ_ONLY_IN_CAMPAIGN = ['/campaign/id', '/campaign/status', '/campaign/created', '/campaign/modified']

/**
 * Refuses a patch touching anything but the patchable fields: the template schema takes the read-only
 * fields a client echoes (id, created, scheduled, ownerRef…) and drops them, so a patch of one would
 * answer 200 having changed nothing, or keep a campaign status that means nothing.
 */
function checkTemplatePatch(patch: JsonPatch): void {
  patch.forEach((op, i) => {
    for (const path of [op.path, ...(op.from !== undefined ? [op.from] : [])]) {
      const under = PATCHABLE.some((p) => path === p || path.startsWith(`${p}/`))
      const readOnly = READ_ONLY_IN_CAMPAIGN.some((p) => path === p || path.startsWith(`${p}/`))
      if (!under || readOnly) {
        throw new InputError(
          `JSON Patch operation ${i}: path "${path}" cannot be changed; patch ${PATCHABLE.join(', ')} (and within /campaign what a campaign is created with)`,
        )
      }
    }
  })
}

/**
 * `/v3/campaign-templates`: templates of campaigns, generated on demand (`/generate`) or on their schedule
 * (`/schedule`: the campaign timer generates each due run once, docs/certifications.md).
 */
export function campaignTemplateRoutes(api: Api, ctx: ApiContext): void {
  api.get('/v3/campaign-templates', { schema: { querystring: collectionQuery } }, async (request, reply) => {
    const q = request.query
    const filter: { ids?: string[]; names?: string[] } = {}
    if (q.filters !== undefined && q.filters.trim() !== '') {
      const expression = readFilters(q.filters, FILTERS)
      // `id` and `name`, eq or in, joined by and: read back as lists.
      for (const c of expression.kind === 'and' ? expression.operands : [expression]) {
        if (c.kind !== 'compare' && c.kind !== 'in') {
          throw new InputError('filters: id and name take eq or in, joined by and')
        }
        const values = c.kind === 'in' ? c.values.map(String) : [String(c.value)]
        if (c.field === 'id') filter.ids = values
        else filter.names = values
      }
    }
    const page = pageOf<'name' | 'created' | 'modified'>(
      { limit: q.limit, offset: q.offset, sorters: q.sorters ?? [] },
      ['name', 'created', 'modified'],
    )
    const { templates, total } = await listCampaignTemplatesFor(ctx.engine, actorOf(request), filter, page)
    if (q.count) void reply.header('x-total-count', String(total))
    return templates.map(campaignTemplateV3Json)
  })

  api.post('/v3/campaign-templates', { schema: { body: z.unknown() } }, async (request) => {
    const t = await createCampaignTemplate(ctx.engine, actorOf(request), request.body)
    request.auditDetail = {
      action: 'CAMPAIGN_TEMPLATE_CREATED',
      targetType: 'CAMPAIGN_TEMPLATE',
      targetId: t.id,
      targetName: t.name,
    }
    return campaignTemplateV3Json(t)
  })

  api.get('/v3/campaign-templates/:id', { schema: { params: idParams } }, async (request) =>
    campaignTemplateV3Json(await campaignTemplateById(ctx.engine, request.params.id)),
  )

  api.patch(
    '/v3/campaign-templates/:id',
    { schema: { params: idParams, body: jsonPatchBody } },
    async (request) => {
      checkTemplatePatch(request.body)
      const before = await campaignTemplateById(ctx.engine, request.params.id)
      const changed = applyJsonPatch(templateSpecOf(before), request.body)
      const after = await changeCampaignTemplate(ctx.engine, actorOf(request), before.id, changed)
      request.auditDetail = {
        action: 'CAMPAIGN_TEMPLATE_CHANGED',
        targetType: 'CAMPAIGN_TEMPLATE',
        targetId: after.id,
        targetName: after.name,
        before: templateSpecOf(before),
        after: templateSpecOf(after),
      }
      return campaignTemplateV3Json(after)
    },
  )

  api.delete('/v3/campaign-templates/:id', { schema: { params: idParams } }, async (request, reply) => {
    await deleteCampaignTemplateById(ctx.engine, actorOf(request), request.params.id)
    request.auditDetail = {
      action: 'CAMPAIGN_TEMPLATE_DELETED',
      targetType: 'CAMPAIGN_TEMPLATE',
      targetId: request.params.id,
    }
    void reply.code(204)
  })

  api.get('/v3/campaign-templates/:id/schedule', { schema: { params: idParams } }, async (request) => {
    const t = await campaignTemplateById(ctx.engine, request.params.id)
    if (t.schedule === null) throw new NotFoundError(`campaign template "${t.name}" has no schedule`)
    return t.schedule
  })

  api.put(
    '/v3/campaign-templates/:id/schedule',
    { schema: { params: idParams, body: z.unknown() } },
    async (request, reply) => {
      const t = await scheduleCampaignTemplate(
        ctx.engine,
        actorOf(request),
        request.params.id,
        request.body ?? {},
      )
      request.auditDetail = {
        action: 'CAMPAIGN_TEMPLATE_SCHEDULED',
        targetType: 'CAMPAIGN_TEMPLATE',
        targetId: t.id,
        targetName: t.name,
        after: { schedule: t.schedule, nextRun: t.nextRun },
      }
      void reply.code(204)
    },
  )

  api.delete(
    '/v3/campaign-templates/:id/schedule',
    { schema: { params: idParams } },
    async (request, reply) => {
      const t = await scheduleCampaignTemplate(ctx.engine, actorOf(request), request.params.id, null)
      request.auditDetail = {
        action: 'CAMPAIGN_TEMPLATE_UNSCHEDULED',
        targetType: 'CAMPAIGN_TEMPLATE',
        targetId: t.id,
        targetName: t.name,
      }
      void reply.code(204)
    },
  )

  api.post('/v3/campaign-templates/:id/generate', { schema: { params: idParams } }, async (request) => {
    const campaign = await generateFromTemplate(ctx.engine, actorOf(request), request.params.id)
    request.auditDetail = {
      action: 'CAMPAIGN_CREATED',
      targetType: 'CAMPAIGN',
      targetId: campaign.id,
      targetName: campaign.name,
      after: { templateId: request.params.id },
    }
    // The reference answers with a CampaignReference.
    return {
      id: campaign.id,
      name: campaign.name,
      type: 'CAMPAIGN',
      campaignType: campaign.type,
      description: campaign.description ?? '',
      correlatedStatus: campaign.spec.correlatedStatus ?? 'CORRELATED',
      mandatoryCommentRequirement: campaign.spec.mandatoryCommentRequirement ?? 'NO_DECISIONS',
    }
  })
}
