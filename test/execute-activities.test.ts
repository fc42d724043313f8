import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { builtInConnectors } from '../src/connectors/built-in-connectors.js'
import { keptOpen } from '../src/connectors/kept-open.js'
import { createMemoryConnector } from '../src/connectors/memory/memory-connector.js'
import {
  DEFAULT_RETRY_POLICIES,
  PROCESS_TYPES,
  type ProcessType,
} from '../src/domain/execution/retry-policy.js'
import { aggregateThenProcess } from '../src/engine/aggregate-then-process.js'
import { applyPlan } from '../src/engine/apply-plan.js'
import type { EngineContext } from '../src/engine/engine-context.js'
import { executeDue } from '../src/engine/execution/execute-due.js'
import { completeTask, rejectTask } from '../src/engine/manual-tasks.js'
import { planIdentities } from '../src/engine/plan-identities.js'
import { loadWorkspace } from '../src/engine/workspace/load-workspace.js'
import { listAccounts } from '../src/store/accounts.js'
import { listActivities, retryNow } from '../src/store/activities.js'
import { claimDue } from '../src/store/activity-claims.js'
import type { Store } from '../src/store/open-store.js'
import { queuedIdentities } from '../src/store/queues.js'
import { listSourceRows } from '../src/store/sources.js'
import { listWorkItems } from '../src/store/work-items.js'
import { databases } from './support/databases.js'
import { demoWorkspace } from './support/temp-workspace.js'

const DIRECTORY = 'Corporate Directory'
const MINUTE = 60_000

/** A clock the test moves by hand. */
function testClock(start = Date.parse('2026-11-27T09:00:00Z')) {
  let t = start
  return {
    now: () => new Date(t),
    advance: (ms: number) => void (t += ms),
    at: (ms: number) => new Date(start + ms).toISOString(),
  }
}

