import type { WorkspaceConfig } from '../../domain/config/workspace-config.js'
import { newId } from '../../domain/new-id.js'
import {
  identityIdsIn,
  identityView,
  templateData,
  unknownIdentityView,
  type IdentityView,
} from '../../domain/notifications/notification-data.js'
import {
  isNotificationKind,
  NOTIFICATION_KINDS,
  type NotificationKind,
} from '../../domain/notifications/notification-kinds.js'
import { renderTemplate, type TemplateSource } from '../../domain/notifications/notification-template.js'
import type { Identity } from '../../domain/model.js'
import type { Db } from '../../store/db.js'
import { loadIdentitiesById } from '../../store/identities.js'
import {
  insertNotifications,
  type NotificationState,
  type NotificationWrite,
} from '../../store/notifications.js'
import type { EngineContext } from '../engine-context.js'

export type { NotificationKind } from '../../domain/notifications/notification-kinds.js'

/** Someone to tell who is not an identity (a configured address, say). */
export interface AddressRecipient {
  readonly email: string
  readonly name?: string
}

/** One message to queue: its kind, who gets it, the data its template names, and what it is about. */
export interface NotificationMessage {
  readonly kind: NotificationKind
  /** Identity ids (their `email` attribute is the address), or addresses of people who are no identity. */
  readonly recipients: readonly (string | AddressRecipient)[]
  /** The kind's fields (docs/notifications.md, "Kinds"); identity fields take an identity id. */
  readonly data: Readonly<Record<string, unknown>>
  /** What the message is about, for finding it again: `{ accessRequestId, approvalId }`, `{ campaignId }`. */
  readonly regarding?: Readonly<Record<string, string>>
}

/** A row queued: one per recipient. */
export interface QueuedNotification {
  readonly id: string
  readonly recipientIdentityId: string | null
  readonly recipientEmail: string | null
  readonly state: NotificationState
  /** Why it will not be sent (no address, a template that failed), when it will not. */
  readonly lastError: string | null
}

/** What queueing needs of the engine: the configuration (templates, SMTP or not), the store, the clock. */
export type NotifyContext = Pick<EngineContext, 'config' | 'db' | 'now'>

/**
 * Queues a message to each recipient: renders the kind's template (the workspace's, else the default) with
 * `data` and the recipient, and writes one row per recipient to `db` — pass the transaction of the change
 * the message tells of, so both are kept or neither. With SMTP configured a row is PENDING (sent by the
 * sender of `serve` and `worker`, or `sendPendingNotifications`); without, it stays in the OUTBOX to be read.
 * A recipient without an email address, an identity id that does not exist, or a workspace template that
 * fails on this data still gets a row, FAILED (OUTBOX without SMTP) with the reason: nothing is dropped.
 * Data that does not fit the kind is the caller's bug and throws, naming every wrong field.
 */
export async function queueNotification(
  ctx: NotifyContext,
  message: NotificationMessage,
  db: Db = ctx.db,
): Promise<QueuedNotification[]> {
  return queueNotifications(ctx, [message], db)
}

/**
 * queueNotification for several messages, written in one statement (bulk approvals, campaigns). `known`:
 * identities the caller has just read, which are not read again (the others named are).
 */
