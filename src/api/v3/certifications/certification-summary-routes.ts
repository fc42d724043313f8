import { z } from 'zod'
import { NotFoundError } from '../../../domain/errors.js'
import { readFilters, textEquals } from '../../../domain/query/check-filters.js'
import { matchesFilter } from '../../../domain/query/match-filter.js'
import {
  accessSummaries,
  certificationReviewers,
  decisionSummary,
  identitySummaries,
  type DecisionCounts,
} from '../../../engine/certifications/certification-summaries.js'
import { pageOf } from '../../../engine/queries/query.js'
import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import { collectionQuery } from '../../http/collection-query.js'
import { accessSummaryV3Json } from '../../presenters/certification-v3-json.js'
import { actorOf } from '../access-requests/access-request-routes.js'

const idParams = z.strictObject({ id: z.string().min(1).max(256) })
const filtersOnly = z.strictObject({ filters: z.string().max(4096).optional() })
const filtersOf = (q: { filters?: string | undefined }): string | undefined =>
  q.filters !== undefined && q.filters.trim() !== '' ? q.filters : undefined

const DECISION_FILTERS = { 'identitySummary.id': { type: 'string', operators: ['eq', 'in'] } } as const
const IDENTITY_FILTERS = {
  id: { type: 'string', operators: ['eq', 'in'] },
  completed: { type: 'boolean', operators: ['eq', 'ne'] },
  name: { type: 'string', operators: ['eq', 'sw'] },
} as const
const ACCESS_FILTERS = {
  completed: { type: 'boolean', operators: ['eq', 'ne'] },
  'access.id': { type: 'string', operators: ['eq', 'in'] },
  'access.name': { type: 'string', operators: ['eq', 'sw'] },
  'entitlement.sourceName': { type: 'string', operators: ['eq', 'sw'] },
  'accessProfile.sourceName': { type: 'string', operators: ['eq', 'sw'] },
} as const
const REVIEWER_FILTERS = {
  id: { type: 'string', operators: ['eq', 'in'] },
  name: { type: 'string', operators: ['eq', 'sw'] },
  email: { type: 'string', operators: ['eq', 'sw'] },
} as const

/** The reference's `IdentityCertDecisionSummary`: decisions made, needed and taken, by kind of access. */
function decisionSummaryJson(counts: readonly DecisionCounts[]): object {
  const of = (type: string): DecisionCounts =>
    counts.find((c) => c.itemType === type) ?? { itemType: 'ROLE', total: 0, approved: 0, revoked: 0 }
  const kinds = [
    ['entitlement', 'entitlements', 'ENTITLEMENT'],
    ['accessProfile', 'accessProfiles', 'ACCESS_PROFILE'],
    ['role', 'roles', 'ROLE'],
    ['account', 'accounts', 'ACCOUNT'],
  ] as const
  const out: Record<string, number> = {}
  for (const [one, many, type] of kinds) {
    const c = of(type)
    out[`${one}DecisionsMade`] = c.approved + c.revoked
    out[`${one}DecisionsTotal`] = c.total
    out[`${many}Approved`] = c.approved
    out[`${many}Revoked`] = c.revoked
  }
  return out
}

/**
 * The reference's summaries of one certification: decisions by kind (`decision-summary`), its identities
 * (`identity-summaries`, one of them by id), the distinct access it reviews (`access-summaries/{type}`)
 * and its reviewers. Each answers for the reviewer or a campaign administrator, as the certification does.
 */
