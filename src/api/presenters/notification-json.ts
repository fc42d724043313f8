import type { Notification } from '../../engine/queries/list-notifications.js'

/** One notification, as `provisio notifications --json` and `GET /provisio/v1/notifications` show it. */
export function notificationJson(n: Notification): object {
  return {
    id: n.id,
    kind: n.kind,
    state: n.state,
    recipient: { identityId: n.recipientIdentityId, email: n.recipientEmail },
    subject: n.subject,
    body: n.body,
    html: n.html,
    attempts: n.attempts,
    lastError: n.lastError,
    nextAttemptAt: n.nextAttemptAt,
    regarding: n.regarding,
    created: n.created,
    sent: n.sent,
  }
}
