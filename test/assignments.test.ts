import { afterEach, describe, expect, it } from 'vitest'
import { InputError, NotFoundError } from '../src/domain/errors.js'
import { aggregateThenProcess } from '../src/engine/aggregate-then-process.js'
import { applyChanges, applyPlan } from '../src/engine/apply-plan.js'
import { assign, explainAssignments, unassign } from '../src/engine/assignments.js'
import type { EngineContext } from '../src/engine/engine-context.js'
import { executeDue } from '../src/engine/execution/execute-due.js'
import { planIdentities } from '../src/engine/plan-identities.js'
import { listAccounts } from '../src/store/accounts.js'
import type { Store } from '../src/store/open-store.js'
import { databases } from './support/databases.js'
import { demoWorkspace, engineContext } from './support/temp-workspace.js'

const DIRECTORY = 'Corporate Directory'
const OPS_TEAM = { type: 'ACCESS_PROFILE', name: 'Operations Team' } as const
const OPS_GROUP = { type: 'ENTITLEMENT', source: DIRECTORY, attribute: 'groups', value: 'ops-team' } as const
const DAY = 86_400_000

describe.each(databases)('assignments on $name', (database) => {
  let store: Store | undefined
  afterEach(async () => {
    await store?.close()
    store = undefined
  })

  /** The demo, applied and executed on the directory, the directory aggregated back: the steady state. */
  async function setup() {
    const ws = await demoWorkspace()
    store = await database.open()
    let t = Date.parse('2027-03-01T09:00:00Z')
    const clock = { now: () => new Date(t), advance: (ms: number) => void (t += ms) }
    const ctx: EngineContext = engineContext(ws.config, store, clock.now)
    await aggregateThenProcess(ctx, 'HR')
    await aggregateThenProcess(ctx, 'Badge System')
    await applyPlan(ctx)
    await settle(ctx)
    const accounts = (await listAccounts(store.db, {})).filter((a) => a.sourceName === DIRECTORY)
    const hasOps = (a: (typeof accounts)[number]) => groupsOf(a.attributes).includes('ops-team')
    const outsider = accounts.find((a) => !hasOps(a) && groupsOf(a.attributes).includes('all-staff'))
    const operator = accounts.find(hasOps)
    expect(outsider).toBeDefined()
    expect(operator).toBeDefined()
    return { ctx, clock, outsider: outsider?.identityId as string, operator: operator?.identityId as string }
  }

  /** Executes what is due on the directory and reads it back, as a scheduled aggregation would. */
  async function settle(ctx: EngineContext) {
    await executeDue(ctx, { sources: [DIRECTORY] })
    await aggregateThenProcess(ctx, DIRECTORY)
  }

  async function directoryGroups(ctx: EngineContext, identityId: string): Promise<string[]> {
    const [account] = (await listAccounts(ctx.db, { identityIds: [identityId] })).filter(
      (a) => a.sourceName === DIRECTORY,
    )
    return groupsOf(account?.attributes['groups'] === undefined ? {} : account.attributes)
  }

  it('assign grants through the whole engine and unassign revokes it', async () => {
    const { ctx, outsider } = await setup()
    const { assignment, replaced } = await assign(ctx, { identity: outsider, item: OPS_TEAM, actor: 'test' })
    expect(replaced).toBe(false)
    expect(assignment).toMatchObject({ origin: 'ADMIN', itemType: 'ACCESS_PROFILE', createdBy: 'test' })

    const plan = await planIdentities(ctx, { identity: outsider })
    expect(plan.items).toEqual([
      expect.objectContaining({
        sourceName: DIRECTORY,
        operation: 'Modify',
        attributeOperation: 'Add',
        attribute: 'groups',
        value: 'ops-team',
        reasons: [
          expect.objectContaining({ kind: 'ASSIGNMENT', id: assignment.id, origin: 'ADMIN' }),
          expect.objectContaining({ kind: 'ACCESS_PROFILE', name: 'Operations Team', via: 'ASSIGNMENT' }),
        ],
      }),
    ])
    // The refresh plans the identity the assignment queued, and only it.
    const applied = await applyChanges(ctx)
    expect(applied.full).toBe(false)
    expect(applied.summary.identities).toBe(1)
    expect(applied.accountRequests).toBe(1)
    await settle(ctx)
    expect(await directoryGroups(ctx, outsider)).toContain('ops-team')
    expect((await planIdentities(ctx, { identity: outsider })).items).toEqual([])

    await unassign(ctx, { identity: outsider, item: OPS_TEAM })
    const revoke = await planIdentities(ctx, { identity: outsider })
    expect(revoke.items).toEqual([
      expect.objectContaining({
        attributeOperation: 'Remove',
        value: 'ops-team',
        reasons: [
          expect.objectContaining({ kind: 'ASSIGNMENT', id: assignment.id }),
          expect.objectContaining({ kind: 'ACCESS_PROFILE', name: 'Operations Team' }),
        ],
      }),
    ])
    await applyChanges(ctx)
    await settle(ctx)
    expect(await directoryGroups(ctx, outsider)).not.toContain('ops-team')
    expect(await directoryGroups(ctx, outsider)).toContain('all-staff')
  })

  it('unassign keeps what a role or another assignment still grants', async () => {
    const { ctx, outsider, operator } = await setup()
    // The operator's role grants the group too: the assignment adds a reason, not a change.
    const mine = await assign(ctx, { identity: operator, item: OPS_TEAM, actor: 'test' })
    const both = await planIdentities(ctx, { identity: operator, explain: true })
    expect(both.items).toEqual([])
    const granted = both.identities.get(operator)?.desired.grants.find((g) => g.value === 'ops-team')
    expect(granted?.reasons.map((r) => r.kind)).toEqual(['ACCESS_PROFILE', 'ASSIGNMENT', 'ACCESS_PROFILE'])
    await applyChanges(ctx)
    await unassign(ctx, { identity: operator, item: OPS_TEAM })
    expect((await planIdentities(ctx, { identity: operator })).items).toEqual([])
    expect(mine.assignment.id).toBeTruthy()

    // The same entitlement given twice, as an access profile and as itself: one removal keeps it.
    await assign(ctx, { identity: outsider, item: OPS_TEAM, actor: 'test' })
    const direct = await assign(ctx, { identity: outsider, item: OPS_GROUP, actor: 'test' })
    await applyChanges(ctx)
    await settle(ctx)
    expect(await directoryGroups(ctx, outsider)).toContain('ops-team')
    await unassign(ctx, { identity: outsider, item: OPS_TEAM })
    expect((await planIdentities(ctx, { identity: outsider })).items).toEqual([])
    await applyChanges(ctx)
    await unassign(ctx, {
      identity: outsider,
      item: { type: 'ENTITLEMENT', source: DIRECTORY, value: 'ops-team' },
    })
    const revoke = await planIdentities(ctx, { identity: outsider })
    expect(revoke.items).toEqual([
      expect.objectContaining({
        attributeOperation: 'Remove',
        value: 'ops-team',
        reasons: [expect.objectContaining({ kind: 'ASSIGNMENT', id: direct.assignment.id })],
      }),
    ])
  })

  it('an assignment grants from its start date until its end date; a refresh follows the clock', async () => {
    const { ctx, clock, outsider } = await setup()
    const { assignment } = await assign(ctx, {
      identity: outsider,
      item: OPS_TEAM,
      start: '2027-03-03',
      end: '2027-03-05T12:00:00+02:00',
      actor: 'test',
    })
    expect(assignment).toMatchObject({
      startDate: '2027-03-03T00:00:00.000Z',
      removeDate: '2027-03-05T10:00:00.000Z',
    })
    expect((await applyChanges(ctx)).accountRequests).toBe(0)
    expect(await explainAssignments(ctx, outsider)).toEqual([
      expect.objectContaining({ id: assignment.id, status: 'NOT_STARTED', origin: 'ADMIN' }),
    ])
    clock.advance(2 * DAY)
    // Nothing queued the identity: the refresh finds it by the start date that came.
    const started = await applyChanges(ctx)
    expect(started.accountRequests).toBe(1)
    await settle(ctx)
    expect(await directoryGroups(ctx, outsider)).toContain('ops-team')
    clock.advance(3 * DAY)
    expect((await applyChanges(ctx)).accountRequests).toBe(1)
    await settle(ctx)
    expect(await directoryGroups(ctx, outsider)).not.toContain('ops-team')
    expect(await explainAssignments(ctx, outsider)).toEqual([expect.objectContaining({ status: 'ENDED' })])
  })

  it('refuses bad input with the error the exit-code map knows', async () => {
    const { ctx, outsider } = await setup()
    const attempt = (input: Partial<Parameters<typeof assign>[1]>) =>
      assign(ctx, { identity: outsider, item: OPS_TEAM, actor: 'test', ...input })
    await expect(attempt({ identity: 'nobody.at.all' })).rejects.toThrow(NotFoundError)
    await expect(attempt({ item: { type: 'ROLE', name: 'No Such Role' } })).rejects.toThrow(
      /no role "No Such Role"/,
    )
    await expect(attempt({ item: { ...OPS_GROUP, value: 'no-such-group' } })).rejects.toThrow(NotFoundError)
    await expect(attempt({ item: { ...OPS_GROUP, attribute: 'mail' } })).rejects.toThrow(
      /not an entitlement attribute/,
    )
    await expect(attempt({ start: '2027-04-02', end: '2027-04-01' })).rejects.toThrow(InputError)
    await expect(attempt({ start: '2027-02-30' })).rejects.toThrow(/bad start date "2027-02-30"/)
    await expect(attempt({ end: 'tomorrow' })).rejects.toThrow(InputError)
    await expect(attempt({ end: '2027-01-01' })).rejects.toThrow(/has passed/)
    await expect(unassign(ctx, { identity: outsider, item: OPS_TEAM })).rejects.toThrow(
      /no manual \(ADMIN\) assignment/,
    )
    expect(await explainAssignments(ctx, outsider)).toEqual([])
  })
})

function groupsOf(attributes: Readonly<Record<string, unknown>>): string[] {
  const g = attributes['groups']
  return Array.isArray(g) ? g.map(String) : typeof g === 'string' ? [g] : []
}
