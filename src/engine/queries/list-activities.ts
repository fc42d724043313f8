import type { AccountActivity, ProvisioningStatus } from '../../domain/execution/account-activity.js'
import type { ProcessType } from '../../domain/execution/retry-policy.js'
import { readFilters, type FilterFields } from '../../domain/query/check-filters.js'
import {
  countActivities,
  listActivities as listStored,
  type ActivityFilterField,
  type ActivitySortField,
} from '../../store/activities.js'
import type { EngineContext } from '../engine-context.js'
import { findIdentity } from './get-identity.js'
import { sourceNamesById, storedSourceId } from './list-sources.js'
import { pageOf, resultOf, type Query, type QueryResult } from './query.js'

export interface ActivityFilters {
  /** An identity's id or name. */
  readonly identity?: string
  /** A source's name. */
  readonly source?: string
  readonly status?: ProvisioningStatus
  readonly type?: ProcessType
  readonly ids?: readonly string[]
  /** A v3 `filters` string over ACTIVITY_FILTER_FIELDS, with the filters above. */
  readonly expression?: string
}

/** An account activity with its source's name (null when the store no longer knows the source). */
export type ActivityRow = AccountActivity & { readonly sourceName: string | null }

const FIELDS: readonly ActivitySortField[] = ['created', 'modified', 'type', 'id']

const TEXT = ['eq', 'ne', 'in'] as const
const DATES = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'pr', 'isnull'] as const

/**
 * What the v3 `filters` of account activities can name: the reference's (`type`, `created`, `modified`)
 * and Provisio's own (the target identity, the source, the provisioning status, the operation).
 */
export const ACTIVITY_FILTER_FIELDS: FilterFields<ActivityFilterField> = {
  id: { type: 'string', operators: TEXT },
  type: { type: 'string', operators: ['eq', 'ne', 'in', 'sw', 'isnull'] },
  created: { type: 'date', operators: DATES },
  modified: { type: 'date', operators: DATES },
  completed: { type: 'date', operators: DATES },
  identityId: { type: 'string', operators: TEXT },
  sourceId: { type: 'string', operators: TEXT },
  status: { type: 'string', operators: TEXT },
  operation: { type: 'string', operators: TEXT },
}

/**
 * Account activities, oldest first unless sorted otherwise; NotFoundError for an unknown source or
 * identity (the source is looked up first).
 */
export async function listActivities(
  ctx: EngineContext,
  query: Query<ActivityFilters, ActivitySortField> = {},
): Promise<QueryResult<ActivityRow>> {
  const { identity, source, status, type, ids, expression } = query.filters ?? {}
  const checked = expression !== undefined ? readFilters(expression, ACTIVITY_FILTER_FIELDS) : undefined
  const names = await sourceNamesById(ctx)
  const sourceId = source !== undefined ? storedSourceId(names, source) : undefined
  const identityId = identity !== undefined ? (await findIdentity(ctx, identity)).id : undefined
  const filter = {
    ...(ids !== undefined ? { ids } : {}),
    ...(identityId !== undefined ? { identityId } : {}),
    ...(sourceId !== undefined ? { sourceId } : {}),
    ...(status !== undefined ? { status } : {}),
    ...(type !== undefined ? { type } : {}),
    ...(checked !== undefined ? { expression: checked } : {}),
  }
  const rows = (await listStored(ctx.db, filter, pageOf(query, FIELDS))).map((a) => ({
    ...a,
    sourceName: names.get(a.sourceId) ?? null,
  }))
  return resultOf(query, rows, () => countActivities(ctx.db, filter))
}
