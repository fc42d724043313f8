import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { hasReferenceScopes, requiredScopes } from '../src/api/http/required-scopes.js'
import { ROUTE_SCOPES } from '../src/api/route-scopes.js'
import { ROUTE_TABLE } from '../src/api/route-table.js'
import { FIXTURE_DOCUMENT, routeScopesOf, WRITE_SCOPE_OVERRIDES } from '../scripts/generate-route-scopes.js'

const document = JSON.parse(readFileSync(join(import.meta.dirname, '..', FIXTURE_DOCUMENT), 'utf8')) as {
  paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>
  security?: Record<string, string[]>[]
}

/** `POST /v3/identities/:` : a route with its path parameters unnamed. */
const shape = (key: string) => key.replace(/:[^/]+/g, ':')

/** The document's operations by shape: `GET /v3/identity-profiles/:`. */
const documentOperations = new Map(
  Object.entries(document.paths).flatMap(([path, ops]) =>
    Object.keys(ops).map((method) => [
      shape(`${method.toUpperCase()} /v3${path.replace(/\{[^}]+\}/g, ':')}`),
      `${method.toUpperCase()} ${path}`,
    ]),
  ),
)

describe('the reference scopes of each route (src/api/route-scopes.ts)', () => {
  it('is what scripts/generate-route-scopes.ts makes of the reference document', () => {
    // Regenerate with the command in the script's header when this fails.
    expect(ROUTE_SCOPES).toEqual(routeScopesOf(document))
  })

  it('has an entry for every route of the route table that the reference document has', () => {
    const v3Routes = Object.keys(ROUTE_TABLE).filter((key) => / \/v3\//.test(key))
    const inDocument = v3Routes.filter((key) => documentOperations.has(shape(key)))
    // The table has most of its v3 routes from the reference; those it made up are few.
    expect(inDocument.length).toBeGreaterThan(100)
    const uncovered = inDocument.filter((key) => !hasReferenceScopes(key))
    expect(uncovered).toEqual([])
  })

  it("takes the document's scopes as alternatives, with the catch-alls", () => {
    expect(requiredScopes('POST /v3/access-requests')).toEqual([
      'idn:access-request:manage',
      'idn:access-request-self:manage',
      'sp:scopes:all',
      'sp:scopes:default',
    ])
    expect(requiredScopes('POST /v3/certifications/:id/decide')).toEqual([
      'idn:campaign:manage',
      'sp:scopes:all',
      'sp:scopes:default',
    ])
    // Named differently in the reference (`{identity-profile-id}`): the same operation.
    expect(requiredScopes('GET /v3/identity-profiles/:anything')).toContain('idn:identity-profile:read')
  })

  it('gives /beta and /v2024 routes of a v3 path the v3 scopes; other routes only the catch-alls', () => {
    expect(requiredScopes('GET /beta/personal-access-tokens')).toEqual(
      requiredScopes('GET /v3/personal-access-tokens'),
    )
    expect(requiredScopes('PATCH /v2024/auth-users/:id')).toContain('sp:auth-user:manage')
    for (const key of [
      'GET /provisio/v1/notifications',
      'GET /beta/workgroups',
      'POST /v3/sources/:id/load-accounts',
    ]) {
      expect(hasReferenceScopes(key)).toBe(false)
      expect(requiredScopes(key)).toEqual(['sp:scopes:all', 'sp:scopes:default'])
    }
  })

  it('overrides only write operations where the document lists a read scope beside the manage scope', () => {
    for (const key of Object.keys(WRITE_SCOPE_OVERRIDES)) {
      const [method, path] = key.split(' ') as [string, string]
      const op =
        document.paths[path.slice('/v3'.length).replace(/:([a-zA-Z]+)/g, '{$1}')]?.[method.toLowerCase()]
      const listed = (op?.security ?? []).flatMap((r) => Object.values(r).flat())
      expect(method).not.toBe('GET')
      expect(listed.some((s) => s.endsWith(':read'))).toBe(true)
      expect(ROUTE_SCOPES[key]?.every((s) => listed.includes(s) && s.endsWith(':manage'))).toBe(true)
    }
  })
})
