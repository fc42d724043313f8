import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ForbiddenError, InputError } from '../src/domain/errors.js'
import { aggregateThenProcess } from '../src/engine/aggregate-then-process.js'
import { applyDueAssignments, applyPlan } from '../src/engine/apply-plan.js'
import type { EngineContext } from '../src/engine/engine-context.js'
import { executeDue } from '../src/engine/execution/execute-due.js'
import type { RequestActor } from '../src/engine/requests/access-request-actor.js'
import {
  approveApproval,
  cancelAccessRequest,
  forwardApproval,
  rejectApproval,
} from '../src/engine/requests/decide-approval.js'
import { completeTask } from '../src/engine/manual-tasks.js'
import { closeAccessRequests } from '../src/engine/requests/close-access-requests.js'
import { openMemoryFaults } from '../src/engine/memory-faults.js'
import { listRequestStatuses } from '../src/engine/requests/request-status.js'
import { runRequestTimers } from '../src/engine/requests/run-request-timers.js'
import { submitAccessRequest } from '../src/engine/requests/submit-access-request.js'
import { TENANT_REQUEST_DEFAULTS } from '../src/engine/requests/tenant-request-config.js'
import { listAccounts } from '../src/store/accounts.js'
import { listApprovals, listWorkItemEvents } from '../src/store/approvals.js'
import { sendPendingNotifications } from '../src/engine/notifications/send-pending-notifications.js'
import { listNotifications } from '../src/store/notifications.js'
import { listAssignments } from '../src/store/assignments.js'
import { listEntitlements } from '../src/store/entitlements.js'
import { listRequestableObjects } from '../src/engine/requests/requestable-objects.js'
import { updateEntitlement } from '../src/engine/update-entitlement.js'
import { findIdentity, listIdentities } from '../src/store/identities.js'
import type { Store } from '../src/store/open-store.js'
import { databases } from './support/databases.js'
import { racedBeforeTransaction } from './support/raced-transaction.js'
import { OPS_TEAM_ID, withApprovals } from './support/request-fixtures.js'
import { startSmtpServer } from './support/smtp-test-server.js'
import { demoWorkspace, engineContext } from './support/temp-workspace.js'

const DIRECTORY = 'Corporate Directory'
const OPS_TEAM = { type: 'ACCESS_PROFILE', id: OPS_TEAM_ID } as const
const DAY = 86_400_000

const person = (identityId: string): RequestActor => ({
  identityId,
  clientId: `pat-${identityId}`,
  capabilities: [],
})

