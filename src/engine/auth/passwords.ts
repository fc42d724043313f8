import { checkNewPassword } from '../../domain/auth/password-rules.js'
import { hashSecret, PASSWORD_PARAMS } from '../../domain/auth/secret-hash.js'
import { ForbiddenError, NotFoundError } from '../../domain/errors.js'
import type { Identity } from '../../domain/model.js'
import type { Db } from '../../store/db.js'
import { findIdentity } from '../../store/identities.js'
import { upsertPassword, type PasswordSetBy } from '../../store/sign-in-passwords.js'
import { revokeIdentitySessions } from '../../store/sign-in-sessions.js'
import type { EngineContext } from '../engine-context.js'
import { capabilitiesOf } from './identity-capabilities.js'

/** What setting a password did (never the password). */
export interface PasswordChange {
  readonly identity: { readonly id: string; readonly name: string }
  readonly changed: string
  readonly changedBy: PasswordSetBy
  /** Sessions of the identity that the change ended: whoever knew the old password is signed out. */
  readonly sessionsEnded: number
}

export async function findIdentityOrThrow(ctx: EngineContext, ref: string): Promise<Identity> {
  const identity = await findIdentity(ctx.db, ref)
  if (!identity) throw new NotFoundError(`no identity with id or name "${ref}"`)
  return identity
}

/**
 * Whether a caller of these capabilities may give another person a way to sign in (a password, an
 * invitation): only one who holds every capability that person holds, so that a HELPDESK cannot take
 * over an ORG_ADMIN's account. `actor` absent: the local administrator (the CLI, with the store at hand).
 */
export function checkMayManageSignIn(
  ctx: EngineContext,
  actor: { capabilities: readonly string[] } | undefined,
  target: Identity,
): void {
  if (actor === undefined || actor.capabilities.includes('ORG_ADMIN')) return
  const missing = capabilitiesOf(ctx, target).filter((c) => !actor.capabilities.includes(c))
  if (missing.length > 0) {
    throw new ForbiddenError(
      `${target.name} holds ${missing.join(', ')}, which you do not: only an ORG_ADMIN can set how they sign in`,
    )
  }
}

/** Hashes a new password after checking its rules (InputError naming the rule, never the password). */
export async function hashNewPassword(
  ctx: EngineContext,
  identity: Identity,
  password: string,
): Promise<string> {
  const checked = checkNewPassword(password, {
    minLength: ctx.config.settings.signIn.passwordMinLength,
    names: [identity.name, identity.id],
  })
  return hashSecret(checked, PASSWORD_PARAMS)
}

/**
 * Stores a password hash made by hashNewPassword and ends the identity's sessions, in one transaction
 * with `first` (which may throw to store nothing).
 */
export async function storePassword(
  ctx: EngineContext,
  identity: Identity,
  passwordHash: string,
  by: PasswordSetBy,
  first?: (tx: Db) => Promise<void>,
): Promise<PasswordChange> {
  const now = ctx.now()
  const sessionsEnded = await ctx.db.transaction(async (tx) => {
    await first?.(tx)
    await upsertPassword(tx, identity.id, passwordHash, by, now)
    return revokeIdentitySessions(tx, identity.id, now)
  })
  return {
    identity: { id: identity.id, name: identity.name },
    changed: now.toISOString(),
    changedBy: by,
    sessionsEnded,
  }
}

/**
 * An administrator sets an identity's password (`identity`: id or name). The identity's open sessions
 * end. `actor`: the API caller, who must hold every capability the identity holds.
 */
export async function setIdentityPassword(
  ctx: EngineContext,
  options: { identity: string; password: string; actor?: { capabilities: readonly string[] } },
): Promise<PasswordChange> {
  const identity = await findIdentityOrThrow(ctx, options.identity)
  checkMayManageSignIn(ctx, options.actor, identity)
  const hash = await hashNewPassword(ctx, identity, options.password)
  return storePassword(ctx, identity, hash, 'ADMIN')
}
