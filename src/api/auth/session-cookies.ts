import type { FastifyReply, FastifyRequest } from 'fastify'
import type { NewSession } from '../../engine/auth/sessions.js'

/** The session cookie: httpOnly (no script reads it), holding the session's secret. */
export const SESSION_COOKIE = 'provisio_session'
/**
 * The session's CSRF token, readable by the page's script (not httpOnly) so that a reloaded page can
 * send it in X-CSRF-Token; another site can neither read it nor set it.
 */
export const CSRF_COOKIE = 'provisio_csrf'
/** An OpenID Connect sign-in under way in this browser (its state is in the store). */
export const OIDC_FLOW_COOKIE = 'provisio_oidc_flow'
export const OIDC_COOKIE_PATH = '/provisio/v1/auth/oidc'

/** The header a cookie-signed-in request that changes something carries its CSRF token in. */
export const CSRF_HEADER = 'x-csrf-token'

/**
 * Cookies are Secure when the request came over https (directly, or through a trusted proxy's
 * X-Forwarded-Proto), SameSite=Strict: the browser sends them on no request another site starts.
 */
function base(request: FastifyRequest): { path: string; secure: boolean; sameSite: 'strict' } {
  return { path: '/', secure: request.protocol === 'https', sameSite: 'strict' }
}

export function setSessionCookies(request: FastifyRequest, reply: FastifyReply, session: NewSession): void {
  const expires = new Date(session.expires)
  void reply.setCookie(SESSION_COOKIE, session.secret, { ...base(request), httpOnly: true, expires })
  void reply.setCookie(CSRF_COOKIE, session.csrfToken, { ...base(request), httpOnly: false, expires })
}

export function clearSessionCookies(request: FastifyRequest, reply: FastifyReply): void {
  void reply.clearCookie(SESSION_COOKIE, { ...base(request), httpOnly: true })
  void reply.clearCookie(CSRF_COOKIE, { ...base(request), httpOnly: false })
}

/**
 * The flow cookie must come back on the provider's redirect to the callback, a navigation another site
 * starts: SameSite=Lax (sent on top-level GET navigations), not Strict.
 */
export function setOidcFlowCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  flowSecret: string,
  maxAgeSeconds: number,
): void {
  void reply.setCookie(OIDC_FLOW_COOKIE, flowSecret, {
    path: OIDC_COOKIE_PATH,
    secure: request.protocol === 'https',
    sameSite: 'lax',
    httpOnly: true,
    maxAge: maxAgeSeconds,
  })
}

export function clearOidcFlowCookie(request: FastifyRequest, reply: FastifyReply): void {
  void reply.clearCookie(OIDC_FLOW_COOKIE, {
    path: OIDC_COOKIE_PATH,
    secure: request.protocol === 'https',
    sameSite: 'lax',
    httpOnly: true,
  })
}
