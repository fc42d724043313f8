import { z } from 'zod'
import { SignInLockedError } from '../../domain/auth/sign-in-locked-error.js'
import { AuthenticationError, InputError } from '../../domain/errors.js'
import {
  checkCsrfToken,
  endSession,
  findLiveSession,
  findSessionById,
  newSessionPrincipal,
} from '../../engine/auth/sessions.js'
import { signInWithPassword } from '../../engine/auth/sign-in.js'
import { SESSION_CLIENT_PREFIX } from '../../engine/auth/tokens.js'
import { findIdentityOrNone } from '../../engine/queries/get-identity.js'
import type { ApiContext } from '../api-context.js'
import type { Api } from '../build-api.js'
import { RateLimitedError } from '../http/error-response.js'
import { sessionJson, signInJson } from '../presenters/session-json.js'
import { clearSessionCookies, CSRF_HEADER, SESSION_COOKIE, setSessionCookies } from './session-cookies.js'

const signInBody = z.strictObject({
  /** The identity's name. */
  username: z.string().min(1).max(256),
  password: z.string().min(1).max(1024),
})

/**
 * `/provisio/v1/auth/login`, `logout` and `session`: signing in with a password, signing out, and who
 * the caller is (a session or a bearer token).
 */
export function signInRoutes(api: Api, ctx: ApiContext): void {
  api.post('/provisio/v1/auth/login', { schema: { body: signInBody } }, async (request, reply) => {
    // A form another site posts could sign the browser in as someone else (login CSRF): JSON only,
    // which a page of another site cannot send here without this server's consent (CORS).
    if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) {
      throw new InputError('a sign-in is posted as JSON (Content-Type: application/json)')
    }
    const { username, password } = request.body
    void reply.header('cache-control', 'no-store')
    try {
      const session = await signInWithPassword(ctx.engine, { username, password, sourceAddress: request.ip })
      request.principal = newSessionPrincipal(session)
      request.auditDetail = {
        action: 'SIGN_IN',
        targetType: 'IDENTITY',
        targetId: session.identity.id,
        targetName: session.identity.name,
        after: { method: 'PASSWORD', session: session.id },
      }
      setSessionCookies(request, reply, session)
      return signInJson(session)
    } catch (err) {
      const locked = err instanceof SignInLockedError
      request.auditDetail = {
        action: locked ? 'SIGN_IN_LOCKED' : 'SIGN_IN_FAILED',
        targetType: 'IDENTITY',
        targetName: username.slice(0, 128),
      }
      if (locked) throw new RateLimitedError(err.message, err.retryAfterSeconds)
      throw err
    }
  })

  api.post('/provisio/v1/auth/logout', async (request, reply) => {
    const secret = request.cookies[SESSION_COOKIE]
    const live = secret === undefined ? undefined : await findLiveSession(ctx.engine, secret)
    if (live) {
      const header = request.headers[CSRF_HEADER]
      checkCsrfToken(live.session, Array.isArray(header) ? undefined : header)
      await endSession(ctx.engine, live.session.id)
      request.principal = live.principal
      request.auditDetail = {
        action: 'SIGN_OUT',
        targetType: 'IDENTITY',
        targetId: live.identity.id,
        targetName: live.identity.name,
        after: { session: live.session.id },
      }
    }
    // Signing out of a session that ended already still clears the browser's cookies.
    clearSessionCookies(request, reply)
    return reply.status(204).send()
  })

  api.get('/provisio/v1/auth/session', async (request) => {
    const principal = request.principal
    if (principal === null) throw new AuthenticationError('not signed in')
    const identity =
      principal.identityId === null ? undefined : await findIdentityOrNone(ctx.engine, principal.identityId)
    const session = principal.clientId.startsWith(SESSION_CLIENT_PREFIX)
      ? await findSessionById(ctx.engine, principal.clientId.slice(SESSION_CLIENT_PREFIX.length))
      : undefined
    return {
      clientId: principal.clientId,
      identity: identity ? { id: identity.id, name: identity.name } : null,
      capabilities: principal.capabilities,
      scopes: principal.scopes,
      session: session ? sessionJson(session) : null,
    }
  })
}
