import { NOTIFICATION_RETRY_POLICY } from '../../domain/config/notification-settings-schema.js'
import { MASK } from '../../domain/config/secret-ref.js'
import { nextAttempt, type RetryPolicy } from '../../domain/execution/retry-policy.js'
import {
  claimDueNotifications,
  recordNotificationOutcome,
  type ClaimedNotification,
  type NotificationOutcome,
} from '../../store/notifications.js'
import type { EngineContext } from '../engine-context.js'
import { smtpTransport, type MailTransport } from './mail-transport.js'

/** What a drain did. */
export interface SendSummary {
  readonly sent: number
  /** Failed this time, to be tried again later (PENDING with a next attempt time). */
  readonly retrying: number
  /** Failed for good (FAILED, with the error). */
  readonly failed: number
  /** Why nothing was sent, when nothing could be: no SMTP server configured. */
  readonly idle?: string
}

export interface SendOptions {
  /** Messages claimed (and sent in parallel) at a time. */
  readonly batchSize?: number
  /** How long a claim holds before another sender may take the message (a sender that died). */
  readonly leaseSeconds?: number
  /** Where secret references are resolved (tests). */
  readonly env?: Readonly<Record<string, string | undefined>>
}

const SENDER_WHEN_UNSET = 'Provisio <provisio@localhost>'

/**
 * Sends every PENDING message that is due, through `transport` or else the SMTP server of the settings,
 * and returns when none is left due. Each message is claimed first (two drains, in one process or in many,
 * never send the same message); a failure is tried again later by the retry policy
 * (notifications.retryPolicy) and ends FAILED with the server's error when the attempts are spent, or at
 * once when the server refused the message itself (a 5xx answer to RCPT TO or DATA).
 */
export async function sendPendingNotifications(
  ctx: Pick<EngineContext, 'config' | 'db' | 'now'>,
  transport?: MailTransport,
  options: SendOptions = {},
): Promise<SendSummary> {
  const settings = ctx.config.settings.notifications
  const smtp = settings?.smtp
  if (transport === undefined && smtp === undefined) {
    return { sent: 0, retrying: 0, failed: 0, idle: 'no SMTP server configured (notifications.smtp)' }
  }
  const policy: RetryPolicy = { ...NOTIFICATION_RETRY_POLICY, ...definedFields(settings?.retryPolicy) }
  const batchSize = options.batchSize ?? 20
  const leaseMs = (options.leaseSeconds ?? 300) * 1000
  const from = smtp?.from ?? SENDER_WHEN_UNSET
  let opened: { transport: MailTransport; secrets: readonly string[] } | undefined
  let openError: unknown
  const counts = { sent: 0, retrying: 0, failed: 0 }
  try {
    // Bounded, so one call ends even if the clock stands still and messages keep coming due.
    for (let round = 0; round < 1000; round++) {
      const now = ctx.now()
      const claimed = await claimDueNotifications(ctx.db, {
        now,
        leaseUntil: new Date(now.getTime() + leaseMs),
        limit: batchSize,
      })
      if (claimed.length === 0) break
      // The SMTP transport is made when there is something to send: an idle poll resolves no secret.
      if (transport === undefined && opened === undefined && openError === undefined && smtp !== undefined) {
        try {
          opened = smtpTransport(smtp, ctx.config.dir, options.env)
        } catch (err) {
          openError = err
        }
      }
      const using = transport ?? opened?.transport
      const secrets = opened?.secrets ?? []
      const outcomes = await Promise.all(
        claimed.map(async (n): Promise<NotificationOutcome> => {
          try {
            if (using === undefined) throw openError
            await using.send(mailOf(n, from))
            return { id: n.id, state: 'SENT', at: ctx.now() }
          } catch (err) {
            return failureOutcome(n, err, policy, ctx.now(), secrets)
          }
        }),
      )
      for (const o of outcomes) {
        await recordNotificationOutcome(ctx.db, o)
        if (o.state === 'SENT') counts.sent++
        else if (o.state === 'PENDING') counts.retrying++
        else counts.failed++
      }
    }
  } finally {
    opened?.transport.close()
  }
  return counts
}

function mailOf(n: ClaimedNotification, from: string) {
  return {
    from,
    to: n.recipientEmail,
    subject: n.subject,
    text: n.body,
    ...(n.html !== null ? { html: n.html } : {}),
    messageId: `<${n.id}@provisio>`,
    headers: {
      'X-Provisio-Notification': n.id,
      'X-Provisio-Kind': n.kind,
      // RFC 3834: an automatic message, so out-of-office replies are not sent back.
      'Auto-Submitted': 'auto-generated',
    },
  }
}

function failureOutcome(
  n: ClaimedNotification,
  err: unknown,
  policy: RetryPolicy,
  now: Date,
  secrets: readonly string[],
): NotificationOutcome {
  const error = describe(err, secrets)
  const e = err as { permanent?: unknown; command?: unknown } | null
  // The server refused this message or its recipient for good: sending it again would get the same answer.
  // A refused login or sender is the settings' fault instead, and is tried again (the settings may be fixed).
  const refused = e?.permanent === true && (e.command === 'RCPT TO' || e.command === 'DATA')
  const next = refused ? null : nextAttempt(policy, n.attempts, now)
  if (next === null) {
    return {
      id: n.id,
      state: 'FAILED',
      error: refused ? error : `${error} (attempt ${n.attempts} of ${policy.maxAttempts})`,
    }
  }
  return {
    id: n.id,
    state: 'PENDING',
    error: `${error} (attempt ${n.attempts} of ${policy.maxAttempts})`,
    nextAttemptAt: next,
  }
}

/** The error in one line, with its code; a secret that found its way into it is masked. */
function describe(err: unknown, secrets: readonly string[]): string {
  const e = err as { message?: unknown; code?: unknown } | null
  let text = typeof e?.message === 'string' ? e.message : String(err)
  if (typeof e?.code === 'string' && !text.includes(e.code)) text = `${e.code}: ${text}`
  for (const s of secrets) text = text.split(s).join(MASK)
  return text.replace(/\s+/g, ' ').trim().slice(0, 2000)
}

function definedFields<T extends object>(o: T | undefined): Partial<T> {
  if (o === undefined) return {}
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}
