import type { Db } from './db.js'

/** One sort key of a listing: a field the listing knows, ascending or descending. */
export interface SortKey<F extends string> {
  readonly field: F
  readonly descending: boolean
}

/** Which part of a listing to read: how many rows, from where, in which order. */
export interface Page<F extends string = string> {
  readonly limit?: number
  readonly offset?: number
  readonly sort?: readonly SortKey<F>[]
}

/**
 * ORDER BY for a listing's sort keys, each field mapped to its column; `tiebreak` (a unique key, e.g.
 * the id) comes last, so pages never overlap. Without keys, the listing's own order.
 */
export function orderClause<F extends string>(
  sort: readonly SortKey<F>[] | undefined,
  columns: Readonly<Record<F, string>>,
  fallback: string,
  tiebreak: string,
): string {
  if (!sort || sort.length === 0) return `ORDER BY ${fallback}`
  const keys = sort.map((k) => `${columns[k.field]}${k.descending ? ' DESC' : ''}`)
  return `ORDER BY ${[...keys, tiebreak].join(', ')}`
}

/** LIMIT/OFFSET for a page, its values added to `params`; empty for the whole listing. */
export function limitClause(page: Page | undefined, params: unknown[]): string {
  let sql = ''
  if (page?.limit !== undefined) {
    params.push(page.limit)
    sql += ` LIMIT $${params.length}`
  }
  if (page?.offset !== undefined && page.offset > 0) {
    params.push(page.offset)
    sql += ` OFFSET $${params.length}`
  }
  return sql
}

/** Whether a page is more than the whole listing in its own order (so bulk reads keep their own way). */
export function isPartial(page: Page | undefined): boolean {
  return page?.limit !== undefined || (page?.offset ?? 0) > 0 || (page?.sort?.length ?? 0) > 0
}

/** How many rows a listing's FROM and WHERE match, for its total. */
export async function countRows(db: Db, fromWhere: string, params: readonly unknown[]): Promise<number> {
  const rows = await db.query<{ n: number }>(`SELECT count(*)::int AS n ${fromWhere}`, params)
  return Number(rows[0]?.n ?? 0)
}
