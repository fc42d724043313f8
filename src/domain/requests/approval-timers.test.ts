import { describe, expect, it } from 'vitest'
import { dueTimer, type ApprovalClock, type ReminderSettings } from './approval-timers.js'

const day = (n: number): Date => new Date(Date.parse('2027-01-01T00:00:00Z') + n * 86_400_000)
const fresh: ApprovalClock = {
  assigned: day(0).toISOString(),
  reminders: 0,
  lastReminded: null,
  escalated: null,
  owner: 'boss',
}
const settings: ReminderSettings = {
  daysUntilEscalation: 5,
  daysBetweenReminders: 2,
  maxReminders: 1,
  fallbackApprover: 'fallback',
}

describe('approval reminders and escalation', () => {
  it.each([
    ['nothing before the first reminder is due', fresh, settings, 1.9, null],
    ['a reminder after daysBetweenReminders', fresh, settings, 2, { kind: 'REMIND' }],
    [
      'the next reminder counts from the last',
      { ...fresh, reminders: 1, lastReminded: day(2).toISOString() },
      { ...settings, maxReminders: 3 },
      3.5,
      null,
    ],
    [
      'no more than maxReminders',
      { ...fresh, reminders: 1, lastReminded: day(2).toISOString() },
      settings,
      4.5,
      null,
    ],
    ['escalation on day daysUntilEscalation', fresh, settings, 5, { kind: 'ESCALATE', to: 'fallback' }],
    [
      'no escalation without a fallback approver',
      fresh,
      { ...settings, fallbackApprover: null },
      9,
      { kind: 'REMIND' },
    ],
    [
      'escalated once only',
      { ...fresh, escalated: day(5).toISOString(), reminders: 1, lastReminded: day(2).toISOString() },
      settings,
      9,
      null,
    ],
    [
      'the fallback approver is not escalated to themselves',
      { ...fresh, owner: 'fallback' },
      settings,
      9,
      { kind: 'REMIND' },
    ],
    [
      'nothing configured, nothing due',
      fresh,
      { daysUntilEscalation: null, daysBetweenReminders: null, maxReminders: null, fallbackApprover: null },
      99,
      null,
    ],
  ] as const)('%s', (_, clock, s, at, expected) => {
    expect(dueTimer(clock, s, day(at))).toEqual(expected)
  })
})
