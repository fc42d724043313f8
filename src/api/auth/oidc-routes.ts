import { z } from 'zod'
import { finishOidcSignIn, OIDC_FLOW_SECONDS, startOidcSignIn } from '../../engine/auth/oidc-sign-in.js'
import { newSessionPrincipal } from '../../engine/auth/sessions.js'
import type { ApiContext } from '../api-context.js'
import type { Api } from '../build-api.js'
import {
  clearOidcFlowCookie,
  OIDC_FLOW_COOKIE,
  setOidcFlowCookie,
  setSessionCookies,
} from './session-cookies.js'

const loginQuery = z.strictObject({ returnTo: z.string().max(512).optional() })
/** The provider's answer: code, state, iss, error…; checked by openid-client, bounded here. */
const callbackQuery = z.record(z.string().max(64), z.string().max(4096))

/**
 * Sign-in through the OpenID Connect provider of `signIn.oidc`: `login` sends the browser to the
 * provider, `callback` takes its answer, opens a session (the same cookies as a password sign-in) and
 * sends the browser on to `returnTo`.
 */
export function oidcRoutes(api: Api, ctx: ApiContext): void {
  api.get('/provisio/v1/auth/oidc/login', { schema: { querystring: loginQuery } }, async (request, reply) => {
    const start = await startOidcSignIn(
      ctx.engine,
      request.query.returnTo !== undefined ? { returnTo: request.query.returnTo } : {},
    )
    setOidcFlowCookie(request, reply, start.flowSecret, OIDC_FLOW_SECONDS)
    void reply.header('cache-control', 'no-store')
    return reply.redirect(start.authorizationUrl, 302)
  })

  api.get(
    '/provisio/v1/auth/oidc/callback',
    { schema: { querystring: callbackQuery } },
    async (request, reply) => {
      const flowSecret = request.cookies[OIDC_FLOW_COOKIE]
      clearOidcFlowCookie(request, reply)
      void reply.header('cache-control', 'no-store')
      try {
        const { session, returnTo } = await finishOidcSignIn(ctx.engine, {
          flowSecret,
          query: request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '',
          sourceAddress: request.ip,
        })
        request.principal = newSessionPrincipal(session)
        request.auditDetail = {
          action: 'SIGN_IN',
          targetType: 'IDENTITY',
          targetId: session.identity.id,
          targetName: session.identity.name,
          after: { method: 'OIDC', session: session.id },
        }
        setSessionCookies(request, reply, session)
        return reply.redirect(returnTo, 303)
      } catch (err) {
        request.auditDetail = { action: 'SIGN_IN_FAILED', targetType: 'IDENTITY', after: { method: 'OIDC' } }
        throw err
      }
    },
  )
}
