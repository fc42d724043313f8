import { EVERY_SCOPE } from '../../domain/auth/scopes.js'
import { ROUTE_SCOPES } from '../route-scopes.js'

/**
 * `POST /v3/certifications/:` for `POST /beta/certifications/:id`: a route's method and path, its path
 * parameters unnamed (the route table and the reference name some differently) and its version v3 (the
 * reference's /beta, /v2024 and /v2025 operations of a v3 path take the v3 operation's scopes).
 */
function shapeOf(key: string): string {
  return key.replace(/ \/(beta|v2024|v2025)\//, ' /v3/').replace(/:[^/]+/g, ':')
}

const BY_SHAPE: ReadonlyMap<string, readonly string[]> = new Map(
  Object.entries(ROUTE_SCOPES).map(([key, scopes]) => [shapeOf(key), scopes]),
)

/**
 * The scopes, any one of which lets a token call a route (a route table key, `POST
 * /v3/certifications/:id/decide`): the reference's for its operation, and the catch-alls. A route the
 * reference does not have (Provisio's own, say) has no narrower scope: only a catch-all lets it through.
 */
export function requiredScopes(routeKey: string): readonly string[] {
  const reference = BY_SHAPE.get(shapeOf(routeKey)) ?? []
  return [...new Set([...reference, ...EVERY_SCOPE])]
}

/** Whether the reference names scopes for this route (a route table key). */
export function hasReferenceScopes(routeKey: string): boolean {
  return BY_SHAPE.has(shapeOf(routeKey))
}