describe.each(databases)('execution on $name', (database) => {
  let store: Store | undefined
  afterEach(async () => {
    await store?.close()
    store = undefined
  })

  /** The demo, aggregated and applied: directory creates (direct) and badge changes (manual). */
  async function setup(options: { retryableErrors?: string[] } = {}) {
    const ws = await demoWorkspace()
    if (options.retryableErrors) {
      const file = join(ws.dir, 'sources/corporate-directory.yaml')
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace(
          'retryableErrors: ["directory is busy"]',
          `retryableErrors: ${JSON.stringify(options.retryableErrors)}`,
        ),
      )
    }
    const config = await loadWorkspace(ws.dir)
    store = await database.open()
    const clock = testClock()
    const ctx: EngineContext = { config, db: store.db, connectors: builtInConnectors(), now: clock.now }
    await aggregateThenProcess(ctx, 'HR')
    await aggregateThenProcess(ctx, 'Badge System')
    const applied = await applyPlan(ctx)
    // The directory (the demo's one memory source) as an instance the test breaks and reads.
    const directory = createMemoryConnector({ idAttribute: 'uid', entitlementAttributes: ['groups'] })
    const withDirectory: EngineContext = {
      ...ctx,
      connectors: ctx.connectors.with('memory', () => keptOpen(directory)),
    }
    const sourceId = (await listSourceRows(store.db)).find((s) => s.name === DIRECTORY)?.id as string
    return { ...ws, ctx, withDirectory, clock, store, applied, directory, sourceId }
  }

  const ofSource = async (ctx: EngineContext, sourceId: string) => listActivities(ctx.db, { sourceId })

  it('creates directory accounts with generated passwords that are stored nowhere', async () => {
    const { ctx, store, directory, withDirectory, sourceId } = await setup()
    const result = await executeDue(withDirectory)
    const activities = await ofSource(ctx, sourceId)
    expect(activities.length).toBeGreaterThan(20)
    expect(result.finished).toBe(activities.length)
    expect(activities.every((a) => a.status === 'FINISHED' && a.attempts === 1)).toBe(true)
    const created = directory.accounts()
    expect(created).toHaveLength(activities.length)
    // The system got a generated password and, as a directory does, keeps only a salted hash of it.
    const password = created[0]?.attributes['password']
    expect(password).toMatch(/^\{SSHA512\}[A-Za-z0-9+/]{96}$/)
    // The request holds no value, the store's copy of the account has no password, and nothing prints one.
    expect(activities[0]?.items.find((i) => i.attribute === 'password')).toMatchObject({
      secret: true,
      value: null,
    })
    const stored = (await listAccounts(store.db, {})).filter((a) => a.sourceName === DIRECTORY)
    expect(stored).toHaveLength(activities.length)
    expect(stored.some((a) => 'password' in a.attributes)).toBe(false)
    expect(JSON.stringify(await listActivities(store.db))).not.toContain(password as string)
    // What was executed is what the store now shows: nothing left to plan on the directory.
    expect((await planIdentities(ctx, { source: DIRECTORY })).items).toEqual([])
  })

  it.each(PROCESS_TYPES)(
    'retries a %s request as its policy says, then fails with the message',
    async (type) => {
      const { ctx, clock, store, directory, withDirectory, sourceId } = await setup()
      await store.db.query('UPDATE account_requests SET type = $1 WHERE source_id = $2', [type, sourceId])
      directory.setBreakMode('create', 'NETWORK')
      const policy = DEFAULT_RETRY_POLICIES[type as ProcessType]
      let elapsed = 0
      for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
        const pass = await executeDue(withDirectory)
        expect(pass.attempts).toBeGreaterThan(0)
        const [first] = await ofSource(ctx, sourceId)
        expect(first?.attempts).toBe(attempt)
        expect(first?.errors.at(-1)).toMatchObject({ kind: 'RETRYABLE', code: 'ECONNREFUSED', attempt })
        if (attempt === policy.maxAttempts) {
          expect(first).toMatchObject({ status: 'FAILED', nextAttemptAt: null })
          expect(first?.errors.at(-1)?.message).toContain('ECONNREFUSED')
          break
        }
        const wait =
          policy.intervalSeconds * 1000 * (policy.backoff === 'exponential' ? 2 ** (attempt - 1) : 1)
        expect(first).toMatchObject({ status: 'RETRY', nextAttemptAt: clock.at(elapsed + wait) })
        // Not due a moment before its time.
        clock.advance(wait - 1000)
        expect((await executeDue(withDirectory)).attempts).toBe(0)
        clock.advance(1000)
        elapsed += wait
      }
      expect(directory.operationLog()).toEqual([])
    },
  )

  it('succeeds once the system is back', async () => {
    const { ctx, clock, directory, withDirectory, sourceId } = await setup()
    directory.setBreakMode('create', 'HOST_UNREACHABLE')
    await executeDue(withDirectory)
    expect((await ofSource(ctx, sourceId)).every((a) => a.status === 'RETRY')).toBe(true)
    directory.clearBreakModes()
    clock.advance(15 * MINUTE)
    await executeDue(withDirectory)
    const after = await ofSource(ctx, sourceId)
    expect(after.every((a) => a.status === 'FINISHED' && a.attempts === 2)).toBe(true)
    expect(directory.operationLog()).toHaveLength(after.length)
  })

  it.each([
    ['NETWORK', 'RETRY', 'RETRYABLE'],
    ['HOST_UNREACHABLE', 'RETRY', 'RETRYABLE'],
    ['TIMEOUT', 'RETRY', 'RETRYABLE'],
    ['SCHEMA', 'FAILED', 'TERMINAL'],
    ['GENERIC', 'FAILED', 'TERMINAL'],
    ['ALREADY_EXISTS', 'FAILED', 'ALREADY_EXISTS'],
    ['SLOW', 'FINISHED', undefined],
  ] as const)('break mode %s on create: %s', async (mode, status, kind) => {
    const { ctx, directory, withDirectory, sourceId } = await setup()
    directory.setBreakMode('create', mode, { latencyMs: 20 })
    await executeDue(withDirectory)
    const [first] = await ofSource(ctx, sourceId)
    expect(first?.status).toBe(status)
    if (kind) expect(first?.errors.at(-1)?.kind).toBe(kind)
  })

  it("ALREADY_EXISTS takes over the existing account only when it is the same person's", async () => {
    const { ctx, store, sourceId } = await setup()
    const [mine, theirs] = await ofSource(ctx, sourceId)
    const employee = (id: string) =>
      (mine?.items.find((i) => i.attribute === 'employeeNumber')?.value as string) +
      (id === 'mine' ? '' : '9')
    const directory = createMemoryConnector({
      idAttribute: 'uid',
      initialAccounts: [
        { nativeIdentity: mine?.nativeIdentity as string, attributes: { employeeNumber: employee('mine') } },
        { nativeIdentity: theirs?.nativeIdentity as string, attributes: { employeeNumber: 'someone-else' } },
      ],
    })
    await executeDue({ ...ctx, connectors: ctx.connectors.with('memory', () => directory) })
    const [a, b] = await ofSource(ctx, sourceId)
    expect(a).toMatchObject({ status: 'FINISHED', errors: [{ kind: 'ALREADY_EXISTS' }] })
    expect(b).toMatchObject({ status: 'FAILED', errors: [{ kind: 'ALREADY_EXISTS' }] })
    expect(b?.errors[0]?.message).toContain('does not belong to this identity')
    const stored = (await listAccounts(store.db, {})).find((x) => x.nativeIdentity === a?.nativeIdentity)
    expect(stored?.identityId).toBe(a?.identityId)
  })

  it('NOT_FOUND on a modify marks the account gone and queues the identity for planning', async () => {
    const { ctx, clock, store, directory, withDirectory, sourceId } = await setup()
    await executeDue(withDirectory)
    // A directory change: every account's department is synced; one account vanished meanwhile.
    const [victim] = await ofSource(ctx, sourceId)
    await store.db.query(
      `UPDATE identities SET attributes = (attributes::jsonb || '{"department": "Moved"}')::json WHERE id = $1`,
      [victim?.identityId],
    )
    await applyPlan(ctx, { identity: victim?.identityId as string })
    directory.setBreakMode('update', 'NOT_FOUND')
    clock.advance(MINUTE)
    await executeDue(withDirectory)
    const modify = (await ofSource(ctx, sourceId)).find((a) => a.operation === 'Modify')
    expect(modify).toMatchObject({ status: 'FAILED', errors: [{ kind: 'NOT_FOUND' }] })
    const accounts = (await listAccounts(store.db, {})).filter(
      (a) => a.nativeIdentity === victim?.nativeIdentity,
    )
    expect(accounts).toEqual([])
    expect(await queuedIdentities(store.db, 'plan')).toContain(victim?.identityId)
  })

  it("a source's own retryable error is retried", async () => {
    const { ctx, directory, withDirectory, sourceId } = await setup({
      retryableErrors: ['/directory is (busy|full)/i'],
    })
    directory.setBreakMode('create', 'GENERIC', { message: 'Directory is BUSY, try later' })
    await executeDue(withDirectory)
    const [first] = await ofSource(ctx, sourceId)
    expect(first).toMatchObject({ status: 'RETRY', errors: [{ kind: 'RETRYABLE' }] })
  })

  it('reads back a request that may have reached the system before its worker died', async () => {
    const { ctx, clock, store, directory, withDirectory, sourceId } = await setup()
    // A worker claims the first wave, applies two of them, and dies before recording anything.
    const now = clock.now()
    const { claimed } = await claimDue(store.db, {
      sourceId,
      concurrency: 8,
      now,
      leaseUntil: new Date(now.getTime() + MINUTE),
    })
    expect(claimed).toHaveLength(8)
    for (const a of claimed.slice(0, 2)) {
      const attributes = Object.fromEntries(
        a.items.filter((i) => !i.secret).map((i) => [i.attribute, i.value]),
      )
      await directory.createAccount(a.nativeIdentity, attributes)
    }
    // Its lease still holds: nobody else touches them.
    await executeDue(withDirectory)
    expect(
      (await listActivities(store.db, { ids: claimed.map((a) => a.id) })).every(
        (a) => a.status === 'PENDING',
      ),
    ).toBe(true)
    clock.advance(2 * MINUTE)
    await executeDue(withDirectory)
    const all = await ofSource(ctx, sourceId)
    expect(all.every((a) => a.status === 'FINISHED')).toBe(true)
    // Each account was created exactly once.
    const creates = directory.operationLog().filter((e) => e.op === 'create')
    expect(creates).toHaveLength(all.length)
    expect(new Set(creates.map((e) => e.nativeIdentity)).size).toBe(all.length)
  })

  it('flat-file changes become work items; completion is verified by the next aggregation', async () => {
    const { ctx, dir, store } = await setup()
    const result = await executeDue(ctx)
    const tasks = await listWorkItems(store.db)
    expect(result.manual).toBe(tasks.length)
    expect(tasks.length).toBeGreaterThanOrEqual(3)
    expect(tasks[0]).toMatchObject({
      owner: 'james.lamarr',
      description: expect.stringMatching(/^Modify account 'B\d+' on source 'Badge System'$/),
      remediationItems: [{ operation: 'Add', attribute: 'zones', value: 'datacenter' }],
    })
    // Waiting for a person, not retried.
    expect((await executeDue(ctx)).manual).toBe(0)

    const [done, rejected, forgotten] = tasks
    const badge = async (id: string) =>
      (await listActivities(store.db, { ids: [id] }))[0]?.nativeIdentity as string
    const doneBadge = await badge(done?.activityId as string)
    await completeTask(ctx, done?.id as string, 'issued')
    await rejectTask(ctx, rejected?.id as string, 'no datacenter clearance')
    await completeTask(ctx, forgotten?.id as string)
    await expect(completeTask(ctx, done?.id as string)).rejects.toThrow(/already finished/)
    // The owner really did the first one; the third was marked done but not done.
    const file = join(dir, 'data/badges.csv')
    writeFileSync(
      file,
      readFileSync(file, 'utf8')
        .split('\n')
        .map((l) => (l.startsWith(`${doneBadge},`) ? `${l}|datacenter` : l))
        .join('\n'),
    )
    const aggregated = await aggregateThenProcess(ctx, 'Badge System')
    expect(aggregated.verified).toEqual({ finished: 1, unverifiable: 1 })
    const statuses = await listActivities(store.db, {
      ids: [done, rejected, forgotten].map((t) => t?.activityId as string),
    })
    expect(statuses.map((a) => a.status)).toEqual(['FINISHED', 'FAILED', 'UNVERIFIABLE'])
    expect(statuses[1]?.errors.at(-1)).toMatchObject({ kind: 'REJECTED', message: 'no datacenter clearance' })
    expect(statuses[2]?.errors.at(-1)?.message).toMatch(/zones lacks datacenter/)
  })

  it('stores the account it provisioned as the next aggregation reads it: nothing "updated"', async () => {
    // Executed against the directory's own state file, which the aggregation then reads.
    const { ctx, store, sourceId } = await setup()
    const result = await executeDue(ctx, { sources: [DIRECTORY] })
    expect(result.finished).toBeGreaterThan(20)
    // A modify too: one identity moves department (attribute sync), executed the same way.
    const [first] = await ofSource(ctx, sourceId)
    await store.db.query(
      `UPDATE identities SET attributes = (attributes::jsonb || '{"department": "Moved"}')::json WHERE id = $1`,
      [first?.identityId],
    )
    await applyPlan(ctx, { identity: first?.identityId as string })
    expect((await executeDue(ctx, { sources: [DIRECTORY] })).finished).toBe(1)
    const before = (await listAccounts(store.db, { sourceId })).map((a) => [a.nativeIdentity, a.displayName])
    const aggregated = await aggregateThenProcess(ctx, DIRECTORY)
    expect(aggregated.accounts).toMatchObject({ created: 0, updated: 0, deleted: 0 })
    expect(aggregated.accounts.unchanged).toBe(result.finished)
    expect(
      (await listAccounts(store.db, { sourceId })).map((a) => [a.nativeIdentity, a.displayName]),
    ).toEqual(before)
  })

  it('retry now gives a failed request a fresh set of attempts', async () => {
    const { ctx, directory, withDirectory, sourceId } = await setup()
    directory.setBreakMode('create', 'SCHEMA')
    await executeDue(withDirectory)
    expect((await ofSource(ctx, sourceId)).every((a) => a.status === 'FAILED')).toBe(true)
    directory.clearBreakModes()
    const ids = await retryNow(ctx.db, { sourceId }, ctx.now())
    expect(ids.length).toBeGreaterThan(0)
    await executeDue(withDirectory)
    expect((await ofSource(ctx, sourceId)).every((a) => a.status === 'FINISHED' && a.attempts === 1)).toBe(
      true,
    )
  })
})
