import type { PgBoss } from 'pg-boss'
import { executeDue } from '../engine/execute-activities.js'
import { startProvisioning } from '../jobs/provisioning-jobs.js'
import { sourcesWithDueActivities } from '../store/activity-claims.js'
import { listSourceRows } from '../store/sources.js'
import type { OpenEngine } from './open-engine.js'

export interface ExecutorSettings {
  readonly pollSeconds: number
  readonly leaseSeconds: number
  readonly sourcesAtOnce: number
}

/** The executor of `serve` and `worker`: the engine's use cases on the durable queue. */
export async function startExecutor(
  engine: OpenEngine,
  boss: PgBoss,
  settings: ExecutorSettings,
  log: (line: string) => void,
): Promise<() => void> {
  const names = new Map<string, string>()
  const nameOf = async (sourceId: string): Promise<string | undefined> => {
    if (!names.has(sourceId)) for (const s of await listSourceRows(engine.db)) names.set(s.id, s.name)
    return names.get(sourceId)
  }
  return startProvisioning(boss, {
    pollSeconds: settings.pollSeconds,
    sourcesAtOnce: settings.sourcesAtOnce,
    log,
    dueSources: () => sourcesWithDueActivities(engine.db, engine.now()),
    drain: async (sourceId) => {
      const name = await nameOf(sourceId)
      if (name === undefined) return ''
      const r = await executeDue(engine, { sources: [name], leaseSeconds: settings.leaseSeconds })
      if (r.sourceErrors.length > 0) return `provisioning "${name}" failed: ${r.sourceErrors[0]?.message}`
      if (r.attempts + r.manual === 0) return ''
      return (
        `provisioned "${name}": attempts ${r.attempts}, finished ${r.finished}, failed ${r.failed}, ` +
        `retrying ${r.retrying}, manual ${r.manual}`
      )
    },
  })
}
