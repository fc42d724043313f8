import { z } from 'zod'
import type { ConfigFolderName } from '../../../domain/config/config-kinds.js'
import type { ObjectRef } from '../../../domain/config/schema-primitives.js'
import type { WorkspaceConfig } from '../../../domain/config/workspace-config.js'
import { applyJsonPatch, jsonPatchBody } from '../../http/json-patch.js'
import type { FilterFields } from '../../../domain/query/check-filters.js'
import { rawConfigObject } from '../../../engine/config/change-config.js'
import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import { collectionQuery, type CollectionQuery } from '../../http/collection-query.js'
import { parseRequest } from '../../http/request-problems.js'
import type { ConfigRefs } from '../../presenters/config-refs.js'
import { loadConfigRefs } from './config-refs.js'
import { checkNew, objectById, removeObject, writeObject, type BodyPath } from './config-writes.js'
import { listPresented } from './list-presented.js'
import type { Existing } from './read-fields.js'

/** A kind of configuration object's value, as the running configuration holds it. */
export type ConfigValue<F extends ConfigFolderName> = WorkspaceConfig[F][number]['value']

/**
 * A kind of configuration object served as a v3 resource: where it lives, how it is presented and read
 * back, and which of the reference's methods it has (roles and access profiles are changed by JSON Patch,
 * transforms by PUT).
 */
export interface ConfigResource<F extends ConfigFolderName, Filter extends string> {
  readonly folder: F
  /** `/v3/roles` */
  readonly path: string
  /** The audit log's target type and actions (`ROLE`, `ROLE_CREATED`…). */
  readonly targetType: string
  /** The v3 body, strict: an unknown field is a 400 naming it. */
  readonly body: z.ZodType<Record<string, unknown>>
  readonly present: (value: ConfigValue<F>, refs: ConfigRefs) => Record<string, unknown>
  /** The identities the presenter names (owners), looked up once per response. */
  readonly owners: (value: ConfigValue<F>) => readonly (ObjectRef | undefined)[]
  /** The Provisio object a body describes; `existing` when it replaces one. */
  readonly read: (body: Record<string, unknown>, existing: Existing | undefined) => Record<string, unknown>
  readonly filters: FilterFields<Filter>
  readonly sorters: readonly NoInfer<Filter>[]
  /** More query parameters of the list than the collection's. */
  readonly listQuery?: z.ZodObject
  /** Applies the list's own parameters (a transform's `name`). */
  readonly narrow?: (values: ConfigValue<F>[], query: Record<string, unknown>) => ConfigValue<F>[]
  readonly update: 'put' | 'patch'
  readonly bodyPath?: BodyPath
}

const idParams = z.strictObject({ id: z.string().min(1).max(256) })

/** The present-and-read pair of a resource, with owners resolved. */
export async function presentAll<F extends ConfigFolderName>(
  ctx: ApiContext,
  resource: Pick<ConfigResource<F, string>, 'present' | 'owners'>,
  values: readonly ConfigValue<F>[],
): Promise<Record<string, unknown>[]> {
  const refs = await loadConfigRefs(ctx, values.flatMap(resource.owners))
  return values.map((v) => resource.present(v, refs))
}

/** List, get, create, update (PUT or JSON Patch) and delete of one kind of configuration object. */
export function configObjectRoutes<F extends ConfigFolderName, Filter extends string>(
  api: Api,
  ctx: ApiContext,
  resource: ConfigResource<F, Filter>,
): void {
  const { folder, path, targetType } = resource
  const one = async (value: ConfigValue<F>) => (await presentAll(ctx, resource, [value]))[0]
  const existing = async (id: string) => {
    const value = objectById(ctx.engine.config, folder, id)
    const raw = await rawConfigObject(ctx.engine, folder, id)
    return {
      value,
      raw: raw?.value ?? (value as Record<string, unknown>),
      presented: (await one(value)) as Record<string, unknown>,
    }
  }

  api.get(
    path,
    {
      schema: {
        querystring: resource.listQuery ? collectionQuery.extend(resource.listQuery.shape) : collectionQuery,
      },
    },
    async (request, reply) => {
      let values = ctx.engine.config[folder].map((o) => o.value as ConfigValue<F>)
      if (resource.narrow) values = resource.narrow(values, request.query as Record<string, unknown>)
      const presented = await presentAll(ctx, resource, values)
      return listPresented(
        reply,
        presented,
        request.query as CollectionQuery,
        resource.filters,
        resource.sorters,
      )
    },
  )

  api.get(`${path}/:id`, { schema: { params: idParams } }, async (request) =>
    one(objectById(ctx.engine.config, folder, request.params.id)),
  )

  api.post(path, { schema: { body: resource.body } }, async (request, reply) => {
    const body = request.body as Record<string, unknown>
    const object = resource.read(body, undefined)
    checkNew(ctx.engine.config, folder, {
      ...(typeof body['id'] === 'string' ? { id: body['id'] } : {}),
      ...(typeof object['name'] === 'string' ? { name: object['name'] } : {}),
    })
    const { value } = await writeObject(
      ctx,
      request,
      folder,
      object,
      { action: `${targetType}_CREATED`, targetType },
      resource.bodyPath,
    )
    return reply.status(201).send(await one(value))
  })

  const update = async (
    request: Parameters<typeof writeObject>[1],
    id: string,
    body: (presented: Record<string, unknown>) => Record<string, unknown>,
  ): Promise<unknown> => {
    const before = await existing(id)
    const object = { ...resource.read(body(before.presented), before), id }
    const { value } = await writeObject(
      ctx,
      request,
      folder,
      object,
      { action: `${targetType}_UPDATED`, targetType, before: before.value },
      resource.bodyPath,
    )
    return one(value)
  }

  if (resource.update === 'put') {
    api.put(`${path}/:id`, { schema: { params: idParams, body: resource.body } }, async (request) =>
      update(request, request.params.id, () => request.body as Record<string, unknown>),
    )
  } else {
    api.patch(`${path}/:id`, { schema: { params: idParams, body: jsonPatchBody } }, async (request) =>
      update(request, request.params.id, (presented) =>
        parseRequest(resource.body, applyJsonPatch(presented, request.body)),
      ),
    )
  }

  api.delete(`${path}/:id`, { schema: { params: idParams } }, async (request, reply) => {
    await removeObject(ctx, request, folder, request.params.id, {
      action: `${targetType}_DELETED`,
      targetType,
    })
    return reply.status(204).send()
  })
}
