import { newOpaqueToken, tokenHash } from '../../domain/auth/opaque-token.js'
import { DEFAULT_SCOPES } from '../../domain/auth/capabilities.js'
import { requestedScopes } from '../../domain/auth/scopes.js'
import { AuthenticationError } from '../../domain/errors.js'
import { findIdentity } from '../../store/identities.js'
import {
  findSession,
  insertRefreshToken,
  revokeSession,
  useRefreshToken,
} from '../../store/sign-in-sessions.js'
import type { EngineContext } from '../engine-context.js'
import { capabilitiesOf } from './identity-capabilities.js'
import { isOpen, touch } from './sessions.js'
import { SESSION_CLIENT_PREFIX, signAccessToken, type TokenResponse } from './tokens.js'

type Env = Readonly<Record<string, string | undefined>>

const BAD_REFRESH_TOKEN = 'invalid refresh token'

/**
 * The refresh token grant: a session's refresh token for an access token of that session and the next
 * refresh token. Each refresh token is used once; a second use means it was copied, and ends the whole
 * session (OAuth 2.0 Security BCP, refresh token rotation). The session must be open, and the grant
 * counts as its use.
 */
export async function refreshSessionToken(
  ctx: EngineContext,
  refreshToken: string,
  env: Env = process.env,
  scope?: string,
): Promise<TokenResponse & { readonly refresh_token: string; readonly client_id: string }> {
  // A session holds every scope; a narrower token may be asked for (RFC 6749 §6). Checked before the
  // refresh token is used up.
  const scopes = requestedScopes(DEFAULT_SCOPES, scope)
  const now = ctx.now()
  const used =
    refreshToken.length > 256 ? undefined : await useRefreshToken(ctx.db, tokenHash(refreshToken), now)
  if (!used) throw new AuthenticationError(BAD_REFRESH_TOKEN)
  if (used.replayed) {
    await revokeSession(ctx.db, used.sessionId, now)
    throw new AuthenticationError('this refresh token was used before: its session is ended, sign in again')
  }
  const session = await findSession(ctx.db, used.sessionId)
  const identity = session ? await findIdentity(ctx.db, session.identityId) : undefined
  if (!session || !identity || !isOpen(session, now)) {
    throw new AuthenticationError('the session of this refresh token has ended: sign in again')
  }
  await touch(ctx, session)
  const next = newOpaqueToken()
  await insertRefreshToken(ctx.db, tokenHash(next), session.id, now)
  const token = await signAccessToken(
    ctx,
    {
      clientId: `${SESSION_CLIENT_PREFIX}${session.id}`,
      identityId: identity.id,
      authorities: capabilitiesOf(ctx, identity),
      scopes,
    },
    env,
  )
  return { ...token, refresh_token: next, client_id: `${SESSION_CLIENT_PREFIX}${session.id}` }
}
