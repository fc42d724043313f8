import { ForbiddenError } from '../../domain/errors.js'
import type { EngineContext } from '../../engine/engine-context.js'
import { findIdentityOrNone } from '../../engine/queries/get-identity.js'
import type { Principal } from '../../engine/auth/tokens.js'
import { scopesAllow } from '../../domain/auth/scopes.js'
import { requiredScopes } from './required-scopes.js'
import { holdsAny, type RouteAccess } from './route-access.js'

/**
 * Whether the principal may call a route (its route table key, `POST /v3/certifications/:id/decide`) of
 * this access, with these path parameters: ForbiddenError when not. The token's scopes must allow the
 * route, and then its capabilities must: scopes narrow what a token may do, never widen it. A person
 * passes a `self` route for their own identity and their direct reports'.
 */
export async function authorize(
  ctx: EngineContext,
  principal: Principal | null,
  access: RouteAccess,
  params: Readonly<Record<string, string>>,
  route: string,
): Promise<void> {
  if (access.kind === 'public' || principal === null) return
  checkScopes(principal, route)
  if (access.kind === 'user') {
    if (principal.identityId !== null) return
    if (access.personOnly === true) {
      throw new ForbiddenError('this is for a person signed in, not an API client')
    }
    if (holdsAny(principal.capabilities, access.seeAll)) return
    throw new ForbiddenError(`an API client needs one of ${['ORG_ADMIN', ...access.seeAll].join(', ')}`)
  }
  if (holdsAny(principal.capabilities, access.anyOf)) return
  const me = principal.identityId
  if (access.self !== undefined && me !== null) {
    const target = params[access.self.param]
    if (target === me) return
    if (target !== undefined) {
      const identity = await findIdentityOrNone(ctx, target)
      if (identity?.managerId === me) return
    }
  }
  throw new ForbiddenError(
    access.self !== undefined
      ? `this needs one of ${['ORG_ADMIN', ...access.anyOf].join(', ')}, or to be the identity itself or its manager`
      : `this needs one of ${['ORG_ADMIN', ...access.anyOf].join(', ')}`,
  )
}

/**
 * A token made with narrow scopes (a read-only personal access token, say) calls only the routes the
 * reference lets those scopes call; sp:scopes:all and sp:scopes:default, every route.
 */
function checkScopes(principal: Principal, route: string): void {
  const needed = requiredScopes(route)
  if (scopesAllow(principal.scopes, needed)) return
  // The reference's way of writing a path: `/v3/certifications/{id}/decide`.
  const shown = route.replace(/:([^/]+)/g, '{$1}')
  throw new ForbiddenError(`this token's scopes do not allow ${shown}: it needs one of ${needed.join(', ')}`)
}

/**
 * What a `user` route shows the principal: everything (undefined) for holders of `seeAll`, else their
 * own identity's. An API client without an identity and without those capabilities sees nothing of anyone.
 */
export function ownScope(
  principal: Principal,
  seeAll: readonly string[],
): { identityId: string } | undefined {
  if (
    principal.capabilities.includes('ORG_ADMIN') ||
    seeAll.some((c) => principal.capabilities.includes(c))
  ) {
    return undefined
  }
  if (principal.identityId === null) {
    throw new ForbiddenError(
      `an API client without a user needs one of ${['ORG_ADMIN', ...seeAll].join(', ')}`,
    )
  }
  return { identityId: principal.identityId }
}