describe.each(databases)('access requests on $name', (database) => {
  let store: Store | undefined
  afterEach(async () => {
    await store?.close()
    store = undefined
  })

  async function setup(tenant: object = {}, notifications?: object) {
    const ws = await demoWorkspace()
    ws.config = {
      ...ws.config,
      settings: {
        ...ws.config.settings,
        accessRequestConfig: { ...TENANT_REQUEST_DEFAULTS, ...tenant },
        ...(notifications ? { notifications } : {}),
      } as never,
    }
    store = await database.open()
    let t = Date.parse('2027-03-01T09:00:00Z')
    const clock = { now: () => new Date(t), advance: (ms: number) => void (t += ms) }
    const ctx: EngineContext = engineContext(
      withApprovals(ws.config, { denialCommentsRequired: true }),
      store,
      clock.now,
    )
    await aggregateThenProcess(ctx, 'HR')
    await aggregateThenProcess(ctx, 'Badge System')
    await applyPlan(ctx)
    await settle(ctx)
    const directory = (await listAccounts(store.db, {})).filter((a) => a.sourceName === DIRECTORY)
    const groups = (a: (typeof directory)[number]) => String(a.attributes['groups'] ?? '')
    const identities = await listIdentities(store.db, {})
    const byId = new Map(identities.map((i) => [i.id, i]))
    const outsider = directory.find(
      (a) =>
        !groups(a).includes('ops-team') &&
        groups(a).includes('all-staff') &&
        byId.get(a.identityId ?? '')?.managerId,
    )
    const requester = byId.get(outsider?.identityId ?? '')
    if (!requester?.managerId) {
      throw new Error('the demo has no directory account without ops-team with a manager')
    }
    const owner = await findIdentity(store.db, 'james.wilson')
    if (!owner) throw new Error('no james.wilson')
    const stranger = identities.find(
      (i) => ![requester.id, requester.managerId, owner.id].includes(i.id),
    ) as (typeof identities)[number]
    return { ctx, clock, dir: ws.dir, requester, manager: requester.managerId, owner: owner.id, stranger }
  }

  async function settle(ctx: EngineContext) {
    await executeDue(ctx, { sources: [DIRECTORY] })
    await aggregateThenProcess(ctx, DIRECTORY)
  }

  async function groupsOf(ctx: EngineContext, identityId: string): Promise<string> {
    const [account] = (await listAccounts(ctx.db, { identityIds: [identityId] })).filter(
      (a) => a.sourceName === DIRECTORY,
    )
    return String(account?.attributes['groups'] ?? '')
  }

  /** The messages about a request, oldest first, as [kind, recipient identity id]. */
  async function messages(ctx: EngineContext, requestId: string): Promise<[string, string | null][]> {
    return (await listNotifications(ctx.db, {}, { sort: [{ field: 'id', descending: false }] }))
      .filter((n) => n.regarding['accessRequestId'] === requestId)
      .map((n) => [n.kind, n.recipientIdentityId])
  }

  /** Every event of an approval, oldest first: what a status leaves out (it shows reassignments only). */
  async function actionsOf(ctx: EngineContext, approvalId: string | undefined) {
    return (await listWorkItemEvents(ctx.db, [approvalId as string])).map((e) => e.action)
  }

  async function statusOf(ctx: EngineContext, requestId: string) {
    const { rows } = await listRequestStatuses(ctx, { filters: { requestIds: [requestId] } })
    return rows[0]
  }

  it('a request approved by the manager and then the owner is provisioned, and completes', async () => {
    const { ctx, requester, manager, owner, stranger } = await setup()
    const made = await submitAccessRequest(ctx, person(requester.id), {
      requestedFor: [requester.id],
      requestType: 'GRANT_ACCESS',
      requestedItems: [{ ...OPS_TEAM, comment: 'on call next month' }],
    })
    expect(made.items).toHaveLength(1)
    let status = await statusOf(ctx, made.requestId)
    expect(status?.state).toBe('EXECUTING')
    expect(status?.approvals.map((a) => [a.scheme, a.owner, a.status])).toEqual([
      ['MANAGER', manager, 'PENDING'],
    ])
    const first = status?.approvals[0]?.id as string
    expect(await messages(ctx, made.requestId)).toEqual([['APPROVAL_REQUESTED', manager]])

    await expect(approveApproval(ctx, person(stranger.id), first, null)).rejects.toThrow(ForbiddenError)
    await approveApproval(ctx, person(manager), first, 'fine by me')
    expect((await messages(ctx, made.requestId)).at(-1)).toEqual(['APPROVAL_REQUESTED', owner])
    status = await statusOf(ctx, made.requestId)
    expect(status?.approvals.map((a) => [a.scheme, a.owner, a.status])).toEqual([
      ['MANAGER', manager, 'APPROVED'],
      ['OWNER', owner, 'PENDING'],
    ])
    expect(await listAssignments(ctx.db, requester.id)).toEqual([])

    await approveApproval(ctx, person(owner), status?.approvals[1]?.id as string, null)
    // The requester is the person it is for: one message.
    expect((await messages(ctx, made.requestId)).at(-1)).toEqual(['REQUEST_APPROVED', requester.id])
    status = await statusOf(ctx, made.requestId)
    expect(status?.item.phase).toBe('APPROVED')
    expect(status?.state).toBe('EXECUTING')
    expect(status?.activities.map((a) => [a.operation, a.type, a.status])).toEqual([
      ['Modify', 'ACCESS_REQUEST', 'PENDING'],
    ])
    const [assignment] = await listAssignments(ctx.db, requester.id)
    expect(assignment).toMatchObject({
      origin: 'ACCESS_REQUEST',
      itemId: OPS_TEAM_ID,
      requestId: made.requestId,
    })

    expect(await runRequestTimers(ctx)).toMatchObject({ announced: 0 })
    await settle(ctx)
    expect(await groupsOf(ctx, requester.id)).toContain('ops-team')
    status = await statusOf(ctx, made.requestId)
    expect(status?.state).toBe('REQUEST_COMPLETED')
    // The timer tells of the completion once, however often it runs.
    expect(await runRequestTimers(ctx)).toMatchObject({ announced: 1 })
    expect(await runRequestTimers(ctx)).toMatchObject({ announced: 0 })
    expect(await messages(ctx, made.requestId)).toEqual([
      ['APPROVAL_REQUESTED', manager],
      ['APPROVAL_REQUESTED', owner],
      ['REQUEST_APPROVED', requester.id],
      ['REQUEST_COMPLETED', requester.id],
    ])
    expect(status?.phases.map((p) => [p.name, p.state, p.result])).toEqual([
      ['APPROVAL_PHASE', 'COMPLETED', 'SUCCESSFUL'],
      ['PROVISIONING_PHASE', 'COMPLETED', 'SUCCESSFUL'],
    ])
    // Asked again: held already, ignored.
    const again = await submitAccessRequest(ctx, person(requester.id), {
      requestedFor: [requester.id],
      requestType: 'GRANT_ACCESS',
      requestedItems: [{ ...OPS_TEAM, comment: 'again' }],
    })
    expect(again.items).toEqual([])
    expect(again.ignored).toEqual([
      expect.objectContaining({ identityId: requester.id, reason: 'already held' }),
    ])
  })

  it('a rejection at the second step ends the request with nothing provisioned', async () => {
    const { ctx, requester, manager, owner } = await setup()
    const made = await submitAccessRequest(ctx, person(requester.id), {
      requestedFor: [requester.id],
      requestType: 'GRANT_ACCESS',
      requestedItems: [OPS_TEAM],
    })
    const [first] = await listApprovals(ctx.db, { owners: [manager], statuses: ['PENDING'] })
    await approveApproval(ctx, person(manager), first?.id as string, null)
    const [second] = await listApprovals(ctx.db, { owners: [owner], statuses: ['PENDING'] })
    await expect(rejectApproval(ctx, person(owner), second?.id as string, '')).rejects.toThrow(
      /needs a comment/,
    )
    await rejectApproval(ctx, person(owner), second?.id as string, 'not in ops')
    const [told] = (await listNotifications(ctx.db)).filter((n) => n.kind === 'REQUEST_REJECTED')
    expect(told).toMatchObject({
      recipientIdentityId: requester.id,
      subject: expect.stringMatching(/^Rejected/),
    })
    expect(told?.body).toContain('Comment: not in ops')
    const status = await statusOf(ctx, made.requestId)
    expect(status?.state).toBe('REJECTED')
    expect(status?.phases[0]).toMatchObject({ state: 'COMPLETED', result: 'FAILED' })
    expect(await listAssignments(ctx.db, requester.id)).toEqual([])
    await settle(ctx)
    expect(await groupsOf(ctx, requester.id)).not.toContain('ops-team')
    // Decided: no second decision.
    await expect(approveApproval(ctx, person(owner), second?.id as string, null)).rejects.toThrow(
      /already rejected/,
    )
  })

  it('forward, cancel, duplicates, and who may ask for whom', async () => {
    const { ctx, requester, manager, stranger } = await setup()
    await expect(
      submitAccessRequest(ctx, person(stranger.id), {
        requestedFor: [requester.id],
        requestType: 'GRANT_ACCESS',
        requestedItems: [OPS_TEAM],
      }),
    ).rejects.toThrow(ForbiddenError)
    // The manager asks for a direct report (a manager request).
    const made = await submitAccessRequest(ctx, person(manager), {
      requestedFor: [requester.id],
      requestType: 'GRANT_ACCESS',
      requestedItems: [OPS_TEAM],
    })
    expect(made.items[0]).toMatchObject({ requesterId: manager, identityId: requester.id, phase: 'APPROVAL' })
    // The same again while pending: recorded, cancelled as a duplicate.
    const dup = await submitAccessRequest(ctx, person(requester.id), {
      requestedFor: [requester.id],
      requestType: 'GRANT_ACCESS',
      requestedItems: [OPS_TEAM],
    })
    expect(dup.items[0]?.phase).toBe('CANCELLED')

    const [pending] = await listApprovals(ctx.db, { owners: [manager], statuses: ['PENDING'] })
    await expect(
      forwardApproval(ctx, person(manager), pending?.id as string, stranger.id, ''),
    ).rejects.toThrow(InputError)
    // Not to the person it is for: they would approve their own access.
    await expect(
      forwardApproval(ctx, person(manager), pending?.id as string, requester.id, 'you decide'),
    ).rejects.toThrow(/is who the access is for/)
    await forwardApproval(ctx, person(manager), pending?.id as string, stranger.id, 'you know this system')
    const status = await statusOf(ctx, made.requestId)
    expect(status?.approvals[0]).toMatchObject({ owner: stranger.id, originalOwner: manager })
    expect(await actionsOf(ctx, status?.approvals[0]?.id)).toEqual(['CREATED', 'FORWARDED'])
    expect(status?.approvals[0]?.reassignments.map((e) => e.action)).toEqual(['FORWARDED'])
    await expect(approveApproval(ctx, person(manager), pending?.id as string, null)).rejects.toThrow(
      ForbiddenError,
    )

    await expect(cancelAccessRequest(ctx, person(stranger.id), made.requestId, 'no')).rejects.toThrow(
      ForbiddenError,
    )
    await cancelAccessRequest(ctx, person(manager), made.requestId, 'not needed after all')
    expect((await statusOf(ctx, made.requestId))?.state).toBe('CANCELLED')
    // The approver forwarded to is asked; on cancel, the person it was for and that approver are told,
    // not the manager who cancelled it.
    expect(await messages(ctx, made.requestId)).toEqual([
      ['APPROVAL_REQUESTED', manager],
      ['APPROVAL_REQUESTED', stranger.id],
      ['REQUEST_CANCELLED', requester.id],
      ['REQUEST_CANCELLED', stranger.id],
    ])
    await expect(cancelAccessRequest(ctx, person(manager), made.requestId, 'again')).rejects.toThrow(
      /cannot be cancelled/,
    )
  })

  /**
   * The requester asks for Operations Team twice at once (a double click, another process): the other
   * request is made after this one read what is pending and held, and before it writes, so each saw none.
   */
  async function askTwiceAtOnce(ctx: EngineContext, requester: string) {
    const ask = (on: EngineContext) =>
      submitAccessRequest(on, person(requester), {
        requestedFor: [requester],
        requestType: 'GRANT_ACCESS',
        requestedItems: [OPS_TEAM],
      })
    let other: Awaited<ReturnType<typeof ask>> | undefined
    const racing = racedBeforeTransaction(ctx, async () => {
      other = await ask(ctx)
    })
    const made = await ask(racing.ctx)
    return { other: other?.items.map((i) => i.phase), made: made.items.map((i) => i.phase) }
  }

  it('two requests for the same item at once open one approval; the other is a duplicate', async () => {
    const { ctx, requester, manager } = await setup()
    expect(await askTwiceAtOnce(ctx, requester.id)).toEqual({ other: ['APPROVAL'], made: ['CANCELLED'] })
    expect(await listApprovals(ctx.db, { owners: [manager], statuses: ['PENDING'] })).toHaveLength(1)
  })

  it('two requests at once for an item approved without approvers give it once; the other is a duplicate', async () => {
    const { ctx: withChain, requester } = await setup()
    const ctx: EngineContext = {
      ...withChain,
      config: withApprovals(withChain.config, { approvalSchemes: [] }),
    }
    // The other is approved and given its assignment before this one writes.
    expect(await askTwiceAtOnce(ctx, requester.id)).toEqual({ other: ['APPROVED'], made: ['CANCELLED'] })
    const given = (await listAssignments(ctx.db, requester.id)).filter((a) => a.itemId === OPS_TEAM_ID)
    expect(given).toHaveLength(1)
  })

  /** A request of the requester's approved by their manager, waiting for its last step, the owner's. */
  async function awaitingLastStep(ctx: EngineContext, requester: string, manager: string, owner: string) {
    const made = await submitAccessRequest(ctx, person(requester), {
      requestedFor: [requester],
      requestType: 'GRANT_ACCESS',
      requestedItems: [OPS_TEAM],
    })
    const [first] = await listApprovals(ctx.db, { owners: [manager], statuses: ['PENDING'] })
    await approveApproval(ctx, person(manager), first?.id as string, null)
    const [last] = await listApprovals(ctx.db, { owners: [owner], statuses: ['PENDING'] })
    return { made, last }
  }

  it('a cancel that loses the race to the last approval is refused, and tells no one of a cancel', async () => {
    const { ctx, requester, manager, owner } = await setup()
    const { made, last } = await awaitingLastStep(ctx, requester.id, manager, owner)
    // The owner approves the last step after the cancel read the request as still in its approval and
    // before its transaction began: what a request from another process does.
    const racing = racedBeforeTransaction(ctx, () =>
      approveApproval(ctx, person(owner), last?.id as string, null),
    )
    await expect(
      cancelAccessRequest(racing.ctx, person(requester.id), made.requestId, 'no longer'),
    ).rejects.toThrow(/was decided meanwhile/)
    expect(racing.raced()).toBe(true)
    const status = await statusOf(ctx, made.requestId)
    expect(status?.item.phase).toBe('APPROVED')
    expect(status?.approvals.map((a) => a.status)).toEqual(['APPROVED', 'APPROVED'])
    expect((await messages(ctx, made.requestId)).map(([kind]) => kind)).not.toContain('REQUEST_CANCELLED')
    expect(await actionsOf(ctx, last?.id)).not.toContain('CANCELLED')
  })

  it('a close finds the request as it is: one approved meanwhile is closed, not skipped', async () => {
    const { ctx, requester, manager, owner } = await setup()
    const { made, last } = await awaitingLastStep(ctx, requester.id, manager, owner)
    // The owner approves the last step after the close read the request in its approval and before it
    // closes it: the request is closed as it now is (approved), not skipped while the close says done.
    const racing = racedBeforeTransaction(ctx, () =>
      approveApproval(ctx, person(owner), last?.id as string, null),
    )
    const admin: RequestActor = { identityId: null, clientId: 'admin', capabilities: ['ORG_ADMIN'] }
    const closed = await closeAccessRequests(racing.ctx, admin, {
      accessRequestIds: [made.requestId],
      executionStatus: 'Terminated',
      completionStatus: 'Failure',
    })
    expect(racing.raced()).toBe(true)
    expect(closed).toBe(1)
    const status = await statusOf(ctx, made.requestId)
    expect(status?.item.phase).toBe('TERMINATED')
    expect(status?.approvals.map((a) => a.status)).toEqual(['APPROVED', 'APPROVED'])
    expect(await actionsOf(ctx, last?.id)).not.toContain('CANCELLED')
  })

  it('refuses what the rules forbid, each with its reason', async () => {
    const { ctx, requester, manager, clock } = await setup()
    const ask = (items: object[], extra: object = {}, actor = person(requester.id)) =>
      submitAccessRequest(ctx, actor, {
        requestedFor: [requester.id],
        requestType: 'GRANT_ACCESS',
        requestedItems: items as never,
        ...extra,
      })
    await expect(ask([{ type: 'ACCESS_PROFILE', id: 'no-such' }])).rejects.toThrow(
      /requestedItems\[0\]: no enabled access profile/,
    )
    const past = new Date(clock.now().getTime() - DAY).toISOString()
    await expect(ask([{ ...OPS_TEAM, removeDate: past }])).rejects.toThrow(
      /removeDate: must be in the future/,
    )
    await expect(ask([{ ...OPS_TEAM, startDate: 'tomorrow' }])).rejects.toThrow(
      /startDate: "tomorrow" is not an ISO 8601/,
    )
    // Dates Date.parse takes but that are not what was meant: a day the month lacks (read as 3 March), a
    // year the database cannot store (it failed there, a 500), hour 24 (read as the next day).
    for (const bad of ['2031-02-31T00:00:00Z', '+200000-01-01T00:00:00Z', '2031-01-01T24:00:00Z']) {
      await expect(ask([{ ...OPS_TEAM, removeDate: bad }])).rejects.toThrow(
        `removeDate: "${bad}" is not an ISO 8601 time`,
      )
    }
    const soon = new Date(clock.now().getTime() + DAY).toISOString()
    await expect(ask([{ ...OPS_TEAM, startDate: soon, removeDate: soon }])).rejects.toThrow(/after startDate/)
    await expect(ask([OPS_TEAM, OPS_TEAM])).rejects.toThrow(/named twice/)
    // A role that is not requestable.
    await expect(ask([{ type: 'ROLE', id: 'All Employees' }])).rejects.toThrow(/is not requestable/)
    // Revoking what role criteria grant: refused, saying why.
    await expect(
      submitAccessRequest(ctx, person(manager), {
        requestedFor: [requester.id],
        requestType: 'REVOKE_ACCESS',
        requestedItems: [{ type: 'ROLE', id: 'All Employees', comment: 'leaving' }],
      }),
    ).rejects.toThrow(/from .*not from a request/)
    await expect(
      submitAccessRequest(ctx, person(requester.id), {
        requestedFor: [requester.id],
        requestType: 'REVOKE_ACCESS',
        requestedItems: [{ ...OPS_TEAM, comment: 'x' }],
      }),
    ).rejects.toThrow(ForbiddenError)
    await expect(
      submitAccessRequest(ctx, person(manager), {
        requestedFor: [requester.id],
        requestType: 'REVOKE_ACCESS',
        requestedItems: [OPS_TEAM],
      }),
    ).rejects.toThrow(/needs a comment/)
    // Nothing was written by any of them.
    expect((await listRequestStatuses(ctx, {})).rows).toEqual([])
  })

  it('a revoke is not a duplicate of a grant still in its approval', async () => {
    const { ctx, clock, requester, manager, owner } = await setup()
    // Access that starts in a week: assigned once approved, not held yet.
    const later = new Date(clock.now().getTime() + 7 * DAY).toISOString()
    const first = await submitAccessRequest(ctx, person(requester.id), {
      requestedFor: [requester.id],
      requestType: 'GRANT_ACCESS',
      requestedItems: [{ ...OPS_TEAM, startDate: later }],
    })
    for (const approver of [manager, owner]) {
      const [step] = await listApprovals(ctx.db, { owners: [approver], statuses: ['PENDING'] })
      await approveApproval(ctx, person(approver), step?.id as string, null)
    }
    expect((await statusOf(ctx, first.requestId))?.item.phase).not.toBe('APPROVAL')
    const again = await submitAccessRequest(ctx, person(requester.id), {
      requestedFor: [requester.id],
      requestType: 'GRANT_ACCESS',
      requestedItems: [OPS_TEAM],
    })
    const revoke = await submitAccessRequest(ctx, person(manager), {
      requestedFor: [requester.id],
      requestType: 'REVOKE_ACCESS',
      requestedItems: [{ ...OPS_TEAM, comment: 'not needed after all' }],
    })
    expect(again.items.map((i) => i.phase)).toEqual(['APPROVAL'])
    expect(revoke.items.map((i) => i.phase)).not.toContain('CANCELLED')
  })

  it('a sunset revokes on its date and a revoke removes requested access', async () => {
    const { ctx, clock, requester, manager, owner } = await setup()
    const made = await submitAccessRequest(ctx, person(requester.id), {
      requestedFor: [requester.id],
      requestType: 'GRANT_ACCESS',
      requestedItems: [{ ...OPS_TEAM, removeDate: new Date(clock.now().getTime() + 10 * DAY).toISOString() }],
    })
    for (const who of [manager, owner]) {
      const [a] = await listApprovals(ctx.db, { owners: [who], statuses: ['PENDING'] })
      await approveApproval(ctx, person(who), a?.id as string, null)
    }
    await settle(ctx)
    expect(await groupsOf(ctx, requester.id)).toContain('ops-team')
    expect((await statusOf(ctx, made.requestId))?.state).toBe('REQUEST_COMPLETED')
    clock.advance(9 * DAY)
    await applyDueAssignments(ctx)
    await settle(ctx)
    expect(await groupsOf(ctx, requester.id)).toContain('ops-team')
    clock.advance(2 * DAY)
    await applyDueAssignments(ctx)
    await settle(ctx)
    expect(await groupsOf(ctx, requester.id)).not.toContain('ops-team')
    expect(await groupsOf(ctx, requester.id)).toContain('all-staff')
  })

  it('reminds the approver and escalates to the fallback approver on the configured days', async () => {
    const { ctx, clock, requester, manager } = await setup({
      approvalReminderAndEscalationConfig: {
        daysUntilEscalation: 3,
        daysBetweenReminders: 1,
        maxReminders: 1,
        fallbackApproverRef: { type: 'IDENTITY', name: 'joan.goldwasser' },
      },
    })
    const fallback = (await findIdentity(ctx.db, 'joan.goldwasser'))?.id as string
    const made = await submitAccessRequest(ctx, person(requester.id), {
      requestedFor: [requester.id],
      requestType: 'GRANT_ACCESS',
      requestedItems: [OPS_TEAM],
    })
    expect(await runRequestTimers(ctx)).toMatchObject({ reminded: 0, escalated: 0 })
    clock.advance(DAY)
    expect(await runRequestTimers(ctx)).toMatchObject({ reminded: 1, escalated: 0 })
    // Run again in the same minute (a second worker): nothing more.
    expect(await runRequestTimers(ctx)).toMatchObject({ reminded: 0, escalated: 0 })
    clock.advance(DAY)
    expect(await runRequestTimers(ctx)).toMatchObject({ reminded: 0 })
    clock.advance(DAY)
    expect(await runRequestTimers(ctx)).toMatchObject({ escalated: 1 })
    const status = await statusOf(ctx, made.requestId)
    expect(status?.approvals[0]).toMatchObject({ owner: fallback, originalOwner: manager })
    expect(await actionsOf(ctx, status?.approvals[0]?.id)).toEqual(['CREATED', 'REMINDED', 'ESCALATED'])
    expect(status?.approvals[0]?.reassignments.map((e) => e.action)).toEqual(['ESCALATED'])
    expect(await messages(ctx, made.requestId)).toEqual([
      ['APPROVAL_REQUESTED', manager],
      ['APPROVAL_REMINDER', manager],
      ['APPROVAL_ESCALATED', fallback],
    ])
    // The fallback approver decides; the manager no longer can.
    await expect(
      approveApproval(ctx, person(manager), status?.approvals[0]?.id as string, null),
    ).rejects.toThrow(ForbiddenError)
    await approveApproval(ctx, person(fallback), status?.approvals[0]?.id as string, null)
  })

  it('auto-approves the steps the requester holds when the tenant enables it', async () => {
    const { ctx, requester, manager } = await setup({ autoApprovalEnabled: true })
    // The manager asks for their report: the manager step is theirs, approved at once; the owner's waits.
    const made = await submitAccessRequest(ctx, person(manager), {
      requestedFor: [requester.id],
      requestType: 'GRANT_ACCESS',
      requestedItems: [OPS_TEAM],
    })
    const status = await statusOf(ctx, made.requestId)
    const approvals = status?.approvals ?? []
    const firstEvents = await Promise.all(approvals.map(async (a) => (await actionsOf(ctx, a.id))[0]))
    expect(approvals.map((a, i) => [a.scheme, a.status, firstEvents[i]])).toEqual([
      ['MANAGER', 'APPROVED', 'AUTO_APPROVED'],
      ['OWNER', 'PENDING', 'CREATED'],
    ])
  })

  it('with approvalsMustBeExternal only the external system (an ORG_ADMIN client) decides', async () => {
    const { ctx, requester, manager, owner } = await setup({ approvalsMustBeExternal: true })
    const made = await submitAccessRequest(ctx, person(requester.id), {
      requestedFor: [requester.id],
      requestType: 'GRANT_ACCESS',
      requestedItems: [OPS_TEAM],
    })
    const [first] = await listApprovals(ctx.db, { owners: [manager], statuses: ['PENDING'] })
    await expect(approveApproval(ctx, person(manager), first?.id as string, null)).rejects.toThrow(
      /decided in the external approval system/,
    )
    await expect(rejectApproval(ctx, person(manager), first?.id as string, 'no')).rejects.toThrow(
      ForbiddenError,
    )
    const external: RequestActor = { identityId: null, clientId: 'itsm', capabilities: ['ORG_ADMIN'] }
    await approveApproval(ctx, external, first?.id as string, 'approved in the ITSM')
    const [second] = await listApprovals(ctx.db, { owners: [owner], statuses: ['PENDING'] })
    await approveApproval(ctx, external, second?.id as string, null)
    await settle(ctx)
    expect((await statusOf(ctx, made.requestId))?.state).toBe('REQUEST_COMPLETED')
  })

  it('a flat-file item becomes a manual task and completes once the next aggregation verifies it', async () => {
    const { ctx, dir } = await setup()
    const badgeOwner = (await findIdentity(ctx.db, 'james.lamarr'))?.id as string
    // Someone with a manager and one badge without the datacenter zone.
    const people = await listIdentities(ctx.db, {})
    const allBadges = (await listAccounts(ctx.db, {})).filter((a) => a.sourceName === 'Badge System')
    const requester = people.find((p) => {
      const mine = allBadges.filter((b) => b.identityId === p.id)
      return (
        p.managerId !== null &&
        p.managerId !== badgeOwner &&
        mine.length === 1 &&
        !String(mine[0]?.attributes['zones']).includes('datacenter')
      )
    })
    expect(requester).toBeDefined()
    if (!requester) return
    const manager = requester.managerId as string
    const badges = allBadges.filter((b) => b.identityId === requester.id)
    const made = await submitAccessRequest(ctx, person(requester.id), {
      requestedFor: [requester.id],
      requestType: 'GRANT_ACCESS',
      requestedItems: [{ type: 'ACCESS_PROFILE', id: 'Datacenter Access' }],
    })
    // The manager, then the demo's governance group "Security Approvers" (james.lamarr is a member).
    for (const who of [manager, badgeOwner]) {
      const itemIds = made.items.map((i) => i.id)
      const [a] = await listApprovals(ctx.db, { requestItemIds: itemIds, statuses: ['PENDING'] })
      await approveApproval(ctx, person(who), a?.id as string, null)
    }
    await executeDue(ctx, { sources: ['Badge System'] })
    let status = await statusOf(ctx, made.requestId)
    expect(status?.state).toBe('EXECUTING')
    expect(status?.manualWorkItems.map((w) => [w.owner, w.state])).toEqual([['james.lamarr', 'Pending']])
    await completeTask(ctx, status?.manualWorkItems[0]?.id as string, 'badge updated')
    status = await statusOf(ctx, made.requestId)
    expect(status?.state).toBe('PROVISIONING_VERIFICATION_PENDING')
    const file = join(dir, 'data/badges.csv')
    const badge = badges[0]?.nativeIdentity as string
    writeFileSync(
      file,
      readFileSync(file, 'utf8')
        .split('\n')
        .map((l) => (l.startsWith(`${badge},`) ? `${l}|datacenter` : l))
        .join('\n'),
    )
    await aggregateThenProcess(ctx, 'Badge System')
    expect((await statusOf(ctx, made.requestId))?.state).toBe('REQUEST_COMPLETED')
  })

  it('a directory outage shows the request retrying, and it completes when the directory is back', async () => {
    const { ctx, clock, requester, manager, owner } = await setup()
    const made = await submitAccessRequest(ctx, person(requester.id), {
      requestedFor: [requester.id],
      requestType: 'GRANT_ACCESS',
      requestedItems: [OPS_TEAM],
    })
    const faults = openMemoryFaults(ctx.config, DIRECTORY)
    try {
      faults.set('*', 'HOST_UNREACHABLE')
      for (const who of [manager, owner]) {
        const [a] = await listApprovals(ctx.db, { owners: [who], statuses: ['PENDING'] })
        await approveApproval(ctx, person(who), a?.id as string, null)
      }
      await executeDue(ctx, { sources: [DIRECTORY] })
      const retrying = await statusOf(ctx, made.requestId)
      expect(retrying?.state).toBe('EXECUTING')
      expect(retrying?.activities.map((a) => a.status)).toEqual(['RETRY'])
      expect(retrying?.activities[0]?.errors.at(-1)?.message).toBeTruthy()
      // Retrying is not an end: nothing to tell yet.
      expect(await runRequestTimers(ctx)).toMatchObject({ announced: 0 })
      faults.clear()
    } finally {
      await faults.close()
    }
    clock.advance(DAY)
    await settle(ctx)
    expect((await statusOf(ctx, made.requestId))?.state).toBe('REQUEST_COMPLETED')
    expect(await groupsOf(ctx, requester.id)).toContain('ops-team')
  })

  it('tells the approvers and the requester by email through a real SMTP server', async () => {
    const smtp = await startSmtpServer()
    try {
      const { ctx, requester, manager, owner } = await setup(
        {},
        { smtp: { host: '127.0.0.1', port: smtp.port, from: 'provisio@example.com' } },
      )
      const made = await submitAccessRequest(ctx, person(requester.id), {
        requestedFor: [requester.id],
        requestType: 'GRANT_ACCESS',
        requestedItems: [{ ...OPS_TEAM, comment: 'on call next month' }],
      })
      expect(await sendPendingNotifications(ctx)).toMatchObject({ sent: 1, failed: 0 })
      const managerMail = String((await findIdentity(ctx.db, manager))?.attributes['email'])
      expect(smtp.received.map((m) => [m.envelopeTo, m.subject])).toEqual([
        [[managerMail], expect.stringMatching(/^Approval needed: Operations Team for /)],
      ])
      expect(smtp.received[0]?.text).toContain('Comment from')
      expect(smtp.received[0]?.text).toContain('on call next month')
      for (const who of [manager, owner]) {
        const [a] = await listApprovals(ctx.db, { owners: [who], statuses: ['PENDING'] })
        await approveApproval(ctx, person(who), a?.id as string, null)
      }
      await settle(ctx)
      await runRequestTimers(ctx)
      expect(await sendPendingNotifications(ctx)).toMatchObject({ sent: 3, failed: 0 })
      const requesterMail = String(requester.attributes['email'])
      expect(smtp.received.slice(1).map((m) => [m.envelopeTo[0], m.subject.split(':')[0]])).toEqual([
        [String((await findIdentity(ctx.db, owner))?.attributes['email']), 'Approval needed'],
        [requesterMail, 'Approved'],
        [requesterMail, 'Done'],
      ])
      expect((await messages(ctx, made.requestId)).length).toBe(4)
    } finally {
      await smtp.close()
    }
  })

  it('an entitlement made requestable is listed, requested, approved by the source owner and then held', async () => {
    const { ctx, requester, owner } = await setup({
      entitlementRequestConfig: {
        ...TENANT_REQUEST_DEFAULTS.entitlementRequestConfig,
        grantRequestApprovalSchemes: 'sourceOwner',
      },
    })
    // The directory's ops-team group, which the requester is not in.
    const [group] = (await listEntitlements(ctx.db, {})).filter(
      (e) => e.sourceName === DIRECTORY && e.value === 'ops-team',
    )
    expect(group).toBeDefined()
    const entitlement = { type: 'ENTITLEMENT', id: group?.id as string } as const
    const listed = async () =>
      (await listRequestableObjects(ctx, { identityId: requester.id, types: ['ENTITLEMENT'] })).rows
    // Not requestable until someone says so.
    expect(await listed()).toEqual([])
    await expect(
      submitAccessRequest(ctx, person(requester.id), {
        requestedFor: [requester.id],
        requestType: 'GRANT_ACCESS',
        requestedItems: [entitlement],
      }),
    ).rejects.toThrow(/is not requestable/)
    await updateEntitlement(ctx, group?.id as string, { requestable: true, owner: 'james.wilson' })
    expect(await listed()).toEqual([
      expect.objectContaining({
        id: group?.id,
        name: group?.displayName ?? group?.value,
        requestStatus: 'AVAILABLE',
      }),
    ])
    const made = await submitAccessRequest(ctx, person(requester.id), {
      requestedFor: [requester.id],
      requestType: 'GRANT_ACCESS',
      requestedItems: [entitlement],
    })
    expect((await listed())[0]).toMatchObject({ requestStatus: 'PENDING', identityRequestId: made.requestId })
    // The Corporate Directory's owner decides.
    const [a] = await listApprovals(ctx.db, { owners: [owner], statuses: ['PENDING'] })
    expect(a).toMatchObject({ scheme: 'SOURCE_OWNER' })
    await approveApproval(ctx, person(owner), a?.id as string, null)
    await settle(ctx)
    expect(await groupsOf(ctx, requester.id)).toContain(group?.value)
    expect((await statusOf(ctx, made.requestId))?.state).toBe('REQUEST_COMPLETED')
    expect((await listed())[0]).toMatchObject({ requestStatus: 'ASSIGNED' })
  })

  it('a new request without an end date clears the end date of access requested before', async () => {
    const { ctx, clock, requester, manager, owner } = await setup()
    const end = new Date(clock.now().getTime() + 10 * DAY).toISOString()
    await submitAccessRequest(ctx, person(requester.id), {
      requestedFor: [requester.id],
      requestType: 'GRANT_ACCESS',
      requestedItems: [{ ...OPS_TEAM, removeDate: end }],
    })
    for (const who of [manager, owner]) {
      const [a] = await listApprovals(ctx.db, { owners: [who], statuses: ['PENDING'] })
      await approveApproval(ctx, person(who), a?.id as string, null)
    }
    await settle(ctx)
    expect((await listAssignments(ctx.db, requester.id))[0]?.removeDate).toBe(end)
    const again = await submitAccessRequest(ctx, person(requester.id), {
      requestedFor: [requester.id],
      requestType: 'GRANT_ACCESS',
      requestedItems: [OPS_TEAM],
    })
    expect(again.ignored).toEqual([expect.objectContaining({ reason: 'held; its end date was removed' })])
    expect((await listAssignments(ctx.db, requester.id))[0]?.removeDate).toBeNull()
    clock.advance(11 * DAY)
    await applyDueAssignments(ctx)
    await settle(ctx)
    expect(await groupsOf(ctx, requester.id)).toContain('ops-team')
  })
})
