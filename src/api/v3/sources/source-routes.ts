import { z } from 'zod'
import type { SourceConfig } from '../../../domain/config/config-schemas.js'
import type { FilterFields } from '../../../domain/query/check-filters.js'
import { applyJsonPatch, jsonPatchBody } from '../../http/json-patch.js'
import { newId } from '../../../domain/new-id.js'
import { rawConfigObject } from '../../../engine/config/change-config.js'
import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import { collectionQuery } from '../../http/collection-query.js'
import { parseRequest } from '../../http/request-problems.js'
import { sourceV3Json } from '../../presenters/source-v3-json.js'
import { loadConfigRefs } from '../config-objects/config-refs.js'
import { checkNew, objectById, removeObject, writeObject } from '../config-objects/config-writes.js'
import { listPresented } from '../config-objects/list-presented.js'
import { readSourceBody, sourceBody, sourceBodyPath } from './source-body.js'

const idParams = z.strictObject({ id: z.string().min(1).max(256) })

const TEXT = ['eq', 'ne', 'in', 'sw', 'pr', 'isnull'] as const
/** What `filters` of /v3/sources can name: the reference's fields that Provisio's sources have. */
const SOURCE_FILTERS: FilterFields<
  | 'id'
  | 'name'
  | 'type'
  | 'owner.id'
  | 'owner.name'
  | 'features'
  | 'description'
  | 'authoritative'
  | 'connectionType'
  | 'connectorName'
> = {
  id: { type: 'string', operators: [...TEXT, 'gt', 'lt', 'ge', 'le'] },
  name: { type: 'string', operators: [...TEXT, 'co', 'gt', 'ge'], caseInsensitive: true },
  type: { type: 'string', operators: TEXT },
  'owner.id': { type: 'string', operators: TEXT },
  'owner.name': { type: 'string', operators: TEXT, caseInsensitive: true },
  features: { type: 'string', operators: ['co', 'eq'] },
  description: { type: 'string', operators: ['eq', 'sw', 'co'], caseInsensitive: true },
  authoritative: { type: 'boolean', operators: ['eq', 'ne', 'isnull'] },
  connectionType: { type: 'string', operators: TEXT },
  connectorName: { type: 'string', operators: TEXT },
}
const SOURCE_SORTERS = [
  'id',
  'name',
  'type',
  'owner.id',
  'owner.name',
  'description',
  'authoritative',
  'connectionType',
  'connectorName',
] as const

/** The configured sources in the v3 shape, owners resolved in the store. */
export async function presentSources(
  ctx: ApiContext,
  sources: readonly SourceConfig[],
): Promise<Record<string, unknown>[]> {
  const refs = await loadConfigRefs(
    ctx,
    sources.map((s) => s.owner),
  )
  return sources.map((s) => sourceV3Json(s, refs))
}

/** The source being changed: as its file says it, and as GET shows it (what PUT and PATCH bodies compare with). */
async function existingSource(ctx: ApiContext, id: string) {
  const source = objectById(ctx.engine.config, 'sources', id)
  const raw = await rawConfigObject(ctx.engine, 'sources', id)
  const [presented] = await presentSources(ctx, [source])
  return { source, raw: raw?.value ?? source, presented: presented as Record<string, unknown> }
}

/** `/v3/sources`: list, get, create, replace, patch and delete configured sources. */
export function sourceRoutes(api: Api, ctx: ApiContext): void {
  api.get('/v3/sources', { schema: { querystring: collectionQuery } }, async (request, reply) => {
    const presented = await presentSources(
      ctx,
      ctx.engine.config.sources.map((s) => s.value),
    )
    return listPresented(reply, presented, request.query, SOURCE_FILTERS, SOURCE_SORTERS)
  })

  api.get('/v3/sources/:id', { schema: { params: idParams } }, async (request) => {
    const [presented] = await presentSources(ctx, [
      objectById(ctx.engine.config, 'sources', request.params.id),
    ])
    return presented
  })

  api.post(
    '/v3/sources',
    {
      schema: {
        body: sourceBody,
        querystring: z.strictObject({ provisionAsCsv: z.enum(['true', 'false']).optional() }),
      },
    },
    async (request, reply) => {
      const body =
        request.query.provisionAsCsv === 'true'
          ? { ...request.body, connector: 'delimited-file', connectionType: 'file' as const }
          : request.body
      const object = readSourceBody(body, undefined)
      checkNew(ctx.engine.config, 'sources', { id: body.id, name: body.name })
      const { value } = await writeObject(
        ctx,
        request,
        'sources',
        object,
        { action: 'SOURCE_CREATED', targetType: 'SOURCE' },
        sourceBodyPath,
      )
      const [presented] = await presentSources(ctx, [value])
      return reply.status(201).send(presented)
    },
  )

  api.put('/v3/sources/:id', { schema: { params: idParams, body: sourceBody } }, async (request) => {
    const existing = await existingSource(ctx, request.params.id)
    const object = { ...readSourceBody(request.body, existing), id: request.params.id }
    return updated(request, existing.source, object)
  })

  api.patch('/v3/sources/:id', { schema: { params: idParams, body: jsonPatchBody } }, async (request) => {
    const existing = await existingSource(ctx, request.params.id)
    const body = parseRequest(sourceBody, applyJsonPatch(existing.presented, request.body))
    const object = { ...readSourceBody(body, existing), id: request.params.id }
    return updated(request, existing.source, object)
  })

  const updated = async (
    request: Parameters<typeof writeObject>[1],
    before: SourceConfig,
    object: Record<string, unknown>,
  ): Promise<unknown> => {
    const { value } = await writeObject(
      ctx,
      request,
      'sources',
      object,
      { action: 'SOURCE_UPDATED', targetType: 'SOURCE', before },
      sourceBodyPath,
    )
    const [presented] = await presentSources(ctx, [value])
    return presented
  }

  // The reference deletes a source in a task (202 with its id); Provisio's removal is done when it answers.
  api.delete('/v3/sources/:id', { schema: { params: idParams } }, async (request, reply) => {
    await removeObject(ctx, request, 'sources', request.params.id, {
      action: 'SOURCE_DELETED',
      targetType: 'SOURCE',
    })
    return reply.status(202).send({ type: 'TASK_RESULT', id: newId() })
  })
}
