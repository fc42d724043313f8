import { z } from 'zod'
import { ForbiddenError, InputError, NotFoundError } from '../../../domain/errors.js'
import {
  createPersonalAccessToken,
  getCredential,
  listCredentials,
  revokeCredential,
  type ApiCredential,
} from '../../../engine/auth/credentials.js'
import { tokenSeconds } from '../../../engine/auth/token-lifetime.js'
import { findIdentity, findIdentityOrNone } from '../../../engine/queries/get-identity.js'
import type { Principal } from '../../../engine/auth/tokens.js'
import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import { refuseWiderScopes } from '../../http/refuse-wider-scopes.js'
import { holdsAny } from '../../http/route-access.js'
import { personalAccessTokenV3Json } from '../../presenters/credential-v3-json.js'

const createBody = z.strictObject({
  name: z.string().min(1).max(128),
  scope: z.array(z.string().min(1).max(128)).max(50).nullable().optional(),
  accessTokenValiditySeconds: z.number().int().nullable().optional(),
  expirationDate: z.string().nullable().optional(),
})
const listQuery = z.strictObject({
  'owner-id': z.string().min(1).max(256).optional(),
  filters: z.string().optional(),
})
const idParams = z.strictObject({ id: z.string().min(1).max(256) })

/** Who may see or revoke others' tokens: an administrator of the tenant or of its help desk. */
const ADMIN = ['HELPDESK'] as const

function isAdmin(p: Principal): boolean {
  return holdsAny(p.capabilities, ADMIN)
}

/** The caller's own identity, which a personal access token is made for. */
function ownIdentity(p: Principal): string {
  if (p.identityId === null) {
    throw new ForbiddenError('an API client has no identity to own a personal access token')
  }
  return p.identityId
}

/**
 * `/beta/personal-access-tokens` (and `/v3`): a person's own tokens — list, create (the secret is in
 * this answer only), revoke. An administrator (ORG_ADMIN, HELPDESK) lists anyone's with `owner-id` and
 * revokes anyone's.
 */
export function personalAccessTokenRoutes(api: Api, ctx: ApiContext): void {
  const present = async (c: ApiCredential): Promise<object> => {
    const owner =
      c.ownerIdentityId === null ? undefined : await findIdentityOrNone(ctx.engine, c.ownerIdentityId)
    return personalAccessTokenV3Json(c, owner ?? null, tokenSeconds(ctx.engine))
  }
  for (const base of ['/beta', '/v3']) {
    api.get(`${base}/personal-access-tokens`, { schema: { querystring: listQuery } }, async (request) => {
      const principal = request.principal as Principal
      if (request.query.filters !== undefined) {
        throw new InputError('filters are not supported on personal access tokens')
      }
      const wanted = request.query['owner-id']
      if (wanted !== undefined && wanted !== principal.identityId && !isAdmin(principal)) {
        throw new ForbiddenError("another identity's tokens need ORG_ADMIN or HELPDESK")
      }
      const owner =
        wanted ?? (isAdmin(principal) && principal.identityId === null ? undefined : ownIdentity(principal))
      const rows = await listCredentials(ctx.engine, owner === undefined ? {} : { owner })
      const inUse = rows.filter((c) => c.kind === 'PERSONAL_ACCESS_TOKEN' && c.revoked === null)
      return Promise.all(inUse.map(present))
    })

    api.post(`${base}/personal-access-tokens`, { schema: { body: createBody } }, async (request) => {
      const principal = request.principal as Principal
      const me = await findIdentity(ctx.engine, ownIdentity(principal))
      const body = request.body
      refuseWiderScopes(principal, body.scope)
      const created = await createPersonalAccessToken(ctx.engine, {
        identity: me.id,
        name: body.name,
        ...(body.scope != null && body.scope.length > 0 ? { scopes: body.scope } : {}),
        ...(body.expirationDate != null ? { expirationDate: body.expirationDate } : {}),
      })
      const stored = await getCredential(ctx.engine, created.clientId)
      request.auditDetail = {
        action: 'PERSONAL_ACCESS_TOKEN_CREATED',
        targetType: 'PERSONAL_ACCESS_TOKEN',
        targetId: stored.clientId,
        targetName: stored.name,
        after: { name: stored.name, owner: me.id, scope: stored.scopes },
      }
      return { ...(await present(stored)), secret: created.clientSecret }
    })

    api.delete(
      `${base}/personal-access-tokens/:id`,
      { schema: { params: idParams } },
      async (request, reply) => {
        const principal = request.principal as Principal
        const found = await getCredential(ctx.engine, request.params.id).catch(() => undefined)
        if (found?.kind !== 'PERSONAL_ACCESS_TOKEN' || found.revoked !== null) {
          throw new NotFoundError(`no personal access token with id "${request.params.id}"`)
        }
        if (found.ownerIdentityId !== principal.identityId && !isAdmin(principal)) {
          // Someone else's token is not theirs to know about.
          throw new NotFoundError(`no personal access token with id "${request.params.id}"`)
        }
        await revokeCredential(ctx.engine, found.clientId)
        request.auditDetail = {
          action: 'PERSONAL_ACCESS_TOKEN_REVOKED',
          targetType: 'PERSONAL_ACCESS_TOKEN',
          targetId: found.clientId,
          targetName: found.name,
        }
        return reply.status(204).send()
      },
    )
  }
}
