import type { PgBoss } from 'pg-boss'
import { dueSourceIds, sourceDrainer } from '../engine/drain-source.js'
import type { EngineContext } from '../engine/engine-context.js'
import { startProvisioning } from '../jobs/provisioning-jobs.js'

export interface ExecutorSettings {
  readonly pollSeconds: number
  readonly leaseSeconds: number
  readonly sourcesAtOnce: number
}

/** The executor of `serve` and `worker`: the engine's use cases on the durable queue. Returns its stop. */
export async function startExecutor(
  engine: EngineContext,
  boss: PgBoss,
  settings: ExecutorSettings,
  log: (line: string) => void,
): Promise<() => void> {
  return startProvisioning(boss, {
    pollSeconds: settings.pollSeconds,
    sourcesAtOnce: settings.sourcesAtOnce,
    log,
    dueSources: () => dueSourceIds(engine),
    drain: sourceDrainer(engine, settings.leaseSeconds),
  })
}
