/**
 * Reminders and escalation of a pending approval, from the tenant's `approvalReminderAndEscalationConfig`:
 * a reminder every `daysBetweenReminders` days after the approval was assigned, at most `maxReminders`; on
 * day `daysUntilEscalation` the approval goes to the fallback approver (once). Pure: the engine asks what
 * is due at its clock's time and records what it did, so a timer is never lost to a restart nor run twice.
 */

export interface ReminderSettings {
  readonly daysUntilEscalation: number | null
  readonly daysBetweenReminders: number | null
  readonly maxReminders: number | null
  /** The fallback approver's identity id; without one there is nobody to escalate to. */
  readonly fallbackApprover: string | null
}

export interface ApprovalClock {
  /** When the approval was assigned to its current approver (ISO). */
  readonly assigned: string
  readonly reminders: number
  readonly lastReminded: string | null
  readonly escalated: string | null
  readonly owner: string | null
}

const DAY_MS = 86_400_000

export type DueTimer = { readonly kind: 'ESCALATE'; readonly to: string } | { readonly kind: 'REMIND' } | null

/** What is due now: an escalation first (it changes the approver), else a reminder, else nothing. */
export function dueTimer(approval: ApprovalClock, settings: ReminderSettings, now: Date): DueTimer {
  const t = now.getTime()
  const assigned = Date.parse(approval.assigned)
  const { daysUntilEscalation, fallbackApprover } = settings
  if (
    approval.escalated === null &&
    daysUntilEscalation !== null &&
    fallbackApprover !== null &&
    approval.owner !== fallbackApprover &&
    t >= assigned + daysUntilEscalation * DAY_MS
  ) {
    return { kind: 'ESCALATE', to: fallbackApprover }
  }
  const every = settings.daysBetweenReminders
  if (every === null || every <= 0) return null
  if (approval.reminders >= (settings.maxReminders ?? Number.POSITIVE_INFINITY)) return null
  const since = approval.lastReminded !== null ? Date.parse(approval.lastReminded) : assigned
  return t >= since + every * DAY_MS ? { kind: 'REMIND' } : null
}
