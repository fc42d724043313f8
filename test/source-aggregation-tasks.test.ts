import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { PgBoss } from 'pg-boss'
import { afterEach, describe, expect, it } from 'vitest'
import { taskStatusJson, loadAccountsJson } from '../src/api/presenters/task-status-json.js'
import { queueSourceAggregation, startTaskRunner } from '../src/app/source-aggregation-tasks.js'
import { NotFoundError } from '../src/domain/errors.js'
import type { AsyncTask } from '../src/domain/tasks/async-task.js'
import type { EngineContext } from '../src/engine/engine-context.js'
import { listTasks } from '../src/engine/queries/list-tasks.js'
import { flatRefreshResult } from '../src/engine/aggregate-then-process.js'
import { refreshSource } from '../src/engine/refresh-source.js'
import {
  abandonTask,
  runSourceAggregationTask,
  submitSourceAggregation,
  taskById,
} from '../src/engine/refresh-task.js'
import { loadWorkspace, SETTINGS_FILE } from '../src/engine/workspace/load-workspace.js'
import { PROVISION_QUEUE } from '../src/jobs/job-payloads.js'
import { startQueue } from '../src/jobs/start-queue.js'
import { workJobs } from '../src/jobs/typed-jobs.js'
import { markAsyncTaskLaunched } from '../src/store/async-tasks.js'
import type { Store } from '../src/store/open-store.js'
import { databases } from './support/databases.js'
import { demoWorkspace, engineContext } from './support/temp-workspace.js'

/** Waits until `check` returns a value (polling), or fails after `ms`. */
async function eventually<T>(check: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const until = Date.now() + ms
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > until) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 200))
  }
}

