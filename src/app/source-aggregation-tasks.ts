import type { PgBoss } from 'pg-boss'
import { coerceError } from '../domain/errors.js'
import type { AsyncTask } from '../domain/tasks/async-task.js'
import type { EngineContext } from '../engine/engine-context.js'
import { abandonTask, runSourceAggregationTask, submitSourceAggregation } from '../engine/refresh-task.js'
import { sendSourceAggregation, startSourceAggregations } from '../jobs/source-aggregation-jobs.js'
import { startQueue } from '../jobs/start-queue.js'
import type { OpenEngine } from './open-engine.js'

/** Works the queue's source-aggregation tasks in `serve` and `worker`. */
export function startTaskRunner(
  engine: EngineContext,
  boss: PgBoss,
  log: (line: string) => void,
): Promise<void> {
  return startSourceAggregations(boss, {
    log,
    run: async (taskId) => {
      const t = await runSourceAggregationTask(engine, taskId)
      const error = t.messages.find((m) => m.type === 'ERROR')
      return `task ${t.id} (aggregate "${t.target.name}"): ${t.completionStatus ?? 'RUNNING'}${error ? `: ${error.text}` : ''}`
    },
    abandon: async (taskId) => {
      const t = await abandonTask(
        engine,
        taskId,
        'the processes running this task stopped before it completed; it is not run again',
      )
      log(`task ${t.id}: ${t.completionStatus ?? 'RUNNING'}`)
    },
  })
}

/**
 * Records a source-aggregation task and puts it on a running queue (`serve`'s, later the API's). When the
 * job cannot be queued, the task is marked ERROR with the reason, and the error is thrown.
 */
export async function queueSourceAggregation(
  engine: EngineContext,
  boss: PgBoss,
  source: string,
  launcher: string,
): Promise<AsyncTask> {
  const task = await submitSourceAggregation(engine, source, launcher)
  try {
    await sendSourceAggregation(boss, task.id)
  } catch (err) {
    await abandonTask(engine, task.id, `the task could not be queued: ${coerceError(err).message}`)
    throw err
  }
  return task
}

/**
 * `aggregate --async`: records the task and queues it from this short-lived process, through a queue
 * started and stopped here; the `serve` or `worker` processes on the database run it.
 */
export async function submitSourceAggregationTask(
  engine: OpenEngine,
  source: string,
  launcher: string,
): Promise<AsyncTask> {
  const boss = await startQueue(engine.store, () => undefined, { sendOnly: true })
  try {
    return await queueSourceAggregation(engine, boss, source, launcher)
  } finally {
    await boss.stop({ graceful: false })
  }
}
