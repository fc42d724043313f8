import { notificationJson } from '../../api/presenters/notification-json.js'
import { withEngine } from '../../app/open-engine.js'
import { NotFoundError } from '../../domain/errors.js'
import { COMMON_FIELDS } from '../../domain/notifications/notification-fields.js'
import { NOTIFICATION_KINDS, NOTIFICATION_KIND_NAMES } from '../../domain/notifications/notification-kinds.js'
import { retryNotifications } from '../../engine/notifications/retry-notifications.js'
import { sendPendingNotifications } from '../../engine/notifications/send-pending-notifications.js'
import { listNotifications } from '../../engine/queries/list-notifications.js'
import { formatTable, printJson } from '../print-table.js'
import { wholeNumberOption } from '../whole-number-option.js'

/** `provisio notifications`: messages, newest first (docs/notifications.md). */
export async function notificationsCommand(
  workspace: string,
  o: { identity?: string; state?: string; filters?: string; limit?: string; offset?: string; json?: boolean },
): Promise<void> {
  const limit = o.limit === undefined ? 50 : wholeNumberOption('--limit', o.limit, 1)
  const offset = o.offset === undefined ? 0 : wholeNumberOption('--offset', o.offset)
  const { rows } = await withEngine(workspace, (e) =>
    listNotifications(e, {
      limit,
      offset,
      filters: {
        ...(o.identity !== undefined ? { identity: o.identity } : {}),
        ...(o.state !== undefined ? { state: o.state } : {}),
        ...(o.filters !== undefined ? { expression: o.filters } : {}),
      },
    }),
  )
  if (o.json) return printJson(rows.map(notificationJson))
  if (rows.length === 0) {
    process.stdout.write('no notifications\n')
    return
  }
  process.stdout.write(
    formatTable(
      ['ID', 'CREATED', 'KIND', 'STATE', 'TO', 'SUBJECT', 'ATTEMPTS', 'LAST ERROR'],
      rows.map((n) => [
        n.id,
        n.created,
        n.kind,
        n.state,
        n.recipientEmail ?? `(${n.recipientIdentityId ?? 'no address'})`,
        n.subject,
        String(n.attempts),
        n.lastError ?? '',
      ]),
      48,
    ) + '\n',
  )
}

/** `provisio notifications show <id>`: one message in full, as its recipient reads it. */
export async function notificationShowCommand(
  workspace: string,
  id: string,
  o: { json?: boolean },
): Promise<void> {
  const { rows } = await withEngine(workspace, (e) =>
    listNotifications(e, { filters: { expression: `id eq ${JSON.stringify(id)}` } }),
  )
  const n = rows[0]
  if (n === undefined) throw new NotFoundError(`no notification with id "${id}"`)
  if (o.json) return printJson(notificationJson(n))
  const lines = [
    `${n.kind} · ${n.state}${n.attempts > 0 ? ` after ${n.attempts} attempt${n.attempts === 1 ? '' : 's'}` : ''}`,
    ...(n.lastError !== null ? [`Error: ${n.lastError}`] : []),
    ...(n.nextAttemptAt !== null && n.state === 'PENDING' ? [`Next attempt: ${n.nextAttemptAt}`] : []),
    `To: ${n.recipientEmail ?? '(no address)'}${n.recipientIdentityId !== null ? ` (identity ${n.recipientIdentityId})` : ''}`,
    `Subject: ${n.subject}`,
    `Created: ${n.created}${n.sent !== null ? `, sent: ${n.sent}` : ''}`,
    '',
    n.body.trimEnd(),
  ]
  process.stdout.write(lines.join('\n') + '\n')
}

/** `provisio notifications send`: sends what is due now through the configured SMTP server. */
export async function notificationsSendCommand(workspace: string, o: { json?: boolean }): Promise<void> {
  const summary = await withEngine(workspace, (e) => sendPendingNotifications(e))
  if (o.json) return printJson(summary)
  process.stdout.write(
    summary.idle !== undefined
      ? `nothing sent: ${summary.idle}; messages stay in the outbox (provisio notifications --state OUTBOX)\n`
      : `${summary.sent} sent, ${summary.retrying} to try again later, ${summary.failed} failed\n`,
  )
}

/** `provisio notifications retry [ID…] [--failed] [--outbox]`: sends messages again once the cause is fixed. */
export async function notificationsRetryCommand(
  workspace: string,
  ids: readonly string[],
  o: { failed?: boolean; outbox?: boolean; json?: boolean },
): Promise<void> {
  const result = await withEngine(workspace, (e) =>
    retryNotifications(e, { ids, failed: o.failed === true, outbox: o.outbox === true }),
  )
  if (o.json) return printJson(result)
  process.stdout.write(
    `${result.requeued.length} to send again (provisio notifications send, or serve and worker, send them)\n`,
  )
  for (const s of result.skipped) process.stdout.write(`not ${s.id}: ${s.reason}\n`)
}

/** `provisio notifications kinds`: the kinds of message and what their templates can name. */
export function notificationKindsCommand(o: { json?: boolean }): void {
  const kinds = NOTIFICATION_KIND_NAMES.map((kind) => {
    const { about, fields } = NOTIFICATION_KINDS[kind]
    return { kind, about, fields: { ...fields, ...COMMON_FIELDS } }
  })
  if (o.json) return printJson(kinds)
  for (const k of kinds) {
    process.stdout.write(`${k.kind}: ${k.about}\n`)
    for (const [name, f] of Object.entries(k.fields)) {
      process.stdout.write(
        `  ${name.padEnd(18)} ${f.type.padEnd(8)} ${f.required ? 'required' : 'optional'}  ${f.about}\n`,
      )
    }
    process.stdout.write('\n')
  }
}
