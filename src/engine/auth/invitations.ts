import { newOpaqueToken, tokenHash } from '../../domain/auth/opaque-token.js'
import { ConflictError, InputError, NotFoundError } from '../../domain/errors.js'
import { findIdentity } from '../../store/identities.js'
import { findInvitation, insertInvitation, useInvitation } from '../../store/sign-in-invitations.js'
import type { EngineContext } from '../engine-context.js'
import {
  checkMayManageSignIn,
  findIdentityOrThrow,
  hashNewPassword,
  storePassword,
  type PasswordChange,
} from './passwords.js'

/** The path an invitation's token is used at (GET shows it, POST sets the password). */
export const INVITATION_PATH = '/provisio/v1/auth/invitations/'

/** A new invitation: its link carries the token, shown this once and stored only as a hash. */
export interface NewInvitation {
  readonly identity: { readonly id: string; readonly name: string }
  readonly url: string
  readonly token: string
  readonly expires: string
}

/**
 * A one-time link for a person to set their own password, valid `hours` (signIn.invitationHours, 72 by
 * default). The identity's earlier unused links stop working. `actor`: the API caller, who must hold
 * every capability the identity holds; `createdBy` names them in the store.
 */
export async function createInvitation(
  ctx: EngineContext,
  options: {
    identity: string
    hours?: number
    createdBy: string
    actor?: { capabilities: readonly string[] }
  },
): Promise<NewInvitation> {
  const hours = options.hours ?? ctx.config.settings.signIn.invitationHours
  if (!Number.isInteger(hours) || hours < 1 || hours > 720) {
    throw new InputError('an invitation is valid from 1 to 720 hours')
  }
  const identity = await findIdentityOrThrow(ctx, options.identity)
  checkMayManageSignIn(ctx, options.actor, identity)
  const token = newOpaqueToken()
  const now = ctx.now()
  const expires = new Date(now.getTime() + hours * 3600_000)
  await insertInvitation(
    ctx.db,
    { tokenHash: tokenHash(token), identityId: identity.id, createdBy: options.createdBy, expires },
    now,
  )
  return {
    identity: { id: identity.id, name: identity.name },
    url: `${publicBaseUrl(ctx)}${INVITATION_PATH}${token}`,
    token,
    expires: expires.toISOString(),
  }
}

/** Who an invitation is for and until when; NotFoundError or ConflictError when it cannot be used. */
export async function describeInvitation(
  ctx: EngineContext,
  token: string,
): Promise<{ identity: { id: string; name: string }; expires: string }> {
  const invitation = await findInvitation(ctx.db, tokenHash(token))
  if (!invitation) throw new NotFoundError('no such invitation: check the link')
  if (invitation.used !== null) throw new ConflictError('this invitation was used already: ask for a new one')
  if (invitation.voided !== null) {
    throw new ConflictError('a newer invitation replaced this one: use the latest link you were sent')
  }
  if (Date.parse(invitation.expires) <= ctx.now().getTime()) {
    throw new ConflictError(`this invitation expired at ${invitation.expires}: ask for a new one`)
  }
  const identity = await findIdentity(ctx.db, invitation.identityId)
  if (!identity) throw new NotFoundError('the identity of this invitation no longer exists')
  return { identity: { id: identity.id, name: identity.name }, expires: invitation.expires }
}

/**
 * Sets the invited person's password and uses the invitation up. The password is checked (and hashed)
 * before the invitation is used, so a password that breaks a rule does not spend the link.
 */
export async function acceptInvitation(
  ctx: EngineContext,
  token: string,
  password: string,
): Promise<PasswordChange> {
  const { identity: ref } = await describeInvitation(ctx, token)
  const identity = await findIdentityOrThrow(ctx, ref.id)
  const hash = await hashNewPassword(ctx, identity, password)
  // Two uses at once: one statement marks the invitation used, and only its winner sets the password.
  return storePassword(ctx, identity, hash, 'INVITATION', async (tx) => {
    const used = await useInvitation(tx, tokenHash(token), ctx.now())
    if (used !== identity.id) throw new ConflictError('this invitation was used already: ask for a new one')
  })
}

/** Where people reach Provisio: signIn.publicUrl, else the server's own address. */
export function publicBaseUrl(ctx: EngineContext): string {
  const { signIn, server } = ctx.config.settings
  if (signIn.publicUrl !== undefined) return signIn.publicUrl.replace(/\/+$/, '')
  const host = ['0.0.0.0', '::', ''].includes(server.host) ? 'localhost' : server.host
  return `${server.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${server.port}`
}
