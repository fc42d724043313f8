import { z } from 'zod'
import { USAGE_TYPES } from '../../../domain/config/config-schemas.js'
import { deepEqual } from '../../../domain/json-equal.js'
import { NotFoundError } from '../../../domain/errors.js'
import { rawConfigObject } from '../../../engine/config/change-config.js'
import { sourceHealth } from '../../../engine/source-health.js'
import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import {
  provisioningPolicyV3Json,
  schemaV3Json,
  sourceHealthV3Json,
} from '../../presenters/source-parts-v3-json.js'
import { objectById, writeObject } from '../config-objects/config-writes.js'
import { refuse } from '../config-objects/read-fields.js'

const sourceParams = z.strictObject({ sourceId: z.string().min(1).max(256) })
const policyParams = z.strictObject({ sourceId: z.string().min(1).max(256), usageType: z.enum(USAGE_TYPES) })

/** A provisioning policy as the reference's `ProvisioningPolicyDto`; its fields are checked by validate's rules. */
const policyBody = z.strictObject({
  name: z.string().nullable(),
  description: z.string().nullable().optional(),
  usageType: z.enum(USAGE_TYPES).optional(),
  fields: z.array(z.record(z.string(), z.unknown())).optional(),
})

/**
 * A source's parts the reference keeps under it: its provisioning policies (by usage type), its schemas,
 * and its health.
 */
export function sourcePartRoutes(api: Api, ctx: ApiContext): void {
  api.get(
    '/v3/sources/:sourceId/provisioning-policies',
    { schema: { params: sourceParams } },
    async (request) =>
      objectById(ctx.engine.config, 'sources', request.params.sourceId).provisioningPolicies.map(
        provisioningPolicyV3Json,
      ),
  )

  api.get(
    '/v3/sources/:sourceId/provisioning-policies/:usageType',
    { schema: { params: policyParams } },
    async (request) => {
      const { sourceId, usageType } = request.params
      const source = objectById(ctx.engine.config, 'sources', sourceId)
      const policy = source.provisioningPolicies.find((p) => p.usageType === usageType)
      if (!policy) throw new NotFoundError(`source "${source.name}" has no ${usageType} provisioning policy`)
      return provisioningPolicyV3Json(policy)
    },
  )

  // Replaces the policy of this usage type, or adds it: the source is written with its other fields as they are.
  api.put(
    '/v3/sources/:sourceId/provisioning-policies/:usageType',
    { schema: { params: policyParams, body: policyBody } },
    async (request) => {
      const { sourceId, usageType } = request.params
      const body = request.body
      refuse(
        body.usageType !== undefined && body.usageType !== usageType
          ? [{ path: 'body.usageType', message: `must be ${usageType}, the usage type of the path` }]
          : [],
      )
      const source = objectById(ctx.engine.config, 'sources', sourceId)
      const raw = (await rawConfigObject(ctx.engine, 'sources', sourceId))?.value ?? source
      const policies = Array.isArray(raw['provisioningPolicies'])
        ? [...(raw['provisioningPolicies'] as Record<string, unknown>[])]
        : []
      const index = policies.findIndex((p) => p['usageType'] === usageType)
      const current = source.provisioningPolicies.find((p) => p.usageType === usageType)
      const given = { ...body, usageType }
      // Sent back as it was read: the policy's YAML stays as written.
      if (!current || !deepEqual(given, provisioningPolicyV3Json(current))) {
        const policy = {
          name: body.name ?? `${source.name} ${usageType}`,
          ...(body.description != null ? { description: body.description } : {}),
          usageType,
          fields: body.fields ?? [],
        }
        if (index >= 0) policies[index] = policy
        else policies.push(policy)
      }
      const at = index >= 0 ? index : policies.length - 1
      const { value } = await writeObject(
        ctx,
        request,
        'sources',
        { ...raw, provisioningPolicies: policies, id: sourceId },
        { action: 'PROVISIONING_POLICY_UPDATED', targetType: 'SOURCE', before: source },
        (path) => {
          const m = /^provisioningPolicies\[(\d+)\]\.?(.*)$/.exec(path)
          if (!m || Number(m[1]) !== at) return `body.${path}`
          return m[2] ? `body.${m[2]}` : 'body'
        },
      )
      const written = value.provisioningPolicies.find((p) => p.usageType === usageType)
      return written ? provisioningPolicyV3Json(written) : null
    },
  )

  api.get(
    '/v3/sources/:sourceId/schemas',
    {
      schema: {
        params: sourceParams,
        querystring: z.strictObject({
          'include-types': z.enum(['group', 'user']).optional(),
          'include-names': z.string().max(1024).optional(),
        }),
      },
    },
    async (request) => {
      const source = objectById(ctx.engine.config, 'sources', request.params.sourceId)
      const names = request.query['include-names']?.split(',').map((n) => n.trim())
      const type = request.query['include-types']
      // Provisio's account schema is the one named `account`; any other is an entitlement (group) schema.
      return source.schemas
        .filter((s) => type === undefined || (type === 'group') === (s.name !== 'account'))
        .filter((s) => names === undefined || names.includes(s.name))
        .map((s) => schemaV3Json(source, s))
    },
  )

  api.get('/v3/sources/:sourceId/source-health', { schema: { params: sourceParams } }, async (request) => {
    const source = objectById(ctx.engine.config, 'sources', request.params.sourceId)
    return sourceHealthV3Json(source, await sourceHealth(ctx.engine, source.name))
  })
}
