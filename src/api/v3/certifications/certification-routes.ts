import { z } from 'zod'
import { readFilters } from '../../../domain/query/check-filters.js'
import { certificationFor } from '../../../engine/certifications/certification-access.js'
import {
  certificationItemsFor,
  listCertificationsFor,
} from '../../../engine/certifications/list-certifications.js'
import { reviewedAccessFilter } from '../../../engine/certifications/reviewed-access-filter.js'
import { planningSourceIds } from '../../../engine/plan-identities.js'
import { pageOf } from '../../../engine/queries/query.js'
import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import { collectionQuery } from '../../http/collection-query.js'
import { accessReviewItemV3Json } from '../../presenters/certification-v3-json.js'
import { actorOf } from '../access-requests/access-request-routes.js'
import { presentCertifications } from './present-certifications.js'

const idParams = z.strictObject({ id: z.string().min(1).max(256) })
const listQuery = collectionQuery.extend({
  /**
   * `me` or a reviewer's id, as the reference; Provisio's `all` lets a campaign administrator list every
   * reviewer's. Absent: a person's own, an API client's (an administrator's) every one.
   */
  'reviewer-identity': z.string().min(1).max(256).optional(),
})

/** The reference's certification filters: `id eq|in`, `campaign.id eq|in`, `phase eq`, `completed eq`. */
const CERTIFICATION_FILTERS = {
  id: { type: 'string', operators: ['eq', 'in'] },
  'campaign.id': { type: 'string', operators: ['eq', 'in'] },
  phase: { type: 'string', operators: ['eq'] },
  completed: { type: 'boolean', operators: ['eq'] },
} as const

/**
 * The reference's item filters, with its operators: the names are looked up from the ids items keep, and an
 * entitlement's `access.id` is its catalog id (items keep the planner's key).
 */
const ITEM_FILTERS = {
  id: { type: 'string', operators: ['eq', 'in'] },
  type: { type: 'string', operators: ['eq'] },
  'access.type': { type: 'string', operators: ['eq'] },
  'access.name': { type: 'string', operators: ['eq', 'sw'] },
  completed: { type: 'boolean', operators: ['eq', 'ne'] },
  'identitySummary.id': { type: 'string', operators: ['eq', 'in'] },
  'identitySummary.name': { type: 'string', operators: ['eq', 'sw'] },
  'access.id': { type: 'string', operators: ['eq', 'in'] },
  'entitlement.sourceName': { type: 'string', operators: ['eq', 'sw'] },
  'accessProfile.sourceName': { type: 'string', operators: ['eq', 'sw'] },
} as const

/**
 * The item sorters, by their reference names, and the stored order each stands for: the reference's, and
 * Provisio's `identitySummary.id` and `id`. A source name sorts the items of its kind (an entitlement's,
 * an access profile's source), the others after them.
 */
const ITEM_SORTERS = {
  'identitySummary.name': 'identityName',
  'access.name': 'name',
  'access.type': 'type',
  'entitlement.sourceName': 'entitlementSource',
  'accessProfile.sourceName': 'accessProfileSource',
  'identitySummary.id': 'identity',
  id: 'id',
} as const

// The reference's narrowing by access, comma-separated ids of one kind (reviewedAccessFilter).
const itemsQuery = collectionQuery.extend({
  roles: z.string().max(4096).optional(),
  'access-profiles': z.string().max(4096).optional(),
  entitlements: z.string().max(4096).optional(),
})

const filtersOf = (q: { filters?: string | undefined }): string | undefined =>
  q.filters !== undefined && q.filters.trim() !== '' ? q.filters : undefined

/** `/v3/certifications`: a reviewer's certifications, one of them, and its items with why each is held. */
export function certificationRoutes(api: Api, ctx: ApiContext): void {
  api.get('/v3/certifications', { schema: { querystring: listQuery } }, async (request, reply) => {
    const q = request.query
    const actor = actorOf(request)
    const reviewer = q['reviewer-identity']
    const filters = filtersOf(q)
    const { certifications, total } = await listCertificationsFor(
      ctx.engine,
      actor,
      {
        ...(reviewer === 'me' || (reviewer === undefined && actor.identityId !== null) ? { mine: true } : {}),
        ...(reviewer === 'all' ? { all: true } : {}),
        ...(reviewer !== undefined && reviewer !== 'me' && reviewer !== 'all'
          ? { reviewerIds: [reviewer] }
          : {}),
        ...(filters !== undefined ? { expression: readFilters(filters, CERTIFICATION_FILTERS) } : {}),
      },
      // The reference's sorters (name, due, signed), and Provisio's created.
      pageOf<'name' | 'due' | 'signed' | 'created'>(
        { limit: q.limit, offset: q.offset, sorters: q.sorters ?? [] },
        ['name', 'due', 'signed', 'created'],
      ),
    )
    if (q.count) void reply.header('x-total-count', String(total))
    return presentCertifications(ctx, certifications)
  })

  api.get('/v3/certifications/:id', { schema: { params: idParams } }, async (request) => {
    const { cert, campaign } = await certificationFor(ctx.engine, actorOf(request), request.params.id)
    const [json] = await presentCertifications(ctx, [cert], [campaign])
    return json
  })

  api.get(
    '/v3/certifications/:id/access-review-items',
    { schema: { params: idParams, querystring: itemsQuery } },
    async (request, reply) => {
      const q = request.query
      const filters = filtersOf(q)
      const byAccess = await reviewedAccessFilter(ctx.engine, {
        roles: q.roles,
        accessProfiles: q['access-profiles'],
        entitlements: q.entitlements,
      })
      const page = pageOf<keyof typeof ITEM_SORTERS>(
        { limit: q.limit, offset: q.offset, sorters: q.sorters ?? [] },
        Object.keys(ITEM_SORTERS) as (keyof typeof ITEM_SORTERS)[],
      )
      const { items, total } = await certificationItemsFor(
        ctx.engine,
        actorOf(request),
        request.params.id,
        { ...byAccess, ...(filters !== undefined ? { expression: readFilters(filters, ITEM_FILTERS) } : {}) },
        { ...page, sort: (page.sort ?? []).map((k) => ({ ...k, field: ITEM_SORTERS[k.field] })) },
      )
      if (q.count) void reply.header('x-total-count', String(total))
      const sourceNames = new Map(
        [...(await planningSourceIds(ctx.engine, ctx.engine.config))].map(([name, id]) => [id, name]),
      )
      return items.map((i) => accessReviewItemV3Json(i, sourceNames))
    },
  )
}
