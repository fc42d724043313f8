import { z } from 'zod'
import { reprocessIdentities } from '../../../engine/reprocess-identities.js'
import { setLifecycleState } from '../../../engine/set-lifecycle-state.js'
import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'

const identityParams = z.strictObject({ identityId: z.string().min(1).max(256) })
const profileParams = z.strictObject({ identityProfileId: z.string().min(1).max(256) })
const lifecycleBody = z.strictObject({ lifecycleStateId: z.string().min(1).max(256) })

/**
 * An identity's lifecycle state set by hand (`POST /v3/identities/{id}/set-lifecycle-state`, also under
 * v2024), and an identity profile's identities processed again (`process-identities`).
 */
export function lifecycleRoutes(api: Api, ctx: ApiContext): void {
  for (const version of ['v3', 'v2024']) {
    api.post(
      `/${version}/identities/:identityId/set-lifecycle-state`,
      { schema: { params: identityParams, body: lifecycleBody } },
      async (request) => {
        const set = await setLifecycleState(
          ctx.engine,
          request.params.identityId,
          request.body.lifecycleStateId,
        )
        request.auditDetail = {
          action: 'set lifecycle state',
          targetType: 'IDENTITY',
          targetId: set.identity.id,
          targetName: set.identity.name,
          before: { lifecycleState: set.before.lifecycleState },
          after: { lifecycleState: set.identity.lifecycleState, activityIds: set.activityIds },
        }
        // The reference names one activity; Provisio writes one per account the state acts on.
        return {
          ...(set.activityIds[0] !== undefined ? { accountActivityId: set.activityIds[0] } : {}),
          accountActivityIds: set.activityIds,
          lifecycleState: set.state.technicalName,
        }
      },
    )
  }

  api.post(
    '/v3/identity-profiles/:identityProfileId/process-identities',
    { schema: { params: profileParams } },
    async (request, reply) => {
      const { identityIds, result } = await reprocessIdentities(ctx.engine, {
        identityProfile: request.params.identityProfileId,
      })
      request.auditDetail = {
        action: 'process identities',
        targetType: 'IDENTITY_PROFILE',
        targetId: request.params.identityProfileId,
        after: { identities: identityIds.length, runId: result.runId },
      }
      return reply.status(202).send({ id: result.runId, identities: identityIds.length })
    },
  )
}
