import { z } from 'zod'
import { correlateAccount } from '../../../engine/correlate-account.js'
import { listAccountEntitlements } from '../../../engine/queries/list-account-entitlements.js'
import { requestAccountChange } from '../../../engine/request-account-change.js'
import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import { collectionQuery, sendCollection } from '../../http/collection-query.js'
import { RequestValidationError } from '../../http/error-response.js'
import { jsonPatchBody, type JsonPatch } from '../../http/json-patch.js'
import { entitlementV3Json } from '../../presenters/entitlement-v3-json.js'
import { presentAccount } from './account-routes.js'

const idParams = z.strictObject({ id: z.string().min(1).max(256) })

/** AccountToggleRequest: Provisio has no external verification; both fields are accepted and not needed. */
const toggleBody = z
  .strictObject({
    externalVerificationId: z.string().max(256).optional(),
    forceProvisioning: z.boolean().optional(),
  })
  .nullish()

const entitlementsQuery = collectionQuery.pick({ limit: true, offset: true, count: true, sorters: true })

/**
 * `/v3/accounts/{id}`: enable and disable (an account activity, answered 202 with its id), the account's
 * entitlements, and manual correlation by a JSON Patch of `identityId`.
 */
export function accountActionRoutes(api: Api, ctx: ApiContext): void {
  for (const operation of ['Enable', 'Disable'] as const) {
    api.post(
      `/v3/accounts/:id/${operation.toLowerCase()}`,
      { schema: { params: idParams, body: toggleBody } },
      async (request, reply) => {
        const { activityId, account, alreadyRequested } = await requestAccountChange(
          ctx.engine,
          request.params.id,
          operation,
        )
        request.auditDetail = {
          action: `${operation.toLowerCase()} account`,
          targetType: 'ACCOUNT',
          targetId: account.id,
          targetName: `${account.sourceName}: ${account.nativeIdentity}`,
          before: { disabled: account.disabled },
          after: { requested: operation, activityId, alreadyRequested },
        }
        return reply.status(202).send({ id: activityId })
      },
    )
  }

  api.get(
    '/v3/accounts/:id/entitlements',
    { schema: { params: idParams, querystring: entitlementsQuery } },
    async (request, reply) => {
      const { limit, offset, count, sorters } = request.query
      const result = await listAccountEntitlements(ctx.engine, request.params.id, {
        limit,
        offset,
        count,
        ...(sorters !== undefined ? { sorters } : {}),
      })
      return sendCollection(reply, result, entitlementV3Json)
    },
  )

  // The reference's body is `application/json-patch+json` (build-api parses that media type).
  api.patch(
    '/v3/accounts/:id',
    { schema: { params: idParams, body: jsonPatchBody } },
    async (request, reply) => {
      const identityId = correlationOf(request.body)
      const { before, after } = await correlateAccount(ctx.engine, request.params.id, identityId)
      request.auditDetail = {
        action: 'correlate account',
        targetType: 'ACCOUNT',
        targetId: after.id,
        targetName: `${after.sourceName}: ${after.nativeIdentity}`,
        before: { identityId: before.identityId, manuallyCorrelated: before.manuallyCorrelated },
        after: { identityId: after.identityId, manuallyCorrelated: after.manuallyCorrelated },
      }
      return reply.status(202).send(presentAccount(ctx)(after))
    },
  )
}

/**
 * The identity a patch correlates the account to (null: none). Provisio changes an account's correlation
 * only: its attributes come from its source. Every operation it cannot do is named.
 */
function correlationOf(ops: JsonPatch): string | null {
  const problems: { path: string; message: string }[] = []
  let identityId: string | null | undefined
  ops.forEach((o, i) => {
    const at = `body.${i}`
    if (o.path === '/identityId') {
      if (o.op === 'remove') identityId = null
      else if ((o.op === 'replace' || o.op === 'add') && typeof o.value === 'string' && o.value !== '') {
        identityId = o.value
      } else {
        problems.push({
          path: `${at}.value`,
          message: 'replace /identityId with an identity id, or remove it',
        })
      }
    } else if (o.path === '/manuallyCorrelated') {
      // Every correlation made here is manual; `true` says so again, `false` cannot be.
      if (!((o.op === 'replace' || o.op === 'add') && o.value === true)) {
        problems.push({
          path: `${at}.value`,
          message: 'an account correlated by hand stays manuallyCorrelated',
        })
      }
    } else {
      problems.push({
        path: `${at}.path`,
        message: `cannot change "${o.path}": Provisio changes an account's /identityId (its attributes come from its source)`,
      })
    }
  })
  if (identityId === undefined && problems.length === 0) {
    problems.push({ path: 'body', message: 'the patch must replace or remove /identityId' })
  }
  if (problems.length > 0) throw new RequestValidationError(problems)
  return identityId ?? null
}
