import { z } from 'zod'
import { findSource } from '../../../domain/config/workspace-config.js'
import { ConflictError, InputError, NotFoundError } from '../../../domain/errors.js'
import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import { launcherOf, principalOf } from '../../http/caller.js'
import { loadAccountsJson } from '../../presenters/task-status-json.js'

const idParams = z.strictObject({ id: z.string().min(1).max(256) })

/**
 * `POST /v3/sources/{id}/load-accounts` (and v2024's, where the official client has it): a source
 * aggregation as an asynchronous task on the durable queue, answered 202 with the task; its progress is at
 * `/beta/task-status/{id}`. The task reads the source as configured: an uploaded file is refused. Where
 * no queue runs (the API built without `serve`'s services), 409 says so.
 */
export function loadAccountsRoutes(api: Api, ctx: ApiContext): void {
  for (const version of ['v3', 'v2024']) {
    api.post(
      `/${version}/sources/:id/load-accounts`,
      { schema: { params: idParams } },
      async (request, reply) => {
        const source = findSource(ctx.engine.config, request.params.id)
        if (!source) throw new NotFoundError(`no source with id "${request.params.id}"`)
        const body = request.body
        if (body !== null && typeof body === 'object' && 'file' in body) {
          throw new InputError(
            'file: Provisio reads the source as configured; upload the file to its location instead',
          )
        }
        if (ctx.queueSourceAggregation === undefined) {
          throw new ConflictError('no task queue runs in this process: load-accounts needs `provisio serve`')
        }
        const task = await ctx.queueSourceAggregation(
          source.name,
          await launcherOf(ctx.engine, principalOf(request)),
        )
        request.auditDetail = {
          action: 'load accounts',
          targetType: 'SOURCE',
          targetId: source.id ?? source.name,
          targetName: source.name,
          after: { taskId: task.id },
        }
        return reply.status(202).send(loadAccountsJson(task))
      },
    )
  }
}
