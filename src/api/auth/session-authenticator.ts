import type { EngineContext } from '../../engine/engine-context.js'
import { checkCsrfToken, requireLiveSession } from '../../engine/auth/sessions.js'
import type { Authenticator } from '../http/authenticate.js'
import { CSRF_HEADER, SESSION_COOKIE } from './session-cookies.js'

/** Methods that change nothing: the only ones a cookie-signed-in request may make without its CSRF token. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * A browser session: the session cookie, for a session that is open (else 401: it ended or expired).
 * A request that changes something must also carry the session's CSRF token in X-CSRF-Token (else 403):
 * the browser sends the cookie on any request to this server, the token only the page that signed in
 * has. A request with a bearer token is recognised before this one and needs no CSRF token.
 */
export function sessionAuthenticator(ctx: () => EngineContext): Authenticator {
  return async (request) => {
    const secret = request.cookies[SESSION_COOKIE]
    if (secret === undefined || secret === '') return null
    const live = await requireLiveSession(ctx(), secret)
    if (!SAFE_METHODS.has(request.method)) {
      const header = request.headers[CSRF_HEADER]
      checkCsrfToken(live.session, Array.isArray(header) ? undefined : header)
    }
    return live.principal
  }
}
