import type { FastifyRequest } from 'fastify'
import { AuthenticationError } from '../../domain/errors.js'
import type { EngineContext } from '../../engine/engine-context.js'
import { verifyToken, type Principal } from '../../engine/auth/tokens.js'

export type { Principal } from '../../engine/auth/tokens.js'

/**
 * Finds who a request speaks for; null when it carries no credentials at all. Bearer tokens are verified
 * here; other ways of signing in (a browser session) are added as further authenticators.
 */
export type Authenticator = (request: FastifyRequest) => Promise<Principal | null>

/** `Authorization: Bearer <JWT>`: a token from `POST /oauth/token`. */
export function bearerAuthenticator(ctx: () => EngineContext): Authenticator {
  return async (request) => {
    const header = request.headers.authorization
    if (header === undefined) return null
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header)
    if (!match) throw new AuthenticationError('the Authorization header must be "Bearer <access token>"')
    return verifyToken(ctx(), match[1] as string)
  }
}

/** The first authenticator that recognises the request decides; none: AuthenticationError. */
export async function authenticate(
  request: FastifyRequest,
  authenticators: readonly Authenticator[],
): Promise<Principal> {
  for (const a of authenticators) {
    const principal = await a(request)
    if (principal) return principal
  }
  throw new AuthenticationError('this route needs an access token (Authorization: Bearer …)')
}
