import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { ScheduleConfig } from '../../domain/config/config-schemas.js'
import { sessionAuthenticator } from '../../api/auth/session-authenticator.js'
import { buildApi } from '../../api/build-api.js'
import type { HealthInfo } from '../../api/provisio/health-routes.js'
import { publishLocalApiAccess } from '../../app/local-api-access.js'
import { queueSourceAggregation } from '../../app/source-aggregation-tasks.js'
import { ConflictError, InputError } from '../../domain/errors.js'
import { flatRefreshResult } from '../../engine/aggregate-then-process.js'
import { refreshSource } from '../../engine/refresh-source.js'
import { processIdentities } from '../../engine/process-identities.js'
import { writeDemoWorkspace } from '../../demo/demo-workspace.js'
import { SETTINGS_FILE } from '../../engine/workspace/load-workspace.js'
import { openEngine, type OpenEngine } from '../../app/open-engine.js'
import { ScheduleOutcomes } from '../../app/schedule-outcomes.js'
import { startServices } from '../../app/start-services.js'
import { countStore } from '../../engine/queries/count-store.js'
import { cliRunner } from '../run-in-serve.js'
import { executorSettings } from './worker-command.js'
import { aggregateSummary, identitySummary, seconds } from './aggregate-command.js'

function log(line: string): void {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`)
}

/**
 * The long-running process: runs the configured schedules on the durable queue and answers the
 * health endpoint, until SIGINT or SIGTERM stops it cleanly.
 */
export async function serveCommand(
  workspace: string,
  options: { demo?: string; port?: string },
): Promise<void> {
  if (options.demo !== undefined) {
    workspace = options.demo
    if (!existsSync(join(workspace, SETTINGS_FILE))) {
      await writeDemoWorkspace(workspace)
      log(`created the demo workspace in ${workspace}`)
    }
  }
  const port = options.port !== undefined ? portOption(options.port) : undefined
  const engine = await openEngine(workspace)
  const outcomes = new ScheduleOutcomes(engine.config.dir)
  const run = async (s: ScheduleConfig): Promise<string> => {
    try {
      const summary = await runSchedule(engine, s)
      outcomes.succeeded(scheduleName(s), new Date())
      return summary
    } catch (err) {
      outcomes.failed(scheduleName(s), new Date(), err)
      throw err
    }
  }
  const services = await startServices(engine, { executor: executorSettings({}), runSchedule: run, log })
  const queues = services.schedules
  let stopping = false
  const started = Date.now()
  const listen = port ?? engine.config.settings.server.port
  // The endpoint is unauthenticated: it shows liveness, counts and how the schedules went, never the
  // workspace's location on disk.
  const health = async (): Promise<HealthInfo> => {
    const counts = await countStore(engine)
    const failing = outcomes.failing().map(({ schedule, at, error }) => ({ schedule, at, error }))
    const last = outcomes.lastFailure()
    return {
      status: stopping ? 'stopping' : failing.length > 0 ? 'degraded' : 'ok',
      database: engine.db.kind,
      uptimeSeconds: Math.round((Date.now() - started) / 1000),
      schedules: queues.length,
      failingSchedules: failing,
      lastFailedRun: last ? { schedule: last.schedule, at: last.at, error: last.error } : null,
      identities: counts.identities,
      accounts: counts.accounts,
    }
  }
  const server = engine.config.settings.server
  const api = await buildApi(
    {
      engine,
      health,
      // The CLI of other processes, while this one holds the embedded database (forward-to-serve.ts).
      ...(engine.db.kind === 'pglite' ? { runCli: cliRunner(engine) } : {}),
      queueSourceAggregation: (source, launcher) =>
        queueSourceAggregation(engine, services.boss, source, launcher),
    },
    {
      rateLimit: server.rateLimit,
      bodyLimit: server.bodyLimitBytes,
      trustProxy: server.trustProxy,
      log,
      // Browser sessions (the cookie of POST /provisio/v1/auth/login), after bearer tokens.
      authenticators: [sessionAuthenticator(() => engine)],
      ...(server.tls ? { https: readTls(engine.config.dir, server.tls) } : {}),
    },
  ).catch(async (err: unknown) => {
    await services.abort()
    throw err
  })
  const scheme = server.tls ? 'https' : 'http'
  const bound = await api
    .listen({ port: listen, host: server.host })
    .then(() => {
      const address = api.server.address()
      return typeof address === 'object' && address ? address.port : listen
    })
    .catch(async (err: unknown) => {
      await services.abort()
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new ConflictError(
          `port ${listen} is in use by another program: choose another with --port or server.port in provisio.yaml`,
        )
      }
      throw err
    })
  log(
    `provisio serve: workspace ${engine.config.dir}, ${engine.db.kind} database, ${queues.length} schedules`,
  )
  const base = `${scheme}://${server.host.includes(':') ? `[${server.host}]` : server.host}:${bound}`
  log(`api: ${base}/v3 (token: POST ${base}/oauth/token; docs/api.md)`)
  log(`sign-in: POST ${base}/provisio/v1/auth/login (passwords: provisio password set or provisio invite)`)
  // On the embedded database this process is its only user: the CLI of other processes comes in
  // through the API, with an administrator client only this machine's workspace owner can read.
  const local =
    engine.db.kind === 'pglite'
      ? await publishLocalApiAccess(engine, `${scheme}://${loopback(server.host)}:${bound}`)
      : undefined
  log(`health: ${base}/health`)

  const stop = async (signal: string): Promise<void> => {
    if (stopping) return
    stopping = true
    log(`${signal}: stopping`)
    await local?.remove().catch(() => undefined)
    await api.close()
    await services.stop()
    log('stopped')
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))

  for (const s of engine.config.settings.schedules.filter((x) => x.runOnStart)) {
    if (stopping) break
    try {
      log(`${s.name ?? s.task} (on start): ${await run(s)}`)
    } catch (err) {
      log(`${s.name ?? s.task} (on start): failed: ${(err as Error).message}`)
    }
  }
}

/** `--port`: a whole number from 0 (any free port) to 65535. */
function portOption(value: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n > 65535) {
    throw new InputError(`--port must be a whole number from 0 to 65535, not "${value}"`)
  }
  return n
}

function scheduleName(s: ScheduleConfig): string {
  return s.name ?? (s.task === 'aggregate' ? `aggregate ${s.source ?? ''}` : s.task)
}

async function runSchedule(engine: OpenEngine, s: ScheduleConfig): Promise<string> {
  if (s.task === 'aggregate') {
    return aggregateSummary(flatRefreshResult(await refreshSource(engine, s.source as string)))
  }
  const r = await processIdentities(engine)
  return `${identitySummary(r)}; ${seconds(r.durationMs)}`
}

/** The certificate and key files of `server.tls`, relative to the workspace. */
function readTls(dir: string, tls: { cert: string; key: string }): { cert: Buffer; key: Buffer } {
  const read = (field: string, file: string): Buffer => {
    try {
      return readFileSync(resolve(dir, file))
    } catch (err) {
      throw new InputError(`server.tls.${field}: cannot read ${file}: ${(err as Error).message}`)
    }
  }
  return { cert: read('cert', tls.cert), key: read('key', tls.key) }
}

/** The address this machine reaches the API on: the loopback when it listens on every interface. */
function loopback(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1'
  return host.includes(':') ? `[${host}]` : host
}
