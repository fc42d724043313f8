import type { Capability } from '../../domain/auth/capabilities.js'

/**
 * Who may call a route:
 * - `public`: anyone, without credentials (the token endpoint, the health check, the OpenAPI document);
 * - `user`: anyone signed in as a person; the route itself shows each caller only what is theirs (their
 *   own work items, say) unless they hold one of `seeAll`. An API client (no identity) passes only with
 *   one of `seeAll` (or ORG_ADMIN), and not at all when the route is `personOnly`;
 * - `capability`: a caller holding one of `anyOf` (ORG_ADMIN always may); with `self`, also a person
 *   acting on their own identity or, as its manager, on a direct report's, named by that path parameter.
 */
export type RouteAccess =
  | { readonly kind: 'public' }
  | { readonly kind: 'user'; readonly seeAll: readonly Capability[]; readonly personOnly?: boolean }
  | {
      readonly kind: 'capability'
      readonly anyOf: readonly Capability[]
      readonly self?: { readonly param: string }
    }

export const PUBLIC: RouteAccess = { kind: 'public' }

export function anyOf(...capabilities: Capability[]): RouteAccess {
  return { kind: 'capability', anyOf: capabilities }
}

/** A capability, or the caller's own identity (or a direct report's) named by the path parameter. */
export function selfOr(param: string, ...capabilities: Capability[]): RouteAccess {
  return { kind: 'capability', anyOf: capabilities, self: { param } }
}

/** Anyone signed in; holders of `seeAll` see everyone's objects, others their own. */
export function user(...seeAll: Capability[]): RouteAccess {
  return { kind: 'user', seeAll }
}

/** A person signed in, acting for themselves (creating their own token, say): never an API client. */
export function person(): RouteAccess {
  return { kind: 'user', seeAll: [], personOnly: true }
}

/** Whether capabilities grant a capability-gated route without the `self` path (ORG_ADMIN grants all). */
export function holdsAny(held: readonly string[], wanted: readonly Capability[]): boolean {
  return held.includes('ORG_ADMIN') || wanted.some((c) => held.includes(c))
}

/** `GET /v3/sources/:id`: how the table names a route. */
export function routeKey(method: string, url: string): string {
  return `${method.toUpperCase()} ${url}`
}

/** The tenant's administrator only. */
export const ORG_ADMIN: RouteAccess = { kind: 'capability', anyOf: [] }
