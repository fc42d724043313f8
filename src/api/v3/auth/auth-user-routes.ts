import { z } from 'zod'
import { InputError } from '../../../domain/errors.js'
import { setCapabilities } from '../../../engine/auth/capability-grants.js'
import { capabilitiesOf } from '../../../engine/auth/identity-capabilities.js'
import { ConfigRepository } from '../../../engine/config/config-repository.js'
import { findIdentity } from '../../../engine/queries/get-identity.js'
import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import { applyJsonPatch, jsonPatchBody } from '../../http/json-patch.js'
import { authUserJson } from '../../presenters/auth-user-json.js'

const idParams = z.strictObject({ id: z.string().min(1).max(256) })

/**
 * `/v3/auth-users/{id}` (and `/v2024`): an identity as a user of Provisio, with its capabilities; a JSON
 * Patch of `/capabilities` grants and revokes them, written to `provisio.yaml` and published.
 */
export function authUserRoutes(api: Api, ctx: ApiContext): void {
  const present = async (idOrName: string): Promise<object> => {
    const identity = await findIdentity(ctx.engine, idOrName)
    return authUserJson(identity, ctx.engine.config.settings.name, capabilitiesOf(ctx.engine, identity))
  }
  for (const base of ['/v3', '/v2024']) {
    api.get(`${base}/auth-users/:id`, { schema: { params: idParams } }, async (request) =>
      present(request.params.id),
    )

    api.patch(
      `${base}/auth-users/:id`,
      { schema: { params: idParams, body: jsonPatchBody } },
      async (request) => {
        const identity = await findIdentity(ctx.engine, request.params.id)
        const before = capabilitiesOf(ctx.engine, identity)
        const outside = request.body.filter(
          (op) => op.path !== '/capabilities' && !op.path.startsWith('/capabilities/'),
        )
        if (outside.length > 0) {
          throw new InputError(
            `only /capabilities can be changed here, not ${outside.map((op) => op.path).join(', ')}`,
          )
        }
        const patched = applyJsonPatch({ capabilities: before }, request.body)
        if (
          !Array.isArray(patched.capabilities) ||
          !patched.capabilities.every((c) => typeof c === 'string')
        ) {
          throw new InputError('capabilities: a list of capability names')
        }
        const change = await setCapabilities(
          ctx.engine,
          new ConfigRepository(ctx.engine.config.dir),
          identity.id,
          patched.capabilities,
        )
        await ctx.engine.reconfigure(change.workspace.config)
        request.auditDetail = {
          action: 'CAPABILITIES_CHANGED',
          targetType: 'IDENTITY',
          targetId: identity.id,
          targetName: identity.name,
          before: { capabilities: before },
          after: { capabilities: change.capabilities },
        }
        return present(identity.id)
      },
    )
  }
}
