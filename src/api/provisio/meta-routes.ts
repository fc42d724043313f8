import type { Api } from '../build-api.js'

/**
 * Provisio's own OpenAPI document of what this server answers, generated from the routes' schemas.
 * (The health check stays on `serve`'s listener: it must answer even when the API cannot start.)
 */
export function metaRoutes(api: Api): void {
  api.get('/openapi.json', { schema: { hide: true } }, async () => api.swagger())
}