export function certificationSummaryRoutes(api: Api, ctx: ApiContext): void {
  api.get(
    '/v3/certifications/:id/decision-summary',
    { schema: { params: idParams, querystring: filtersOnly } },
    async (request) => {
      const filters = filtersOf(request.query)
      const counts = await decisionSummary(
        ctx.engine,
        actorOf(request),
        request.params.id,
        filters !== undefined ? readFilters(filters, DECISION_FILTERS) : undefined,
      )
      return decisionSummaryJson(counts)
    },
  )

  api.get(
    '/v3/certifications/:id/identity-summaries',
    { schema: { params: idParams, querystring: collectionQuery } },
    async (request, reply) => {
      const q = request.query
      const filters = filtersOf(q)
      const { rows, total } = await identitySummaries(
        ctx.engine,
        actorOf(request),
        request.params.id,
        filters !== undefined ? readFilters(filters, IDENTITY_FILTERS) : undefined,
        pageOf<'name'>({ limit: q.limit, offset: q.offset, sorters: q.sorters ?? [] }, ['name']),
      )
      if (q.count) void reply.header('x-total-count', String(total))
      return rows.map(identitySummaryJson)
    },
  )

  api.get(
    '/v3/certifications/:id/identity-summaries/:identitySummaryId',
    {
      schema: {
        params: z.strictObject({
          id: z.string().min(1).max(256),
          identitySummaryId: z.string().min(1).max(256),
        }),
      },
    },
    async (request) => {
      const { id, identitySummaryId } = request.params
      const { rows } = await identitySummaries(
        ctx.engine,
        actorOf(request),
        id,
        textEquals('id', identitySummaryId),
      )
      const [row] = rows
      if (row === undefined) {
        throw new NotFoundError(`no identity ${identitySummaryId} in certification ${id}`)
      }
      return identitySummaryJson(row)
    },
  )

  api.get(
    '/v3/certifications/:id/access-summaries/:type',
    {
      schema: {
        params: z.strictObject({
          id: z.string().min(1).max(256),
          type: z.enum(['ROLE', 'ACCESS_PROFILE', 'ENTITLEMENT']),
        }),
        querystring: collectionQuery,
      },
    },
    async (request, reply) => {
      const q = request.query
      const filters = filtersOf(q)
      const { rows, total } = await accessSummaries(
        ctx.engine,
        actorOf(request),
        request.params.id,
        request.params.type,
        filters !== undefined ? readFilters(filters, ACCESS_FILTERS) : undefined,
        pageOf<'name'>({ limit: q.limit, offset: q.offset, sorters: (q.sorters ?? []).map(accessSorter) }, [
          'name',
        ]),
      )
      if (q.count) void reply.header('x-total-count', String(total))
      return rows.map((a) => ({
        ...accessSummaryV3Json(a),
        // Provisio's own: done for every identity holding it, and how many hold it here.
        completed: a.completed,
        identities: a.identities,
      }))
    },
  )

  api.get(
    '/v3/certifications/:id/reviewers',
    { schema: { params: idParams, querystring: collectionQuery } },
    async (request, reply) => {
      const q = request.query
      const filters = filtersOf(q)
      const expression = filters !== undefined ? readFilters(filters, REVIEWER_FILTERS) : undefined
      const sort = pageOf<'name' | 'email'>({ sorters: q.sorters ?? [] }, ['name', 'email']).sort ?? []
      // One or two people (the reviewer, and whom it was generated for): filtered and sorted here.
      const people = (await certificationReviewers(ctx.engine, actorOf(request), request.params.id))
        .map((p) => ({ type: 'IDENTITY', id: p.id, name: p.name, email: p.attributes['email'] ?? null }))
        .filter((p) => expression === undefined || matchesFilter(expression, (f) => p[f]))
      for (const key of [...sort].reverse()) {
        people.sort(
          (a, b) => (key.descending ? -1 : 1) * String(a[key.field]).localeCompare(String(b[key.field])),
        )
      }
      if (q.count) void reply.header('x-total-count', String(people.length))
      return people.slice(q.offset, q.offset + q.limit)
    },
  )
}

/** `access.name` is the one sorter of access summaries (stored as the name). */
function accessSorter(s: string): string {
  return s.replace(/^(-?)access\.name$/, '$1name')
}

function identitySummaryJson(s: { identityId: string; name: string; completed: boolean }): object {
  return { id: s.identityId, name: s.name, identityId: s.identityId, completed: s.completed }
}
