import { createServer, type Server } from 'node:http'

export interface HealthInfo {
  /** `degraded`: the process works, but the latest run of some schedule failed (still HTTP 200). */
  readonly status: 'ok' | 'degraded' | 'stopping'
  readonly [key: string]: unknown
}

/**
 * The HTTP endpoint of `provisio serve`, on 127.0.0.1 only. Today it answers `GET /health` (no
 * credentials: it reveals only liveness, counts and how the schedules went, never a path on disk); the
 * v3 API routes, all authenticated, come here next.
 */
export async function startHealthServer(
  port: number,
  info: () => Promise<HealthInfo>,
): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    if (req.method === 'GET' && path === '/health') {
      info().then(
        (body) => {
          res.writeHead(body.status === 'stopping' ? 503 : 200, { 'content-type': 'application/json' })
          res.end(JSON.stringify(body))
        },
        () => {
          res.writeHead(503, { 'content-type': 'application/json' })
          res.end(JSON.stringify({ status: 'error' }))
        },
      )
      return
    }
    res.writeHead(404, { 'content-type': 'application/json' })
    res.end(
      JSON.stringify({ detailCode: '404 Not found', messages: [{ text: `no route ${req.method} ${path}` }] }),
    )
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => resolve())
  })
  const address = server.address()
  return { server, port: typeof address === 'object' && address ? address.port : port }
}
