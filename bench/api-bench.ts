import { request as httpRequest, Agent } from 'node:http'
import { AccountsApi, Configuration, Paginator } from 'sailpoint-api-client'
import { buildApi, type Api } from '../src/api/build-api.js'
import { engineOver } from '../src/app/open-engine.js'
import { builtInConnectors } from '../src/connectors/built-in-connectors.js'
import { createApiClient } from '../src/engine/auth/credentials.js'
import { aggregateThenProcess } from '../src/engine/aggregate-then-process.js'
import { aggregateSource } from '../src/engine/aggregate-source.js'
import { listAccounts } from '../src/engine/queries/list-accounts.js'
import { againstBaseline, type BenchResult } from './bench-types.js'
import { benchDatabase } from './bench-database.js'
import { benchWorkspace } from './bench-workspace.js'

/** The benchmark's workspace with `size` Directory accounts, the API listening, and an ORG_ADMIN client. */
async function served(
  size: number,
  serverUrl?: string,
): Promise<{
  api: Api
  base: string
  client: { clientId: string; clientSecret: string }
  directoryFilter: string
  engine: ReturnType<typeof engineOver>
  close: () => Promise<void>
}> {
  const database = serverUrl === undefined ? undefined : await benchDatabase(serverUrl)
  const { config, store, ctx } = await benchWorkspace(size, database?.url)
  await aggregateThenProcess(ctx, 'HR')
  await aggregateSource(ctx, 'Directory')
  const engine = engineOver(config, store, builtInConnectors())
  // The rate limit is the tenant's to set; a benchmark measures the server, not the limit.
  const api = await buildApi(
    { engine },
    { rateLimit: { max: 10_000_000, windowSeconds: 1 }, log: () => undefined },
  )
  await api.listen({ port: 0, host: '127.0.0.1' })
  const address = api.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  const client = await createApiClient(engine, { name: 'bench', capabilities: ['ORG_ADMIN'] })
  const directory = config.sources.find((s) => s.value.name === 'Directory')?.value.id ?? ''
  return {
    api,
    base: `http://127.0.0.1:${port}`,
    client,
    directoryFilter: `sourceId eq "${directory}"`,
    engine,
    close: async () => {
      await api.close()
      await store.close()
      await database?.drop()
    },
  }
}

/**
 * `api-list`: every Directory account read through the official client's `Paginator.paginate` (pages of
 * 250, real HTTP on 127.0.0.1, a bearer token from `/oauth/token`). Baseline: the same accounts read page
 * by page (250, by offset) straight from the engine's query on the same store, in the same run.
 */
export async function apiListBench(size: number): Promise<BenchResult> {
  const s = await served(size)
  try {
    const cfg = new Configuration({
      baseurl: s.base,
      clientId: s.client.clientId,
      clientSecret: s.client.clientSecret,
      tokenUrl: `${s.base}/oauth/token`,
    })
    const accounts = new AccountsApi(cfg)
    // The client logs every page ("Paginating call…"); the benchmark's output is its table.
    const log = console.log
    console.log = () => undefined
    let read = 0
    const t0 = performance.now()
    try {
      const r = await Paginator.paginate(accounts, accounts.listAccounts, { filters: s.directoryFilter }, 250)
      read = r.data.length
    } finally {
      console.log = log
    }
    const apiMs = performance.now() - t0
    if (read !== size) throw new Error(`the client read ${read} accounts, expected ${size}`)

    const t1 = performance.now()
    let direct = 0
    for (let offset = 0; ; offset += 250) {
      const { rows } = await listAccounts(s.engine, { filters: s.directoryFilter, limit: 250, offset })
      direct += rows.length
      if (rows.length < 250) break
    }
    const baseMs = performance.now() - t1
    if (direct !== size) throw new Error(`the store read ${direct} accounts, expected ${size}`)
    const value = size / (apiMs / 1000)
    return {
      name: 'api-list',
      metric: 'accounts per second through the official client',
      value,
      unit: 'accounts/s',
      size,
      ...againstBaseline(value, size / (baseMs / 1000)),
      baselineMetric: 'accounts/s read page by page (250) from the engine query, same store, same run',
      details: {
        'through the API (s)': (apiMs / 1000).toFixed(2),
        'straight from the store (s)': (baseMs / 1000).toFixed(2),
        pages: Math.ceil(size / 250),
        target: '≥ 0.5 of the baseline; ≥ 20,000 accounts/s',
      },
    }
  } finally {
    await s.close()
  }
}