export async function queueNotifications(
  ctx: NotifyContext,
  messages: readonly NotificationMessage[],
  db: Db = ctx.db,
  known: readonly Identity[] = [],
): Promise<QueuedNotification[]> {
  const identityIds = new Set<string>()
  for (const m of messages) {
    if (!isNotificationKind(m.kind)) {
      throw new Error(
        `unknown notification kind "${String(m.kind)}": one of ${Object.keys(NOTIFICATION_KINDS).join(', ')}`,
      )
    }
    checkRegarding(m)
    for (const r of m.recipients) if (typeof r === 'string') identityIds.add(r)
    for (const id of identityIdsIn(NOTIFICATION_KINDS[m.kind].fields, m.data)) identityIds.add(id)
  }
  const views = new Map<string, IdentityView>()
  for (const identity of known) {
    if (identityIds.has(identity.id)) views.set(identity.id, identityView(identity))
  }
  const missing = [...identityIds].filter((id) => !views.has(id))
  for (const identity of missing.length > 0 ? await loadIdentitiesById(db, missing) : []) {
    views.set(identity.id, identityView(identity))
  }

  const now = ctx.now()
  const settings = ctx.config.settings.notifications
  const sending = settings?.smtp !== undefined
  const rows: NotificationWrite[] = []
  for (const m of messages) {
    const data = templateData(m.kind, NOTIFICATION_KINDS[m.kind].fields, m.data, views)
    if (typeof data['link'] === 'string') data['link'] = absoluteLink(data['link'], settings?.baseUrl)
    const { source, file } = templateOf(ctx.config, m.kind)
    for (const recipient of uniqueRecipients(m.recipients)) {
      const known = typeof recipient === 'string' ? views.get(recipient) : undefined
      const view: IdentityView =
        typeof recipient === 'string'
          ? (known ?? unknownIdentityView(recipient))
          : {
              id: null,
              name: recipient.name ?? recipient.email,
              displayName: recipient.name ?? recipient.email,
              email: recipient.email,
            }
      let problem =
        typeof recipient === 'string' && known === undefined
          ? `no identity with id "${recipient}"`
          : view.email === null
            ? `identity "${view.name}" has no email address (its email attribute is empty)`
            : !isAddress(view.email)
              ? `"${view.email}" is not an email address`
              : null
      let rendered: { subject: string; body: string; html: string | null }
      try {
        // Object.assign rather than `{ ...data, … }`: on V8 each property after a spread costs about a
        // microsecond, and a bulk approval or a campaign queues thousands of messages.
        rendered = renderTemplate(
          source,
          Object.assign({}, data, {
            recipient: view,
            baseUrl: settings?.baseUrl ?? null,
            tenant: ctx.config.settings.name,
            kind: m.kind,
          }),
        )
      } catch (err) {
        // A workspace template that reaches into a field this message has as null (`{{approver.name}}` with
        // no approver): the row says so, and the template can be fixed with `{{#if approver}}`.
        const reason = `${file}: ${err instanceof Error ? err.message : String(err)}`
        problem = `the template could not be rendered: ${reason}`
        rendered = { subject: `${m.kind} (not rendered)`, body: `${problem}\n`, html: null }
      }
      rows.push({
        id: newId(),
        kind: m.kind,
        recipientIdentityId: typeof recipient === 'string' ? recipient : null,
        recipientEmail: view.email,
        subject: rendered.subject,
        body: rendered.body,
        html: rendered.html,
        state: !sending ? 'OUTBOX' : problem !== null ? 'FAILED' : 'PENDING',
        lastError: problem,
        nextAttemptAt: sending && problem === null ? now.toISOString() : null,
        regarding: m.regarding ?? {},
      })
    }
  }
  await insertNotifications(db, rows, now)
  return rows.map((r) => ({
    id: r.id,
    recipientIdentityId: r.recipientIdentityId,
    recipientEmail: r.recipientEmail,
    state: r.state,
    lastError: r.lastError,
  }))
}

/** The template a kind renders with: the workspace's file when it has one, else the default. */
function templateOf(
  config: WorkspaceConfig,
  kind: NotificationKind,
): { source: TemplateSource; file: string } {
  const own = config.notificationTemplates?.find((t) => t.value.kind === kind)
  return own !== undefined
    ? { source: own.value, file: own.file }
    : { source: NOTIFICATION_KINDS[kind], file: `the default template of ${kind}` }
}

/** Each recipient once: the same identity (or address) named twice gets one message. */
function uniqueRecipients(recipients: NotificationMessage['recipients']): (string | AddressRecipient)[] {
  const seen = new Set<string>()
  return recipients.filter((r) => {
    const key = typeof r === 'string' ? `id:${r}` : `email:${r.email.toLowerCase()}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}

/** A path (`/…`) is made absolute against notifications.baseUrl; a URL, or a path without a base, stays. */
function absoluteLink(link: string, baseUrl: string | undefined): string {
  if (baseUrl === undefined || !link.startsWith('/')) return link
  return baseUrl.replace(/\/+$/, '') + link
}

// One address, nothing a header could be split at: the rest is the mail server's to judge.
function isAddress(email: string): boolean {
  return /^[^\s@<>,;]+@[^\s@<>,;]+$/.test(email)
}

function checkRegarding(m: NotificationMessage): void {
  for (const [key, value] of Object.entries(m.regarding ?? {})) {
    if (typeof value !== 'string') {
      throw new Error(`notification ${m.kind}: regarding.${key} must be text (an id), not ${typeof value}`)
    }
  }
  for (const r of m.recipients) {
    if (typeof r !== 'string' && (typeof r?.email !== 'string' || r.email === '')) {
      throw new Error(`notification ${m.kind}: a recipient is an identity id or { email, name? }`)
    }
  }
}
