import type { ApiContext } from '../api-context.js'
import type { Api } from '../build-api.js'

export interface HealthInfo {
  /** `degraded`: the process works, but the latest run of some schedule failed (still HTTP 200). */
  readonly status: 'ok' | 'degraded' | 'stopping'
  readonly [key: string]: unknown
}

/**
 * `GET /health`, without credentials: it reveals only liveness, counts and how the schedules went,
 * never a path on disk. 503 while stopping or when the health cannot be read.
 */
export function healthRoutes(api: Api, ctx: ApiContext): void {
  api.get('/health', { schema: { hide: true } }, async (_request, reply) => {
    if (!ctx.health) return { status: 'ok' }
    try {
      const body = await ctx.health()
      return reply.status(body.status === 'stopping' ? 503 : 200).send(body)
    } catch {
      return reply.status(503).send({ status: 'error' })
    }
  })
}
