import { coerceError, InputError } from '../../domain/errors.js'
import { executeDue } from '../../engine/execution/execute-due.js'
import { announceRequestOutcomes } from '../../engine/requests/announce-request-outcomes.js'
import { runsFromPublished } from '../../engine/config/runs-from-published.js'
import { openEngine, openPublishedEngine, withEngine } from '../../app/open-engine.js'
import { printJson } from '../print-table.js'
import type { ExecutorSettings } from '../../app/start-executor.js'
import { startServices } from '../../app/start-services.js'
import { settledLine } from './execution-commands.js'

function log(line: string): void {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`)
}

export interface ExecutorFlags {
  poll?: string
  lease?: string
  sources?: string
  published?: boolean
}

/** Executor settings from command-line flags, each checked. */
export function executorSettings(flags: ExecutorFlags): ExecutorSettings {
  const number = (value: string | undefined, name: string, fallback: number, min: number): number => {
    if (value === undefined) return fallback
    const n = Number(value)
    if (!Number.isFinite(n) || n < min) throw new InputError(`--${name} must be a number of at least ${min}`)
    return n
  }
  return {
    pollSeconds: number(flags.poll, 'poll', 1, 0.5),
    leaseSeconds: number(flags.lease, 'lease', 60, 1),
    sourcesAtOnce: Math.floor(number(flags.sources, 'sources', 4, 1)),
  }
}

/**
 * `provisio worker`: executes account activities from the durable queue until stopped. Several
 * workers (and `serve`) on one PostgreSQL server share the work; each activity is executed once.
 */
export async function workerCommand(workspace: string, flags: ExecutorFlags): Promise<void> {
  const settings = executorSettings(flags)
  const published = runsFromPublished(workspace, flags.published === true)
  const engine = await (published ? openPublishedEngine(workspace) : openEngine(workspace))
  const services = await startServices(engine, { executor: settings, log })
  const from = published ? 'the published configuration' : `workspace ${engine.config.dir}`
  log(`provisio worker: ${from}, ${engine.db.kind} database, pid ${process.pid}`)
  let stopping = false
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return
    stopping = true
    log(`${signal}: stopping`)
    try {
      await services.stop()
    } catch (err) {
      log(`stopping: ${coerceError(err).message}`)
    }
    log('stopped')
    process.exit(0)
  }
  process.on('SIGINT', () => void stop('SIGINT'))
  process.on('SIGTERM', () => void stop('SIGTERM'))
}

/** `provisio execute`: runs the executor here until nothing more is due now, then prints what happened. */
export async function executeCommand(
  workspace: string,
  flags: { source?: string; lease?: string; json?: boolean },
): Promise<void> {
  const { leaseSeconds } = executorSettings({ ...(flags.lease !== undefined ? { lease: flags.lease } : {}) })
  const totals = await withEngine(workspace, async (e) => {
    const sum = { attempts: 0, finished: 0, failed: 0, retrying: 0, manual: 0, unverifiable: 0 }
    const sourceErrors: { source: string; message: string }[] = []
    for (;;) {
      const r = await executeDue(e, {
        leaseSeconds,
        ...(flags.source !== undefined ? { sources: [flags.source] } : {}),
      })
      for (const k of ['attempts', 'finished', 'failed', 'retrying', 'manual'] as const) sum[k] += r[k]
      sourceErrors.push(...r.sourceErrors)
      if (r.attempts + r.manual === 0) break
    }
    // Access requests whose provisioning ended here: their requesters are told now, not at serve's next timer.
    const requestsAnnounced = await announceRequestOutcomes(e)
    return { ...sum, sourceErrors, requestsAnnounced }
  })
  if (flags.json) return printJson(totals)
  const told = totals.requestsAnnounced > 0 ? `; ${totals.requestsAnnounced} requesters told` : ''
  process.stdout.write(`executed: attempts ${totals.attempts}; ${settledLine(totals)}${told}\n`)
}
