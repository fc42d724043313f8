import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { builtInConnectors } from '../src/connectors/built-in-connectors.js'
import { createMemoryConnector } from '../src/connectors/memory/memory-connector.js'
import { aggregateThenProcess } from '../src/engine/aggregate-then-process.js'
import { applyPlan } from '../src/engine/apply-plan.js'
import type { EngineContext } from '../src/engine/engine-context.js'
import { executeDue } from '../src/engine/execution/execute-due.js'
import { completeTask } from '../src/engine/manual-tasks.js'
import { loadWorkspace } from '../src/engine/workspace/load-workspace.js'
import { listActivities, retryNow } from '../src/store/activities.js'
import { claimDue, recordOutcomes } from '../src/store/activity-claims.js'
import { listIdentities } from '../src/store/identities.js'
import type { Store } from '../src/store/open-store.js'
import { queuedIdentities } from '../src/store/queues.js'
import { listSourceRows } from '../src/store/sources.js'
import { listWorkItems } from '../src/store/work-items.js'
import { databases } from './support/databases.js'
import { demoWorkspace } from './support/temp-workspace.js'

const DIRECTORY = 'Corporate Directory'
const BADGES = 'Badge System'
const HOUR = 3_600_000

describe.each(databases)('pending creates that reality overtook, on $name', (database) => {
  let store: Store | undefined
  afterEach(async () => {
    await store?.close()
    store = undefined
  })

  async function open(dir: string) {
    store = await database.open()
    let t = Date.parse('2026-11-27T09:00:00Z')
    const ctx: EngineContext = {
      config: await loadWorkspace(dir),
      db: store.db,
      connectors: builtInConnectors(),
      now: () => new Date(t),
    }
    const advance = (ms: number): void => void (t += ms)
    const sourceId = async (name: string) =>
      (await listSourceRows(ctx.db)).find((s) => s.name === name)?.id as string
    return { ctx, advance, sourceId }
  }

  it('an account that appeared for the identity withdraws its create; a request a worker holds is left alone', async () => {
    const { dir } = await demoWorkspace()
    const { ctx, advance, sourceId } = await open(dir)
    await aggregateThenProcess(ctx, 'HR')
    await applyPlan(ctx)
    const directoryId = await sourceId(DIRECTORY)
    // The directory refuses the first attempt: every create waits for a retry.
    const down = createMemoryConnector({ idAttribute: 'uid' })
    down.setBreakMode('create', 'NETWORK')
    await executeDue({ ...ctx, connectors: ctx.connectors.with('memory', () => down) })
    const creates = await listActivities(ctx.db, { sourceId: directoryId })
    expect(creates.length).toBeGreaterThan(3)
    expect(creates.every((a) => a.operation === 'Create' && a.status === 'RETRY')).toBe(true)
    // A worker takes the first one and is executing it.
    advance(HOUR)
    const now = ctx.now()
    const { claimed } = await claimDue(ctx.db, {
      sourceId: directoryId,
      concurrency: 1,
      now,
      leaseUntil: new Date(now.getTime() + 60_000),
    })
    const [held, overtaken, untouched] = creates
    expect(claimed.map((a) => a.id)).toEqual([held?.id])

    // Meanwhile someone made accounts by hand for the first two, under other ids.
    const employeeNumber = (a: typeof held) =>
      a?.items.find((i) => i.attribute === 'employeeNumber')?.value as string
    const directory = createMemoryConnector({ file: join(dir, 'systems/directory.json'), idAttribute: 'uid' })
    for (const a of [held, overtaken]) {
      await directory.createAccount(`${a?.nativeIdentity}.byhand`, { employeeNumber: employeeNumber(a) })
    }
    const aggregated = await aggregateThenProcess(ctx, DIRECTORY)
    expect(aggregated.correlated).toBe(2)
    expect(aggregated.withdrawn).toBe(1)

    const after = async (a: typeof held) => (await listActivities(ctx.db, { ids: [a?.id as string] }))[0]
    expect(await after(overtaken)).toMatchObject({ status: 'CANCELED', completed: now.toISOString() })
    expect((await after(overtaken))?.errors.at(-1)).toMatchObject({
      kind: 'WITHDRAWN',
      message: expect.stringContaining(`account '${overtaken?.nativeIdentity}.byhand'`),
    })
    expect(await after(untouched)).toMatchObject({ status: 'RETRY' })
    // The held one is the executor's: it finishes it, and a withdrawn request stays withdrawn whatever
    // a late outcome says.
    expect(await after(held)).toMatchObject({ status: 'RETRY' })
    await recordOutcomes(
      ctx.db,
      [
        { id: held?.id as string, status: 'FINISHED', completed: now },
        { id: overtaken?.id as string, status: 'FINISHED', completed: now },
      ],
      now,
    )
    expect(await after(held)).toMatchObject({ status: 'FINISHED' })
    expect(await after(overtaken)).toMatchObject({ status: 'CANCELED' })
    expect(await queuedIdentities(ctx.db, 'plan')).toContain(overtaken?.identityId)

    // Retrying everything does not bring it back, and executing creates no second account for it.
    await retryNow(ctx.db, { sourceId: directoryId }, ctx.now())
    expect(await after(overtaken)).toMatchObject({ status: 'CANCELED' })
    await executeDue(ctx, { sources: [DIRECTORY] })
    const accounts = (await directory.accounts()).filter(
      (x) => x.attributes['employeeNumber'] === employeeNumber(overtaken),
    )
    expect(accounts.map((x) => x.nativeIdentity)).toEqual([`${overtaken?.nativeIdentity}.byhand`])
  })

  it('a badge issued by hand closes the create task for it, with the reason', async () => {
    const { dir } = await demoWorkspace()
    // One person has no badge yet: the plan asks facilities to issue one.
    const file = join(dir, 'data/badges.csv')
    const [header, first, ...rest] = readFileSync(file, 'utf8').split('\n')
    writeFileSync(file, [header, ...rest].join('\n'))
    const { ctx, sourceId } = await open(dir)
    await aggregateThenProcess(ctx, 'HR')
    await aggregateThenProcess(ctx, BADGES)
    await applyPlan(ctx)
    await executeDue(ctx, { sources: [BADGES] })
    const badgesId = await sourceId(BADGES)
    const create = (await listActivities(ctx.db, { sourceId: badgesId })).find(
      (a) => a.operation === 'Create',
    )
    const task = (await listWorkItems(ctx.db)).find((w) => w.activityId === create?.id)
    expect(task).toMatchObject({ state: 'Pending', description: `Create account on source '${BADGES}'` })

    // Facilities issued the badge before anyone looked at the task; the file shows it.
    writeFileSync(file, [header, first, ...rest].join('\n'))
    const aggregated = await aggregateThenProcess(ctx, BADGES)
    expect(aggregated.withdrawn).toBe(1)
    const badge = first?.split(',')[0] as string
    const [closed] = await listWorkItems(ctx.db, { id: task?.id as string, state: 'all' })
    expect(closed).toMatchObject({ state: 'Canceled', secrets: null })
    expect(closed?.comment).toContain(`account '${badge}'`)
    expect((await listActivities(ctx.db, { ids: [create?.id as string] }))[0]).toMatchObject({
      status: 'CANCELED',
    })
    expect(await listWorkItems(ctx.db)).not.toContainEqual(expect.objectContaining({ id: task?.id }))
    await expect(completeTask(ctx, task?.id as string)).rejects.toThrow(/already canceled/)
    const holder = (await listIdentities(ctx.db)).find((i) => i.id === create?.identityId)
    expect(holder).toBeDefined()
  })
})
