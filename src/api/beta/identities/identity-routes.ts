import { z } from 'zod'
import { findLifecycleState } from '../../../domain/config/workspace-config.js'
import type { Identity } from '../../../domain/model.js'
import { findIdentity } from '../../../engine/queries/get-identity.js'
import { listIdentities } from '../../../engine/queries/list-identities.js'
import { reprocessIdentities } from '../../../engine/reprocess-identities.js'
import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import { ownScope } from '../../http/authorize.js'
import { principalOf } from '../../http/caller.js'
import { collectionQuery, engineQuery, sendCollection } from '../../http/collection-query.js'
import { identityBetaJson } from '../../presenters/identity-beta-json.js'

const idParams = z.strictObject({ id: z.string().min(1).max(256) })

const listQuery = collectionQuery.extend({
  /** CORRELATED_ONLY: every Provisio identity is built from its authoritative account, so both are the same. */
  defaultFilter: z.enum(['CORRELATED_ONLY', 'NONE']).optional(),
})

const processBody = z.strictObject({ identityIds: z.array(z.string().min(1).max(256)).min(1).max(250) })

/** Who sees every identity in a listing; others see themselves and their direct reports. */
export const IDENTITY_READERS = ['HELPDESK', 'SOURCE_ADMIN', 'REPORT_ADMIN'] as const

/** The reference's identity sorters by Provisio's fields (alias is Provisio's identity name). */
const SORTERS: Readonly<Record<string, string>> = { alias: 'name' }

/** The beta/v2024 presenter for a page of identities: their states' identity state, and who manages anyone. */
async function presenter(ctx: ApiContext, page: readonly Identity[]): Promise<(i: Identity) => object> {
  const ids = page.map((i) => i.id)
  const managers = new Set<string>()
  if (ids.length > 0) {
    const { rows } = await listIdentities(ctx.engine, {
      filters: `managerId in (${ids.map((id) => JSON.stringify(id)).join(', ')})`,
    })
    for (const r of rows) if (r.managerId !== null) managers.add(r.managerId)
  }
  return (i) => {
    const profile = ctx.engine.config.identityProfiles.find((p) => p.value.name === i.identityProfile)?.value
    const state =
      profile && i.lifecycleState !== null ? findLifecycleState(profile, i.lifecycleState) : undefined
    return identityBetaJson(i, {
      ...(state ? { identityState: state.identityState } : {}),
      isManager: managers.has(i.id),
    })
  }
}

/**
 * `/beta/identities` and `/v2024/identities`: list (filters, sorters, paging; a person without a reader's
 * capability sees themselves and their direct reports), get, and `process` (identities processed again).
 */
export function identityRoutes(api: Api, ctx: ApiContext): void {
  for (const version of ['beta', 'v2024']) {
    api.get(`/${version}/identities`, { schema: { querystring: listQuery } }, async (request, reply) => {
      const { defaultFilter: _all, ...rest } = request.query
      const query = engineQuery(rest)
      const scope = ownScope(principalOf(request), IDENTITY_READERS)
      const own =
        scope === undefined
          ? undefined
          : `(id eq ${JSON.stringify(scope.identityId)} or managerId eq ${JSON.stringify(scope.identityId)})`
      const filters =
        own === undefined
          ? query.filters
          : query.filters === undefined
            ? own
            : `(${query.filters}) and ${own}`
      const sorters = query.sorters?.map((s) => {
        const descending = s.startsWith('-')
        const field = descending ? s.slice(1) : s
        return `${descending ? '-' : ''}${SORTERS[field] ?? field}`
      })
      const result = await listIdentities(ctx.engine, {
        ...query,
        ...(filters !== undefined ? { filters } : {}),
        ...(sorters !== undefined ? { sorters } : {}),
      })
      return sendCollection(reply, result, await presenter(ctx, result.rows))
    })

    api.get(`/${version}/identities/:id`, { schema: { params: idParams } }, async (request) => {
      const identity = await findIdentity(ctx.engine, request.params.id)
      return (await presenter(ctx, [identity]))(identity)
    })

    api.post(`/${version}/identities/process`, { schema: { body: processBody } }, async (request, reply) => {
      const { identityIds, result } = await reprocessIdentities(ctx.engine, {
        identityIds: request.body.identityIds,
      })
      request.auditDetail = {
        action: 'process identities',
        targetType: 'IDENTITY',
        after: { identityIds, runId: result.runId, identities: result.identities },
      }
      return reply.status(202).send({ type: 'TASK_RESULT', id: result.runId, name: null })
    })
  }
}
