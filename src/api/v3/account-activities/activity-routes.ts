import { z } from 'zod'
import { ForbiddenError, NotFoundError } from '../../../domain/errors.js'
import { listActivities, type ActivityRow } from '../../../engine/queries/list-activities.js'
import { listIdentities } from '../../../engine/queries/list-identities.js'
import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import { ownScope } from '../../http/authorize.js'
import { principalOf } from '../../http/caller.js'
import { collectionQuery, engineQuery, sendCollection } from '../../http/collection-query.js'
import { RequestValidationError } from '../../http/error-response.js'
import { activityV3Json } from '../../presenters/activity-v3-json.js'

const idParams = z.strictObject({ id: z.string().min(1).max(256) })

const who = z.string().min(1).max(256).optional()
const listQuery = collectionQuery.extend({
  'requested-for': who,
  'requested-by': who,
  'regarding-identity': who,
})

/** Who sees every identity's activities; others see their own identity's. */
export const ACTIVITY_READERS = ['SOURCE_ADMIN', 'HELPDESK', 'REPORT_ADMIN'] as const

/** The v3 presenter for a page of activities, with their identities' names. */
async function presenter(ctx: ApiContext, rows: readonly ActivityRow[]): Promise<(a: ActivityRow) => object> {
  const ids = [...new Set(rows.map((a) => a.identityId))]
  const names = new Map<string, string>()
  if (ids.length > 0) {
    const { rows: identities } = await listIdentities(ctx.engine, {
      filters: `id in (${ids.map((id) => JSON.stringify(id)).join(', ')})`,
    })
    for (const i of identities) names.set(i.id, i.name)
  }
  return (a) => activityV3Json(a, { identity: names.get(a.identityId) ?? null, source: a.sourceName })
}

/**
 * `/v3/account-activities`: the account activities (what was asked of each system and how it went), with
 * filters and paging, and one by id. A person without a reader's capability sees their own identity's.
 */
export function activityRoutes(api: Api, ctx: ApiContext): void {
  api.get('/v3/account-activities', { schema: { querystring: listQuery } }, async (request, reply) => {
    const principal = principalOf(request)
    const q = request.query
    if (q['requested-by'] !== undefined) {
      // Provisio's activities come from plans and administrators' requests: nobody requested them for
      // themselves, so no activity has a requester to match.
      throw new RequestValidationError([
        {
          path: 'querystring.requested-by',
          message: 'activities have no requester in Provisio: use requested-for',
        },
      ])
    }
    const me = principal.identityId
    const named = q['requested-for'] ?? q['regarding-identity']
    const target = named === 'me' ? me : named
    if (named === 'me' && me === null) {
      throw new RequestValidationError([
        { path: 'querystring.requested-for', message: '"me" needs a personal access token' },
      ])
    }
    const scope = ownScope(principal, ACTIVITY_READERS)
    if (scope !== undefined && target !== undefined && target !== scope.identityId) {
      throw new ForbiddenError("you see your own identity's activities only")
    }
    const query = engineQuery({ ...q })
    const identity = scope?.identityId ?? target ?? undefined
    const result = await listActivities(ctx.engine, {
      ...query,
      filters: {
        ...(identity !== undefined ? { identity } : {}),
        ...(query.filters !== undefined ? { expression: query.filters } : {}),
      },
    })
    return sendCollection(reply, result, await presenter(ctx, result.rows))
  })

  api.get('/v3/account-activities/:id', { schema: { params: idParams } }, async (request) => {
    const scope = ownScope(principalOf(request), ACTIVITY_READERS)
    const { rows } = await listActivities(ctx.engine, { filters: { ids: [request.params.id] } })
    const activity = rows[0]
    if (!activity) throw new NotFoundError(`no account activity with id "${request.params.id}"`)
    if (scope !== undefined && activity.identityId !== scope.identityId) {
      throw new ForbiddenError("you see your own identity's activities only")
    }
    return (await presenter(ctx, [activity]))(activity)
  })
}
