import { z } from 'zod'
import { NotFoundError } from '../../../domain/errors.js'
import type { Entitlement } from '../../../domain/model.js'
import { listEntitlements } from '../../../engine/queries/list-entitlements.js'
import {
  entitlementById,
  updateEntitlement,
  type EntitlementUpdate,
} from '../../../engine/update-entitlement.js'
import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import { collectionQuery, engineQuery, sendCollection } from '../../http/collection-query.js'
import { RequestValidationError, type FieldProblem } from '../../http/error-response.js'
import { applyJsonPatch, jsonPatchBody, type JsonPatch } from '../../http/json-patch.js'
import { entitlementV3Json } from '../../presenters/entitlement-v3-json.js'

const idParams = z.strictObject({ id: z.string().min(1).max(256) })

/** The reference's sorters by its names: `source.id` is not a sort of Provisio's; the rest are. */
const SORTERS: Readonly<Record<string, string>> = { modified: 'created' }

/**
 * `/beta/entitlements` and `/v2024/entitlements` (the reference has entitlements there, not in v3): every
 * source's entitlements, with the reference's filters and paging, and one by id; a JSON Patch of
 * `/requestable` and `/owner` makes one requestable and gives it an owner.
 */
export function entitlementRoutes(api: Api, ctx: ApiContext): void {
  for (const version of ['beta', 'v2024']) {
    api.get(
      `/${version}/entitlements`,
      { schema: { querystring: collectionQuery } },
      async (request, reply) => {
        const query = engineQuery(request.query)
        const sorters = query.sorters?.map((s) => {
          const descending = s.startsWith('-')
          const field = descending ? s.slice(1) : s
          return `${descending ? '-' : ''}${SORTERS[field] ?? field}`
        })
        const result = await listEntitlements(ctx.engine, { ...query, ...(sorters ? { sorters } : {}) })
        return sendCollection(reply, result, entitlementV3Json)
      },
    )

    api.get(`/${version}/entitlements/:id`, { schema: { params: idParams } }, async (request) => {
      const { rows } = await listEntitlements(ctx.engine, {
        filters: `id eq ${JSON.stringify(request.params.id)}`,
        limit: 1,
      })
      const entitlement = rows[0]
      if (!entitlement) throw new NotFoundError(`no entitlement with id "${request.params.id}"`)
      return entitlementV3Json(entitlement)
    })

    api.patch(
      `/${version}/entitlements/:id`,
      { schema: { params: idParams, body: jsonPatchBody } },
      async (request) => {
        const current = await entitlementById(ctx.engine, request.params.id)
        const update = entitlementUpdateOf(current, request.body)
        const { before, after } = await updateEntitlement(ctx.engine, current.id, update)
        request.auditDetail = {
          action: 'ENTITLEMENT_UPDATED',
          targetType: 'ENTITLEMENT',
          targetId: after.id,
          targetName: after.displayName ?? after.value,
          before: { requestable: before.requestable, ownerId: before.ownerId },
          after: { requestable: after.requestable, ownerId: after.ownerId },
        }
        return entitlementV3Json(after)
      },
    )
  }
}

/** The fields a patch may change, as the presenter shows them. */
const PATCHABLE = ['requestable', 'owner'] as const

/**
 * What a patch changes: it is applied to the entitlement's `requestable` and `owner` as the v3 presenter
 * shows them (so `replace /owner/id` works as well as `replace /owner`); any other field is refused, named.
 */
function entitlementUpdateOf(current: Entitlement, ops: JsonPatch): EntitlementUpdate {
  const problems: FieldProblem[] = []
  ops.forEach((o, i) => {
    const field = o.path.split('/')[1] ?? ''
    if (!(PATCHABLE as readonly string[]).includes(field)) {
      problems.push({
        path: `body.${i}.path`,
        message: `cannot change "${o.path}": Provisio changes an entitlement's /requestable and /owner (the rest comes from its source)`,
      })
    }
  })
  if (problems.length > 0) throw new RequestValidationError(problems)
  const shown = entitlementV3Json(current) as { requestable: boolean; owner: unknown }
  const patched = applyJsonPatch({ requestable: shown.requestable, owner: shown.owner }, ops) as {
    requestable?: unknown
    owner?: unknown
  }
  const update: { requestable?: boolean; owner?: string | null } = {}
  if (typeof patched.requestable === 'boolean') update.requestable = patched.requestable
  else problems.push({ path: 'body', message: 'requestable: must be true or false' })
  const owner = patched.owner ?? null
  if (JSON.stringify(owner) !== JSON.stringify(shown.owner)) {
    if (owner === null) update.owner = null
    else if (typeof owner !== 'object' || Array.isArray(owner)) {
      problems.push({ path: 'body', message: 'owner: must be {type: IDENTITY, id} or null' })
    } else {
      const ref = owner as Record<string, unknown>
      const key = typeof ref['id'] === 'string' && ref['id'] !== '' ? ref['id'] : ref['name']
      if (ref['type'] !== undefined && ref['type'] !== 'IDENTITY') {
        problems.push({ path: 'body', message: `owner: an owner is an identity: type must be IDENTITY` })
      } else if (typeof key !== 'string' || key === '') {
        problems.push({ path: 'body', message: 'owner: needs the id (or name) of an identity' })
      } else update.owner = key
    }
  }
  if (problems.length > 0) throw new RequestValidationError(problems)
  return update
}
