import { randomBytes } from 'node:crypto'
import { DEFAULT_SCOPES, type Capability } from '../../domain/auth/capabilities.js'
import { matchesTokenHash, newOpaqueToken, tokenHash } from '../../domain/auth/opaque-token.js'
import { AuthenticationError, ForbiddenError } from '../../domain/errors.js'
import type { Identity } from '../../domain/model.js'
import { findIdentity } from '../../store/identities.js'
import {
  findSession,
  findSessionBySecret,
  insertRefreshToken,
  insertSession,
  revokeIdentitySessions,
  revokeSession,
  touchSession,
  type SignInMethod,
  type StoredSession,
} from '../../store/sign-in-sessions.js'
import type { EngineContext } from '../engine-context.js'
import { capabilitiesOf } from './identity-capabilities.js'
import { checkMayManageSignIn, findIdentityOrThrow } from './passwords.js'
import { SESSION_CLIENT_PREFIX, type Principal } from './tokens.js'

export type { SignInMethod, StoredSession } from '../../store/sign-in-sessions.js'

/** A session just opened: its secrets are here this once, and stored only as hashes. */
export interface NewSession {
  readonly id: string
  /** The session cookie's value. */
  readonly secret: string
  /** Sent back in X-CSRF-Token with every request that changes something. */
  readonly csrfToken: string
  /** For `POST /oauth/token` with `grant_type=refresh_token`: an access token for this session. */
  readonly refreshToken: string
  readonly identity: { readonly id: string; readonly name: string }
  readonly capabilities: readonly Capability[]
  readonly method: SignInMethod
  readonly expires: string
  readonly idleExpires: string
}

/** A session that is open now, its identity, and the principal requests made with it act as. */
export interface LiveSession {
  readonly session: StoredSession
  readonly identity: Identity
  readonly principal: Principal
}

/** A use of a session is written down at most this often (every request would be a write). */
const TOUCH_EVERY_MS = 30_000

function idleMs(ctx: EngineContext): number {
  return ctx.config.settings.signIn.session.idleMinutes * 60_000
}

/** Opens a session for an identity that proved who it is (a password, an OpenID Connect provider). */
export async function openSession(
  ctx: EngineContext,
  identity: Identity,
  method: SignInMethod,
  sourceAddress: string | null,
): Promise<NewSession> {
  const now = ctx.now()
  const settings = ctx.config.settings.signIn.session
  const expires = new Date(now.getTime() + settings.absoluteHours * 3600_000)
  const idleExpires = new Date(Math.min(now.getTime() + idleMs(ctx), expires.getTime()))
  const id = randomBytes(16).toString('hex')
  const secret = newOpaqueToken()
  const csrfToken = newOpaqueToken()
  const refreshToken = newOpaqueToken()
  await ctx.db.transaction(async (tx) => {
    await insertSession(
      tx,
      {
        id,
        secretHash: tokenHash(secret),
        csrfHash: tokenHash(csrfToken),
        identityId: identity.id,
        method,
        sourceAddress,
        idleExpires,
        expires,
      },
      now,
    )
    await insertRefreshToken(tx, tokenHash(refreshToken), id, now)
  })
  return {
    id,
    secret,
    csrfToken,
    refreshToken,
    identity: { id: identity.id, name: identity.name },
    capabilities: capabilitiesOf(ctx, identity),
    method,
    expires: expires.toISOString(),
    idleExpires: idleExpires.toISOString(),
  }
}

/** Whether a stored session is open at `now`: not ended, not past its absolute end, not idle too long. */
export function isOpen(session: StoredSession, now: Date): boolean {
  const t = now.getTime()
  return session.revoked === null && Date.parse(session.expires) > t && Date.parse(session.idleExpires) > t
}

/** Records a use of an open session: its idle end moves on (now and then, not at every request). */
export async function touch(ctx: EngineContext, session: StoredSession): Promise<void> {
  const now = ctx.now()
  if (now.getTime() - Date.parse(session.lastSeen) < TOUCH_EVERY_MS) return
  await touchSession(ctx.db, session.id, now, new Date(now.getTime() + idleMs(ctx)))
}

/** The principal of a session's requests: its identity, with the capabilities the configuration grants now. */
export function sessionPrincipal(ctx: EngineContext, session: StoredSession, identity: Identity): Principal {
  return {
    clientId: `${SESSION_CLIENT_PREFIX}${session.id}`,
    identityId: identity.id,
    capabilities: capabilitiesOf(ctx, identity),
    scopes: [...DEFAULT_SCOPES],
  }
}

/**
 * The open session whose cookie holds `secret`, its use recorded; undefined when there is none (never
 * was, ended, expired, or its identity is gone).
 */
export async function findLiveSession(ctx: EngineContext, secret: string): Promise<LiveSession | undefined> {
  if (secret === '' || secret.length > 256) return undefined
  const session = await findSessionBySecret(ctx.db, tokenHash(secret))
  if (!session || !isOpen(session, ctx.now())) return undefined
  const identity = await findIdentity(ctx.db, session.identityId)
  if (!identity) return undefined
  await touch(ctx, session)
  return { session, identity, principal: sessionPrincipal(ctx, session, identity) }
}

/**
 * A request made with a session's cookie that changes something must carry the session's CSRF token
 * (X-CSRF-Token): another site can make the browser send the cookie, but cannot read the token.
 */
export function checkCsrfToken(session: StoredSession, presented: string | undefined): void {
  if (presented === undefined || presented === '') {
    throw new ForbiddenError(
      'a request signed in with the session cookie that changes something needs the X-CSRF-Token header (the csrfToken of the sign-in)',
    )
  }
  if (!matchesTokenHash(presented, session.csrfHash)) {
    throw new ForbiddenError("the X-CSRF-Token header does not match this session's CSRF token")
  }
}

/** Ends a session by its id; whether it was open. */
export async function endSession(ctx: EngineContext, sessionId: string): Promise<boolean> {
  return revokeSession(ctx.db, sessionId, ctx.now())
}

export const SESSION_ENDED_MESSAGE = 'your session has ended: sign in again'

/** The live session of a cookie, or AuthenticationError. */
export async function requireLiveSession(ctx: EngineContext, secret: string): Promise<LiveSession> {
  const live = await findLiveSession(ctx, secret)
  if (!live) throw new AuthenticationError(SESSION_ENDED_MESSAGE)
  return live
}

/** A session by its public id (whatever its state); undefined when there is none. */
export async function findSessionById(ctx: EngineContext, id: string): Promise<StoredSession | undefined> {
  return findSession(ctx.db, id)
}

/** The principal a session just opened acts as (for the audit record of its sign-in). */
export function newSessionPrincipal(session: NewSession): Principal {
  return {
    clientId: `${SESSION_CLIENT_PREFIX}${session.id}`,
    identityId: session.identity.id,
    capabilities: session.capabilities,
    scopes: [...DEFAULT_SCOPES],
  }
}

/**
 * Ends every open session of an identity (`identity`: id or name): an administrator signs a person out
 * everywhere. `actor`: the API caller, who must hold every capability the identity holds.
 */
export async function endIdentitySessions(
  ctx: EngineContext,
  options: { identity: string; actor?: { capabilities: readonly string[] } },
): Promise<{ identity: { id: string; name: string }; sessionsEnded: number }> {
  const identity = await findIdentityOrThrow(ctx, options.identity)
  checkMayManageSignIn(ctx, options.actor, identity)
  const sessionsEnded = await revokeIdentitySessions(ctx.db, identity.id, ctx.now())
  return { identity: { id: identity.id, name: identity.name }, sessionsEnded }
}
