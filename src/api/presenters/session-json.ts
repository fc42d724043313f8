import type { NewSession, StoredSession } from '../../engine/auth/sessions.js'

/** A session as the API shows it (never its secret). */
export function sessionJson(s: StoredSession | NewSession): object {
  return {
    id: s.id,
    method: s.method,
    ...('created' in s ? { created: s.created, lastSeen: s.lastSeen } : {}),
    expires: s.expires,
    idleExpires: s.idleExpires,
  }
}

/**
 * The answer to a sign-in: who, what they may do, the session, its CSRF token (for X-CSRF-Token) and a
 * refresh token (for `POST /oauth/token` with `grant_type=refresh_token`). Shown this once.
 */
export function signInJson(s: NewSession): object {
  return {
    identity: s.identity,
    capabilities: s.capabilities,
    session: sessionJson(s),
    csrfToken: s.csrfToken,
    refreshToken: s.refreshToken,
  }
}
