import { z } from 'zod'
import { createInvitation, describeInvitation, acceptInvitation } from '../../engine/auth/invitations.js'
import { setIdentityPassword, type PasswordChange } from '../../engine/auth/passwords.js'
import { endIdentitySessions } from '../../engine/auth/sessions.js'
import type { ApiContext } from '../api-context.js'
import type { Api } from '../build-api.js'

const identityParams = z.strictObject({ id: z.string().min(1).max(256) })
const tokenParams = z.strictObject({ token: z.string().min(1).max(256) })
const passwordBody = z.strictObject({ password: z.string().min(1).max(1024) })
const invitationBody = z.strictObject({ hours: z.number().int().min(1).max(720).optional() }).default({})

function changeJson(c: PasswordChange): object {
  return { identity: c.identity, changed: c.changed, changedBy: c.changedBy, sessionsEnded: c.sessionsEnded }
}

/**
 * Local passwords: set by an administrator (`PUT /provisio/v1/identities/:id/password`), or by the person
 * through a one-time invitation link (`POST /provisio/v1/identities/:id/invitations` makes one; the link's
 * `GET` says whom it is for, its `POST` sets the password). A caller who is not ORG_ADMIN may do this only
 * for a person holding no capability the caller lacks.
 */
export function passwordRoutes(api: Api, ctx: ApiContext): void {
  api.put(
    '/provisio/v1/identities/:id/password',
    { schema: { params: identityParams, body: passwordBody } },
    async (request) => {
      const change = await setIdentityPassword(ctx.engine, {
        identity: request.params.id,
        password: request.body.password,
        ...(request.principal ? { actor: request.principal } : {}),
      })
      request.auditDetail = {
        action: 'PASSWORD_SET',
        targetType: 'IDENTITY',
        targetId: change.identity.id,
        targetName: change.identity.name,
        after: { changedBy: change.changedBy, sessionsEnded: change.sessionsEnded },
      }
      return changeJson(change)
    },
  )

  api.post(
    '/provisio/v1/identities/:id/invitations',
    { schema: { params: identityParams, body: invitationBody } },
    async (request, reply) => {
      const invitation = await createInvitation(ctx.engine, {
        identity: request.params.id,
        ...(request.body.hours !== undefined ? { hours: request.body.hours } : {}),
        createdBy: request.principal?.clientId ?? 'api',
        ...(request.principal ? { actor: request.principal } : {}),
      })
      // The link is the secret: the audit log says an invitation was made, never its link.
      request.auditDetail = {
        action: 'INVITATION_CREATED',
        targetType: 'IDENTITY',
        targetId: invitation.identity.id,
        targetName: invitation.identity.name,
        after: { expires: invitation.expires },
      }
      void reply.header('cache-control', 'no-store')
      return reply
        .status(201)
        .send({ identity: invitation.identity, url: invitation.url, expires: invitation.expires })
    },
  )

  api.delete(
    '/provisio/v1/identities/:id/sessions',
    { schema: { params: identityParams } },
    async (request) => {
      const ended = await endIdentitySessions(ctx.engine, {
        identity: request.params.id,
        ...(request.principal ? { actor: request.principal } : {}),
      })
      request.auditDetail = {
        action: 'SESSIONS_ENDED',
        targetType: 'IDENTITY',
        targetId: ended.identity.id,
        targetName: ended.identity.name,
        after: { sessionsEnded: ended.sessionsEnded },
      }
      return ended
    },
  )

  api.get('/provisio/v1/auth/invitations/:token', { schema: { params: tokenParams } }, async (request) =>
    describeInvitation(ctx.engine, request.params.token),
  )

  api.post(
    '/provisio/v1/auth/invitations/:token',
    { schema: { params: tokenParams, body: passwordBody } },
    async (request) => {
      try {
        const change = await acceptInvitation(ctx.engine, request.params.token, request.body.password)
        request.auditDetail = {
          action: 'INVITATION_USED',
          targetType: 'IDENTITY',
          targetId: change.identity.id,
          targetName: change.identity.name,
          after: { changedBy: change.changedBy, sessionsEnded: change.sessionsEnded },
        }
        return changeJson(change)
      } catch (err) {
        request.auditDetail = { action: 'INVITATION_REFUSED', targetType: 'INVITATION' }
        throw err
      }
    },
  )
}
