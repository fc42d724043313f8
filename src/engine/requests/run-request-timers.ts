import { dueTimer } from '../../domain/requests/approval-timers.js'
import { listRequestItems } from '../../store/access-requests.js'
import { insertWorkItemEvent, listApprovals, markReminded, reassignApproval } from '../../store/approvals.js'
import { findIdentity } from '../../store/identities.js'
import { applyDueAssignments } from '../apply-plan.js'
import type { EngineContext } from '../engine-context.js'
import { announceRequestOutcomes } from './announce-request-outcomes.js'
import { approversOf } from './approval-steps.js'
import { provisionApprovedItems } from './provision-approved.js'
import { notify, requestMessage } from './request-notifications.js'
import { tenantRequestConfig } from './tenant-request-config.js'

export interface TimerRun {
  readonly identitiesApplied: number
  readonly recovered: number
  readonly reminded: number
  readonly escalated: number
  /** Items whose requester and recipient were told that provisioning ended. */
  readonly announced: number
}

/**
 * What the clock makes due for access requests, at the context's time:
 * - assignments whose start or end date came: their identities' plans applied (sunrise, sunset);
 * - approved items whose provisioning did not start (a process stopped between the decision and it);
 * - reminders to approvers and escalation to the tenant's fallback approver, as configured, each with its
 *   message;
 * - approved items whose provisioning ended: their requester and recipient told how.
 * Each change is guarded in the store, so two runs at once do each thing once.
 */
export async function runRequestTimers(ctx: EngineContext): Promise<TimerRun> {
  const now = ctx.now()
  const applied = await applyDueAssignments(ctx)
  // Only the approved items never given an assignment: not every item approved since the start.
  const stranded = await listRequestItems(ctx.db, { phases: ['APPROVED'], unassigned: true })
  await provisionApprovedItems(
    ctx,
    stranded.map((i) => i.id),
  )
  const recovered = stranded.length
  const config = tenantRequestConfig(ctx).approvalReminderAndEscalationConfig
  const fallbackRef = config.fallbackApproverRef
  const fallback = fallbackRef
    ? await findIdentity(ctx.db, fallbackRef.id ?? fallbackRef.name ?? '')
    : undefined
  const settings = {
    daysUntilEscalation: config.daysUntilEscalation,
    daysBetweenReminders: config.daysBetweenReminders,
    maxReminders: config.maxReminders,
    fallbackApprover: fallback?.id ?? null,
  }
  let reminded = 0
  let escalated = 0
  if (settings.daysBetweenReminders !== null || settings.daysUntilEscalation !== null) {
    const pending = await listApprovals(ctx.db, { statuses: ['PENDING'] })
    const items = new Map(
      (await listRequestItems(ctx.db, { ids: [...new Set(pending.map((a) => a.requestItemId))] })).map(
        (i) => [i.id, i],
      ),
    )
    for (const a of pending) {
      const item = items.get(a.requestItemId)
      if (item === undefined) continue
      const due = dueTimer(
        {
          assigned: a.escalated ?? a.created,
          reminders: a.reminders,
          lastReminded: a.lastReminded,
          escalated: a.escalated,
          owner: a.owner,
        },
        settings,
        now,
      )
      if (due === null) continue
      await ctx.db.transaction(async (tx) => {
        const done =
          due.kind === 'REMIND'
            ? await markReminded(tx, a.id, a.reminders, now)
            : await reassignApproval(tx, a.id, due.to, now, { escalated: true })
        if (!done) return
        await insertWorkItemEvent(tx, {
          workItemId: a.id,
          at: now.toISOString(),
          actor: null,
          action: due.kind === 'REMIND' ? 'REMINDED' : 'ESCALATED',
          fromOwner: a.owner ?? a.ownerGroup,
          toOwner: due.kind === 'ESCALATE' ? due.to : (a.owner ?? a.ownerGroup),
          comment:
            due.kind === 'REMIND'
              ? `reminder ${a.reminders + 1}`
              : `escalated to the fallback approver after ${String(settings.daysUntilEscalation)} days`,
        })
        const message =
          due.kind === 'REMIND'
            ? requestMessage('APPROVAL_REMINDER', item, approversOf(item, a), {
                approvalId: a.id,
                pendingSince: a.escalated ?? a.created,
                reminder: a.reminders + 1,
              })
            : requestMessage('APPROVAL_ESCALATED', item, [due.to], {
                approvalId: a.id,
                previousApprover: a.owner,
              })
        await notify(ctx, tx, [message])
        if (due.kind === 'REMIND') reminded++
        else escalated++
      })
    }
  }
  const announced = await announceRequestOutcomes(ctx)
  return { identitiesApplied: applied?.summary.identities ?? 0, recovered, reminded, escalated, announced }
}

/** One line for serve's log; empty when nothing was due. */
export function timerSummary(r: TimerRun): string {
  const parts = [
    r.identitiesApplied > 0 ? `${r.identitiesApplied} identities with start or end dates applied` : '',
    r.recovered > 0 ? `${r.recovered} approved items provisioned` : '',
    r.reminded > 0 ? `${r.reminded} reminders` : '',
    r.escalated > 0 ? `${r.escalated} escalations` : '',
    r.announced > 0 ? `${r.announced} requests' outcomes announced` : '',
  ]
  return parts.filter(Boolean).join(', ')
}
