import { NotFoundError } from '../../domain/errors.js'
import {
  countWorkItems,
  listWorkItems as listStored,
  type WorkItem,
  type WorkItemSortField,
} from '../../store/work-items.js'
import type { EngineContext } from '../engine-context.js'
import { revealTaskSecrets } from '../manual-tasks.js'
import { findIdentity } from './get-identity.js'
import { sourceNamesById } from './list-sources.js'
import { pageOf, resultOf, type Query, type QueryResult } from './query.js'

export type { WorkItem } from '../../store/work-items.js'

export interface WorkItemFilters {
  readonly owner?: string
  /** Owned by this identity (id or name): by its id or its name. NotFoundError for an unknown identity. */
  readonly ownerIdentity?: string
  /** Pending unless given; `all` for every state. */
  readonly state?: WorkItem['state'] | 'all'
  /** In any of these states (instead of `state`). */
  readonly states?: readonly WorkItem['state'][]
}

/** A work item with its source's name (null when the store no longer knows the source). */
export type WorkItemRow = WorkItem & { readonly sourceName: string | null }

const FIELDS: readonly WorkItemSortField[] = ['created', 'id']

/** Work items (pending ones unless a state is given), oldest first unless sorted otherwise. */
export async function listWorkItems(
  ctx: EngineContext,
  query: Query<WorkItemFilters, WorkItemSortField> = {},
): Promise<QueryResult<WorkItemRow>> {
  const { ownerIdentity, ...rest } = query.filters ?? {}
  const owner = ownerIdentity !== undefined ? await findIdentity(ctx, ownerIdentity) : undefined
  const filter = owner !== undefined ? { ...rest, owners: [owner.id, owner.name] } : rest
  const names = await sourceNamesById(ctx)
  const rows = (await listStored(ctx.db, filter, pageOf(query, FIELDS))).map((t) => ({
    ...t,
    sourceName: names.get(t.sourceId) ?? null,
  }))
  return resultOf(query, rows, () => countWorkItems(ctx.db, filter))
}

/**
 * One work item in any state, with its secret values opened (null once it is closed): what its owner
 * needs to carry it out. NotFoundError when there is none.
 */
export async function getWorkItem(
  ctx: EngineContext,
  id: string,
): Promise<{ readonly task: WorkItemRow; readonly secrets: Readonly<Record<string, string>> | null }> {
  const [task] = await listStored(ctx.db, { id, state: 'all' })
  if (!task) throw new NotFoundError(`no work item with id "${id}"`)
  const names = await sourceNamesById(ctx)
  return {
    task: { ...task, sourceName: names.get(task.sourceId) ?? null },
    secrets: revealTaskSecrets(ctx, task),
  }
}
