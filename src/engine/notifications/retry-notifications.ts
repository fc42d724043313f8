import { InputError } from '../../domain/errors.js'
import { textEquals } from '../../domain/query/check-filters.js'
import { listNotifications, requeueNotifications } from '../../store/notifications.js'
import type { EngineContext } from '../engine-context.js'

/** Which messages to send again: these ids, or every FAILED one, or every one kept in the outbox. */
export interface RetrySelection {
  readonly ids?: readonly string[]
  readonly failed?: boolean
  readonly outbox?: boolean
}

/** What a retry moved back to the queue, and what it could not (no address: it would fail again). */
export interface RetryResult {
  readonly requeued: readonly string[]
  readonly skipped: readonly { readonly id: string; readonly reason: string }[]
}

/**
 * Sends messages again once their cause is fixed — an SMTP server that was down past the retries, wrong
 * credentials, or no SMTP server at all while messages were kept in the outbox: they become PENDING, due
 * now, with a full set of attempts, and the sender of `serve` and `worker` (or `notifications send`) sends
 * them. Needs an SMTP server configured. A message without an address stays as it is and is listed with why.
 */
export async function retryNotifications(ctx: EngineContext, which: RetrySelection): Promise<RetryResult> {
  if (ctx.config.settings.notifications?.smtp === undefined) {
    throw new InputError('notifications.smtp: no SMTP server is configured, so nothing can be sent again')
  }
  const named = which.ids !== undefined && which.ids.length > 0
  if (!named && !which.failed && !which.outbox) {
    throw new InputError('name the messages to send again: their ids, or all FAILED ones, or the outbox')
  }
  const states = named
    ? (['FAILED', 'OUTBOX'] as const)
    : ([...(which.failed ? ['FAILED'] : []), ...(which.outbox ? ['OUTBOX'] : [])] as ('FAILED' | 'OUTBOX')[])
  const ids = named ? which.ids : undefined
  const requeued = await requeueNotifications(ctx.db, { ...(ids ? { ids } : {}), states }, ctx.now())
  const moved = new Set(requeued)
  const skipped: { id: string; reason: string }[] = []
  for (const id of ids ?? []) {
    if (moved.has(id)) continue
    const [n] = await listNotifications(ctx.db, { expression: textEquals('id', id) })
    skipped.push({
      id,
      reason:
        n === undefined
          ? 'no such notification'
          : n.recipientEmail === null
            ? 'it has no address to send to'
            : `it is ${n.state}, not FAILED or OUTBOX`,
    })
  }
  return { requeued, skipped }
}
