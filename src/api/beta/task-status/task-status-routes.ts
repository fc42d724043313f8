import { z } from 'zod'
import { getTask } from '../../../engine/queries/list-tasks.js'
import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import { taskStatusJson } from '../../presenters/task-status-json.js'

const idParams = z.strictObject({ id: z.string().min(1).max(256) })

/** `GET /beta/task-status/{id}` and v2024's: an asynchronous task's status (a source aggregation's). */
export function taskStatusRoutes(api: Api, ctx: ApiContext): void {
  for (const version of ['beta', 'v2024']) {
    api.get(`/${version}/task-status/:id`, { schema: { params: idParams } }, async (request) =>
      taskStatusJson(await getTask(ctx.engine, request.params.id)),
    )
  }
}
