import { z } from 'zod'
import { MAX_PREVIEW, previewRevocations } from '../../engine/certifications/preview-revocations.js'
import type { ApiContext } from '../api-context.js'
import type { Api } from '../build-api.js'
import { actorOf } from '../v3/access-requests/access-request-routes.js'

const idParams = z.strictObject({ id: z.string().min(1).max(256) })
const previewBody = z
  .strictObject({
    itemIds: z
      .array(z.string().min(1).max(256))
      .min(1)
      .max(MAX_PREVIEW, `at most ${MAX_PREVIEW} items`)
      .optional(),
  })
  .optional()

/**
 * `POST /provisio/v1/certifications/{id}/revocation-preview`: what revoking each item (those named, or the
 * certification's first page) would do if signed off now, as the planner sees it; nothing is written.
 */
export function revocationPreviewRoutes(api: Api, ctx: ApiContext): void {
  api.post(
    '/provisio/v1/certifications/:id/revocation-preview',
    { schema: { params: idParams, body: previewBody } },
    async (request) =>
      previewRevocations(ctx.engine, actorOf(request), request.params.id, request.body?.itemIds),
  )
}