describe.each(databases)('source-aggregation tasks on $name', (database) => {
  let store: Store | undefined
  let boss: PgBoss | undefined
  afterEach(async () => {
    await boss?.stop({ graceful: false }).catch(() => undefined)
    boss = undefined
    await store?.close()
    store = undefined
  })

  async function setup(provisioning: 'review' | 'automatic' = 'review') {
    const { dir } = await demoWorkspace()
    const settings = join(dir, SETTINGS_FILE)
    writeFileSync(
      settings,
      readFileSync(settings, 'utf8').replace('provisioning: review', `provisioning: ${provisioning}`),
    )
    store = await database.open()
    const ctx = engineContext(await loadWorkspace(dir), store)
    return { dir, ctx, store }
  }

  const completed = (ctx: EngineContext, id: string) =>
    eventually(async () => {
      const t = await taskById(ctx, id)
      return t.completed !== null ? t : undefined
    })

  it('refreshSource aggregates, processes, then applies when provisioning is automatic', async () => {
    const { ctx } = await setup('automatic')
    const steps: string[] = []
    const r = await refreshSource(ctx, 'HR', { onStep: async (s) => void steps.push(s) })
    expect(steps).toEqual(['aggregate', 'process', 'apply'])
    expect(r.aggregated.accounts.created).toBe(40)
    expect(r.processed.identities.created).toBe(40)
    // Processing does not apply: applying is the refresh's own step.
    expect(r.processed.plan).toBeNull()
    expect(r.applied).toMatchObject({ full: true, identities: 40 })
    // `aggregate --json` keeps its shape: the counts, then identities (with what was applied as its plan).
    const flat = flatRefreshResult(r)
    expect(Object.keys(flat)).toEqual([
      'source',
      'file',
      'accounts',
      'rowErrors',
      'entitlementsDiscovered',
      'correlated',
      'uncorrelated',
      'withdrawn',
      'verified',
      'identities',
      'aggregatedMs',
      'durationMs',
      'phases',
    ])
    expect(flat.identities.plan).toEqual(r.applied)
    expect(Object.keys(flat.identities.phases)).toContain('plan')
  })

  it('refreshSource leaves the plan to `apply` when provisioning is review', async () => {
    const { ctx } = await setup('review')
    const steps: string[] = []
    const r = await refreshSource(ctx, 'HR', { onStep: async (s) => void steps.push(s) })
    expect(steps).toEqual(['aggregate', 'process'])
    expect(r.applied).toBeNull()
    expect(flatRefreshResult(r).identities.plan).toBeNull()
  })

  it('runs a queued aggregation to SUCCESS through the queue, in the task-status shape', async () => {
    const { ctx, store } = await setup('automatic')
    const lines: string[] = []
    boss = await startQueue(store, (l) => lines.push(l))
    await startTaskRunner(ctx, boss, (l) => lines.push(l))
    const queued = await queueSourceAggregation(ctx, boss, 'HR', 'alice')
    expect(queued).toMatchObject({
      launched: null,
      completed: null,
      completionStatus: null,
      launcher: 'alice',
    })
    expect(loadAccountsJson(queued)).toMatchObject({
      success: true,
      task: { id: queued.id, type: 'QUEUED_TASK', name: 'Cloud Account Aggregation', completionStatus: null },
    })

    const done = await completed(ctx, queued.id)
    expect(done.completionStatus, JSON.stringify(done.messages)).toBe('SUCCESS')
    expect(done.attempts).toBe(1)
    expect(done.returns).toMatchObject({ total: 40, created: 40, identitiesCreated: 40 })
    expect(done.returns['accountRequests']).toBeGreaterThan(0)
    expect(lines.join('\n')).toMatch(new RegExp(`task ${queued.id} \\(aggregate "HR"\\): SUCCESS`))

    const json = taskStatusJson(done) as Record<string, unknown>
    expect(Object.keys(json)).toEqual([
      'id',
      'type',
      'uniqueName',
      'description',
      'parentName',
      'launcher',
      'target',
      'created',
      'modified',
      'launched',
      'completed',
      'completionStatus',
      'messages',
      'returns',
      'attributes',
      'progress',
      'percentComplete',
    ])
    expect(json).toMatchObject({
      id: queued.id,
      type: 'QUEUED_TASK',
      uniqueName: 'Cloud Account Aggregation',
      launcher: 'alice',
      target: { type: 'SOURCE', name: 'HR' },
      completionStatus: 'SUCCESS',
      messages: [],
      attributes: { sourceName: 'HR', total: 40, created: 40 },
      progress: 'Completed',
      percentComplete: 100,
    })
    expect(json['returns']).toContainEqual({
      name: 'TASK_OUT_ACCOUNT_AGGREGATION_CREATED',
      attributeName: 'created',
    })
    for (const k of ['created', 'launched', 'completed'] as const) {
      expect(String(json[k])).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    }
  })

  it('records a failing aggregation as an ERROR task with its message, and the worker goes on', async () => {
    const { dir, ctx, store } = await setup()
    rmSync(join(dir, 'data/hr.csv'))
    boss = await startQueue(store, () => undefined)
    await startTaskRunner(ctx, boss, () => undefined)
    const failing = await queueSourceAggregation(ctx, boss, 'HR', 'alice')
    const failed = await completed(ctx, failing.id)
    expect(failed).toMatchObject({ completionStatus: 'ERROR', progress: 'Failed', returns: {} })
    expect(failed.messages).toEqual([
      { type: 'ERROR', key: 'aggregation-failed', text: expect.stringMatching(/hr\.csv/) },
    ])
    expect(taskStatusJson(failed)).toMatchObject({
      completionStatus: 'ERROR',
      returns: [],
      messages: [{ type: 'ERROR', key: 'aggregation-failed', localizedText: { locale: 'en-US' } }],
    })
    // The same process takes the next task.
    const next = await queueSourceAggregation(ctx, boss, 'Badge System', 'alice')
    expect((await completed(ctx, next.id)).completionStatus).toBe('SUCCESS')
  })

  it('fails a malformed job with a clear message and keeps working', async () => {
    const { store } = await setup()
    boss = await startQueue(store, () => undefined)
    await boss.createQueue(PROVISION_QUEUE)
    const seen: string[] = []
    const logged: string[] = []
    await workJobs(
      boss,
      PROVISION_QUEUE,
      { pollingIntervalSeconds: 0.5 },
      async (job) => void seen.push(job.data.sourceId),
      (l) => logged.push(l),
    )
    const bad = (await boss.send(PROVISION_QUEUE, { source: 42 })) as string
    const good = (await boss.send(PROVISION_QUEUE, { sourceId: 's1' })) as string
    const failedJob = await eventually(async () => {
      const j = await boss?.getJobById(PROVISION_QUEUE, bad)
      return j?.state === 'failed' ? j : undefined
    })
    expect(JSON.stringify(failedJob.output)).toMatch(/malformed payload for queue \\"provision\\": sourceId/)
    // Not retried: a malformed payload stays malformed.
    expect(failedJob.retryCount).toBe(0)
    await eventually(async () =>
      (await boss?.getJobById(PROVISION_QUEUE, good))?.state === 'completed' ? true : undefined,
    )
    expect(seen).toEqual(['s1'])
    expect(logged.join('\n')).toMatch(new RegExp(`job ${bad}: malformed payload`))
  })

  it('raises NotFoundError for an unknown task or source', async () => {
    const { ctx } = await setup()
    await expect(taskById(ctx, 'no-such-task')).rejects.toThrow(NotFoundError)
    await expect(taskById(ctx, 'no-such-task')).rejects.toThrow('no task with id "no-such-task"')
    await expect(runSourceAggregationTask(ctx, 'no-such-task')).rejects.toThrow(NotFoundError)
    await expect(submitSourceAggregation(ctx, 'Nowhere', 'alice')).rejects.toThrow(
      'no source named "Nowhere"',
    )
  })

  it('runs a task again that a stopped process left RUNNING, and marks an abandoned one ERROR', async () => {
    const { ctx } = await setup()
    const task = await submitSourceAggregation(ctx, 'HR', 'alice')
    // An earlier process took it up and died.
    await markAsyncTaskLaunched(ctx.db, task.id, ctx.now())
    expect((await taskById(ctx, task.id)).progress).toBe('Launched')
    const rerun = await runSourceAggregationTask(ctx, task.id)
    expect(rerun).toMatchObject({ completionStatus: 'SUCCESS', attempts: 2 })
    expect(rerun.messages).toEqual([expect.objectContaining({ type: 'WARN', key: 'restarted' })])
    // A job delivered again does not run a completed task again, and it keeps its outcome.
    expect(await runSourceAggregationTask(ctx, task.id)).toEqual(rerun)
    expect(await abandonTask(ctx, task.id, 'stopped')).toEqual(rerun)

    const lost = await submitSourceAggregation(ctx, 'Badge System', 'alice')
    const abandoned = await abandonTask(ctx, lost.id, 'the processes running this task stopped')
    expect(abandoned).toMatchObject({
      completionStatus: 'ERROR',
      messages: [{ type: 'ERROR', key: 'abandoned', text: 'the processes running this task stopped' }],
    })
  })

  it('lists tasks newest first, paged, with a total and an open filter', async () => {
    const { ctx } = await setup()
    let clock = Date.parse('2026-12-01T08:00:00Z')
    const timed = { ...ctx, now: () => new Date((clock += 1000)) }
    const made: AsyncTask[] = []
    for (const s of ['HR', 'Badge System', 'HR']) made.push(await submitSourceAggregation(timed, s, 'alice'))
    await abandonTask(timed, made[0]!.id, 'stopped')
    const all = await listTasks(timed, { count: true })
    expect(all.rows.map((t) => t.id)).toEqual(made.map((t) => t.id).reverse())
    expect(all.total).toBe(3)
    const page = await listTasks(timed, { limit: 1, offset: 1, count: true, sorters: ['created'] })
    expect(page).toEqual({ rows: [expect.objectContaining({ id: made[1]!.id })], total: 3 })
    const open = await listTasks(timed, { filters: { open: true }, count: true })
    expect(open.total).toBe(2)
    await expect(listTasks(timed, { sorters: ['launcher'] })).rejects.toThrow(/cannot sort by "launcher"/)
  })
})
