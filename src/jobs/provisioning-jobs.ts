import type { PgBoss } from 'pg-boss'
import { coerceError } from '../domain/errors.js'
import { PROVISION_QUEUE } from './job-payloads.js'
import { sendJob, workJobs } from './typed-jobs.js'

export { PROVISION_QUEUE }

export interface ProvisioningOptions {
  /** Works through one source's due activities; returns a line for the log (empty: nothing done). */
  readonly drain: (sourceId: string) => Promise<string>
  /** The sources with activities due now (or whose worker died). */
  readonly dueSources: () => Promise<string[]>
  /** How often to look for due work, in seconds (new requests, retries coming due, dead workers' leases). */
  readonly pollSeconds: number
  /** Sources this process works on at once. */
  readonly sourcesAtOnce: number
  readonly log: (line: string) => void
}

/**
 * Runs the executor on the durable queue. A poller enqueues one job per source with due work — the
 * `short` policy keeps at most one waiting per source, however many pollers (processes) there are — and
 * every process's workers take jobs as they come. Several processes may drain one source at once: the
 * store's claims give each activity to one of them, within the source's concurrency limit.
 */
export async function startProvisioning(boss: PgBoss, options: ProvisioningOptions): Promise<() => void> {
  await boss.createQueue(PROVISION_QUEUE, { policy: 'short', retryLimit: 2, expireInSeconds: 3600 })
  await workJobs(
    boss,
    PROVISION_QUEUE,
    { localConcurrency: options.sourcesAtOnce, pollingIntervalSeconds: options.pollSeconds },
    async (job) => {
      try {
        const line = await options.drain(job.data.sourceId)
        if (line !== '') options.log(`${line} [job ${job.id}]`)
      } catch (err) {
        options.log(`provisioning of source ${job.data.sourceId} failed: ${coerceError(err).message}`)
        throw err
      }
    },
    options.log,
  )
  let stopped = false
  let running = false
  const poll = async (): Promise<void> => {
    if (stopped || running) return
    running = true
    try {
      for (const sourceId of await options.dueSources()) {
        await sendJob(boss, PROVISION_QUEUE, { sourceId }, { singletonKey: sourceId })
      }
    } catch (err) {
      options.log(`looking for due provisioning failed: ${coerceError(err).message}`)
    } finally {
      running = false
    }
  }
  const timer = setInterval(() => void poll(), options.pollSeconds * 1000)
  void poll()
  return () => {
    stopped = true
    clearInterval(timer)
  }
}
