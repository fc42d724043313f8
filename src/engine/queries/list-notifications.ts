import { InputError } from '../../domain/errors.js'
import { readFilters, type FilterFields } from '../../domain/query/check-filters.js'
import {
  countNotifications,
  listNotifications as listStored,
  NOTIFICATION_STATES,
  type Notification,
  type NotificationFilter,
  type NotificationFilterField,
  type NotificationSortField,
  type NotificationState,
} from '../../store/notifications.js'
import type { EngineContext } from '../engine-context.js'
import { findIdentity } from './get-identity.js'
import { pageOf, resultOf, type Query, type QueryResult } from './query.js'

export type { Notification, NotificationState } from '../../store/notifications.js'
export { NOTIFICATION_STATES } from '../../store/notifications.js'

const TEXT = ['eq', 'ne', 'in', 'sw', 'pr', 'isnull'] as const
const IDS = ['eq', 'in', 'pr', 'isnull'] as const

/** What the notifications' `filters` can name. */
export const NOTIFICATION_FILTER_FIELDS: FilterFields<NotificationFilterField> = {
  id: { type: 'string', operators: ['eq', 'in'] },
  kind: { type: 'string', operators: ['eq', 'ne', 'in', 'sw'] },
  state: { type: 'string', operators: ['eq', 'ne', 'in'] },
  recipientIdentityId: { type: 'string', operators: IDS },
  recipientEmail: { type: 'string', operators: TEXT, caseInsensitive: true },
  subject: { type: 'string', operators: [...TEXT, 'co'], caseInsensitive: true },
  attempts: { type: 'number', operators: ['eq', 'ne', 'gt', 'lt', 'ge', 'le'] },
  created: { type: 'date', operators: ['gt', 'lt', 'ge', 'le'] },
  sent: { type: 'date', operators: ['gt', 'lt', 'ge', 'le', 'pr', 'isnull'] },
  'regarding.accessRequestId': { type: 'string', operators: IDS },
  'regarding.approvalId': { type: 'string', operators: IDS },
  'regarding.campaignId': { type: 'string', operators: IDS },
}

const SORT_FIELDS: readonly NotificationSortField[] = ['created', 'sent', 'kind', 'state', 'id']

/** The shortcuts beside `filters`: one recipient (an identity id or name) and one state. */
export interface NotificationQueryFilters {
  readonly identity?: string
  readonly state?: string
  readonly expression?: string
}

/**
 * Notifications, newest first: what was (or will be, or could not be) sent to whom, with the outbox of a
 * workspace without SMTP. `identity` takes an identity's id or name.
 */
export async function listNotifications(
  ctx: EngineContext,
  query: Query<NotificationQueryFilters, NotificationSortField> = {},
): Promise<QueryResult<Notification>> {
  const f = query.filters ?? {}
  const filter: NotificationFilter = {
    ...(f.identity !== undefined ? { identityId: (await findIdentity(ctx, f.identity)).id } : {}),
    ...(f.state !== undefined ? { state: stateOf(f.state) } : {}),
    ...(f.expression !== undefined && f.expression.trim() !== ''
      ? { expression: readFilters(f.expression, NOTIFICATION_FILTER_FIELDS) }
      : {}),
  }
  const rows = await listStored(ctx.db, filter, pageOf(query, SORT_FIELDS))
  return resultOf(query, rows, () => countNotifications(ctx.db, filter))
}

function stateOf(state: string): NotificationState {
  const upper = state.toUpperCase()
  if (!(NOTIFICATION_STATES as readonly string[]).includes(upper)) {
    throw new InputError(`state must be one of ${NOTIFICATION_STATES.join(', ')}, not "${state}"`)
  }
  return upper as NotificationState
}
