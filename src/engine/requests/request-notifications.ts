import type { Identity } from '../../domain/model.js'
import type { RequestItem } from '../../domain/requests/access-request.js'
import type { RequestState } from '../../domain/requests/request-state.js'
import type { Db } from '../../store/db.js'
import {
  queueNotifications,
  type NotificationKind,
  type NotificationMessage,
  type NotifyContext,
} from '../notifications/queue-notification.js'

/** A requested item as its messages need it. */
export type NotifiedItem = Pick<
  RequestItem,
  | 'id'
  | 'requestId'
  | 'requestType'
  | 'requesterId'
  | 'requesterClient'
  | 'identityId'
  | 'itemType'
  | 'itemId'
  | 'itemName'
  | 'comment'
  | 'startDate'
  | 'removeDate'
>

/**
 * A message about a requested item: the fields every access request kind names, what `extra` adds for the
 * kind, and what it is about (the request, the item and, for an approval's messages, the approval).
 */
export function requestMessage(
  kind: NotificationKind,
  item: NotifiedItem,
  recipients: readonly string[],
  extra: Readonly<Record<string, unknown>> = {},
): NotificationMessage {
  const approvalId = typeof extra['approvalId'] === 'string' ? extra['approvalId'] : undefined
  return {
    kind,
    recipients,
    data: {
      requestId: item.requestId,
      item: { type: item.itemType, id: item.itemId, name: item.itemName },
      requestedFor: item.identityId,
      // An API client without an identity asked: the message names the client.
      requestedBy: item.requesterId ?? { name: item.requesterClient ?? 'an API client' },
      requestType: item.requestType,
      comment: item.comment,
      startDate: item.startDate,
      removeDate: item.removeDate,
      ...extra,
    },
    regarding: {
      accessRequestId: item.requestId,
      requestItemId: item.id,
      ...(approvalId !== undefined ? { approvalId } : {}),
    },
  }
}

/** Who hears of a decision or an outcome: the requester and the person the access is for. */
export function requestParties(item: NotifiedItem): string[] {
  return [item.requesterId, item.identityId].filter((id): id is string => id !== null)
}

/** The message telling an item's requester and recipient how its provisioning ended. */
export function outcomeMessage(
  item: NotifiedItem & Pick<RequestItem, 'provisioningError'>,
  state: RequestState,
  error: string | null,
): NotificationMessage {
  return state === 'REQUEST_COMPLETED'
    ? requestMessage('REQUEST_COMPLETED', item, requestParties(item))
    : requestMessage('REQUEST_FAILED', item, requestParties(item), {
        status: state,
        error: error ?? item.provisioningError,
      })
}

/**
 * Queues messages in the transaction of the change they tell of; nothing when there are none. `known`:
 * identities the caller has read already (see queueNotifications).
 */
export async function notify(
  ctx: NotifyContext,
  tx: Db,
  messages: readonly NotificationMessage[],
  known: readonly Identity[] = [],
): Promise<void> {
  if (messages.length > 0) await queueNotifications(ctx, messages, tx, known)
}