/** `concurrency` clients calling `paths()` in a loop for `ms`: requests/s and latency percentiles. */
async function load(
  base: string,
  headers: Record<string, string>,
  path: () => string,
  concurrency: number,
  ms: number,
): Promise<{ perSecond: number; p50: number; p99: number; errors: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency })
  const url = new URL(base)
  const latencies: number[] = []
  let errors = 0
  const end = performance.now() + ms
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const t = performance.now()
      const req = httpRequest({ host: url.hostname, port: url.port, path: path(), agent, headers }, (res) => {
        res.resume()
        res.on('end', () => {
          if (res.statusCode !== 200) errors++
          latencies.push(performance.now() - t)
          resolve()
        })
      })
      req.on('error', () => {
        errors++
        resolve()
      })
      req.end()
    })
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) await one()
    }),
  )
  const elapsed = performance.now() - t0
  agent.destroy()
  latencies.sort((a, b) => a - b)
  const at = (q: number): number =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0
  return { perSecond: latencies.length / (elapsed / 1000), p50: at(0.5), p99: at(0.99), errors }
}

interface GetFigures {
  readonly get: Awaited<ReturnType<typeof load>>
  readonly constant: Awaited<ReturnType<typeof load>>
}

/** 50 clients on `GET /v3/accounts/{id}` of random accounts, and the same clients on `GET /health`. */
async function measureGet(size: number, serverUrl?: string): Promise<GetFigures> {
  const s = await served(size, serverUrl)
  try {
    const token = await s.api.inject({
      method: 'POST',
      url: '/oauth/token',
      query: {
        grant_type: 'client_credentials',
        ...{ client_id: s.client.clientId, client_secret: s.client.clientSecret },
      },
    })
    const headers = { authorization: `Bearer ${(token.json() as { access_token: string }).access_token}` }
    const { rows } = await listAccounts(s.engine, { filters: s.directoryFilter, limit: 2000 })
    const ids = rows.map((a) => a.id)
    const random = (): string => `/v3/accounts/${ids[Math.floor(Math.random() * ids.length)] ?? ''}`
    const seconds = 10
    // A short warm-up of both paths, then the measured runs.
    await load(s.base, headers, random, 50, 1000)
    await load(s.base, {}, () => '/health', 50, 1000)
    const constant = await load(s.base, {}, () => '/health', 50, seconds * 1000)
    const get = await load(s.base, headers, random, 50, seconds * 1000)
    if (get.errors > 0 || constant.errors > 0) {
      throw new Error(`errors: ${get.errors} on /v3/accounts/{id}, ${constant.errors} on /health`)
    }
    return { get, constant }
  } finally {
    await s.close()
  }
}

const figuresOf = ({ get, constant }: GetFigures) => ({
  get: { perSecond: Math.round(get.perSecond), p50Ms: get.p50, p99Ms: get.p99 },
  constant: { perSecond: Math.round(constant.perSecond), p50Ms: constant.p50, p99Ms: constant.p99 },
  ratio: Number((get.perSecond / constant.perSecond).toFixed(3)),
})

/**
 * `api-get`: `GET /v3/accounts/{id}` of random accounts by 50 concurrent keep-alive clients for 10 s,
 * each with a bearer token. Baseline: the same server's `GET /health`, which answers a constant (no
 * credentials, no store), with the same clients in the same run: the ratio is what token verification,
 * the store read and the presenter cost on top of the server's own work. On the embedded store; also on
 * the PostgreSQL server of PROVISIO_BENCH_DATABASE_URL (or the test one) when there is one, where the
 * store read runs in the server's processes instead of this one's thread.
 */
export async function apiGetBench(size: number): Promise<BenchResult> {
  const embedded = await measureGet(size)
  const serverUrl = process.env['PROVISIO_BENCH_DATABASE_URL'] ?? process.env['PROVISIO_TEST_DATABASE_URL']
  const server = serverUrl ? await measureGet(size, serverUrl) : undefined
  const { get, constant } = embedded
  return {
    name: 'api-get',
    metric: 'GET /v3/accounts/{id} per second, 50 concurrent clients, embedded store',
    value: get.perSecond,
    unit: 'requests/s',
    size,
    ...againstBaseline(get.perSecond, constant.perSecond),
    baselineMetric: 'requests/s of GET /health (a constant) on the same server, same clients, same run',
    figures: { embedded: figuresOf(embedded), ...(server ? { postgres: figuresOf(server) } : {}) },
    details: {
      'GET /v3/accounts/{id} p50 / p99 (ms)': `${get.p50.toFixed(1)} / ${get.p99.toFixed(1)}`,
      'GET /health p50 / p99 (ms)': `${constant.p50.toFixed(1)} / ${constant.p99.toFixed(1)}`,
      'on PostgreSQL: requests/s, ratio, p99 (ms)': server
        ? `${Math.round(server.get.perSecond)} (/health ${Math.round(server.constant.perSecond)}), ` +
          `${(server.get.perSecond / server.constant.perSecond).toFixed(3)}, ${server.get.p99.toFixed(1)}`
        : 'skipped: set PROVISIO_BENCH_DATABASE_URL',
      'accounts in the store': size * 2,
      target: '≥ 0.4 of the baseline',
    },
  }
}
