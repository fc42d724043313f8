import { z } from 'zod'
import { CAPABILITIES } from '../../../domain/auth/capabilities.js'
import { InputError, NotFoundError } from '../../../domain/errors.js'
import {
  createApiClient,
  getCredential,
  listCredentials,
  revokeCredential,
  type ApiCredential,
} from '../../../engine/auth/credentials.js'
import { tokenSeconds } from '../../../engine/auth/token-lifetime.js'
import type { Principal } from '../../../engine/auth/tokens.js'
import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import { refuseWiderScopes } from '../../http/refuse-wider-scopes.js'
import { oauthClientV3Json } from '../../presenters/credential-v3-json.js'

/**
 * The reference's create body. Provisio's API clients use the client-credentials grant only, and carry
 * `capabilities` of their own (Provisio's addition: an API client has no identity to take them from).
 */
const createBody = z.strictObject({
  name: z.string().min(1).max(128),
  description: z.string().max(1024).nullable().optional(),
  businessName: z.string().max(256).nullable().optional(),
  homepageUrl: z.string().max(1024).nullable().optional(),
  accessTokenValiditySeconds: z.number().int().optional(),
  refreshTokenValiditySeconds: z.number().int().nullable().optional(),
  redirectUris: z.array(z.string()).nullable().optional(),
  grantTypes: z.array(z.enum(['CLIENT_CREDENTIALS', 'AUTHORIZATION_CODE', 'REFRESH_TOKEN'])).min(1),
  accessType: z.enum(['ONLINE', 'OFFLINE']),
  type: z.enum(['CONFIDENTIAL', 'PUBLIC']).nullable().optional(),
  internal: z.boolean().optional(),
  enabled: z.literal(true, { error: 'enabled: a new API client is enabled; revoke it to disable it' }),
  strongAuthSupported: z.boolean().optional(),
  claimsSupported: z.boolean().optional(),
  scope: z.array(z.string().min(1).max(128)).max(50).nullable().optional(),
  capabilities: z.array(z.enum(CAPABILITIES)).max(CAPABILITIES.length).default([]),
})
const idParams = z.strictObject({ id: z.string().min(1).max(256) })

/** `/beta/oauth-clients` (and `/v3`): API clients — list, get, create (secret in this answer only), delete. */
export function oauthClientRoutes(api: Api, ctx: ApiContext): void {
  const present = (c: ApiCredential): object =>
    oauthClientV3Json(c, tokenSeconds(ctx.engine), ctx.engine.config.settings.name)
  const apiClient = async (id: string): Promise<ApiCredential> => {
    const found = await getCredential(ctx.engine, id).catch(() => undefined)
    if (found?.kind !== 'API_CLIENT' || found.revoked !== null) {
      throw new NotFoundError(`no API client with id "${id}"`)
    }
    return found
  }
  for (const base of ['/beta', '/v3']) {
    api.get(`${base}/oauth-clients`, async () => {
      const rows = await listCredentials(ctx.engine)
      return rows.filter((c) => c.kind === 'API_CLIENT' && c.revoked === null).map(present)
    })

    api.get(`${base}/oauth-clients/:id`, { schema: { params: idParams } }, async (request) =>
      present(await apiClient(request.params.id)),
    )

    api.post(`${base}/oauth-clients`, { schema: { body: createBody } }, async (request) => {
      const body = request.body
      refuseWiderScopes(request.principal as Principal, body.scope)
      const unsupported = body.grantTypes.filter((g) => g !== 'CLIENT_CREDENTIALS')
      if (unsupported.length > 0) {
        throw new InputError(
          `grantTypes: ${unsupported.join(', ')} not supported: an API client uses CLIENT_CREDENTIALS (people sign in instead)`,
        )
      }
      const created = await createApiClient(ctx.engine, {
        name: body.name,
        capabilities: body.capabilities,
        ...(body.scope != null && body.scope.length > 0 ? { scopes: body.scope } : {}),
      })
      const stored = await apiClient(created.clientId)
      request.auditDetail = {
        action: 'API_CLIENT_CREATED',
        targetType: 'API_CLIENT',
        targetId: stored.clientId,
        targetName: stored.name,
        after: { name: stored.name, capabilities: stored.capabilities, scope: stored.scopes },
      }
      return { ...present(stored), secret: created.clientSecret }
    })

    api.delete(`${base}/oauth-clients/:id`, { schema: { params: idParams } }, async (request, reply) => {
      const found = await apiClient(request.params.id)
      await revokeCredential(ctx.engine, found.clientId)
      request.auditDetail = {
        action: 'API_CLIENT_REVOKED',
        targetType: 'API_CLIENT',
        targetId: found.clientId,
        targetName: found.name,
        before: { capabilities: found.capabilities },
      }
      return reply.status(204).send()
    })
  }
}
