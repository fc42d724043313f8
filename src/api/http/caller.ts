import type { FastifyRequest } from 'fastify'
import { AuthenticationError } from '../../domain/errors.js'
import type { Identity } from '../../domain/model.js'
import type { Principal } from '../../engine/auth/tokens.js'
import type { EngineContext } from '../../engine/engine-context.js'
import { findIdentityOrNone } from '../../engine/queries/get-identity.js'

/** The signed-in caller of a route that is not public (authentication ran before the handler). */
export function principalOf(request: FastifyRequest): Principal {
  const principal = request.principal
  if (principal === null) throw new AuthenticationError('this needs a bearer token')
  return principal
}

/** The identity a caller acts as: a person's (a personal access token's owner); null for an API client. */
export async function callerIdentity(ctx: EngineContext, principal: Principal): Promise<Identity | null> {
  if (principal.identityId === null) return null
  return (await findIdentityOrNone(ctx, principal.identityId)) ?? null
}

/** Who started something, for a task's `launcher`: the person's name, else the API client's id. */
export async function launcherOf(ctx: EngineContext, principal: Principal): Promise<string> {
  return (await callerIdentity(ctx, principal))?.name ?? `client ${principal.clientId}`
}
