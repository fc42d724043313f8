import type { FastifyReply } from 'fastify'
import { z } from 'zod'
import type { QueryResult } from '../../engine/queries/query.js'

/** The reference's page size limit: at most 250 objects a page, 250 when not said. */
export const MAX_LIMIT = 250

const flag = z.enum(['true', 'false']).transform((v) => v === 'true')

/**
 * A whole number of the query string, digits only. z.coerce.number() read `limit=` (Number('') is 0) as
 * an empty page answered 200, and ` 1` or `1e2` as numbers nobody wrote.
 */
const wholeNumber = z
  .string()
  .regex(/^\d{1,15}$/, 'expected a whole number')
  .transform(Number)

/**
 * The query string every v3 collection takes: `limit` (≤ 250), `offset`, `count=true` (the total in
 * X-Total-Count), `filters` (the reference's grammar, checked by each listing) and `sorters`
 * (comma-separated fields, `-` for descending). Unknown parameters are refused, so a misspelled
 * `fliters` is a 400, not a silently unfiltered list.
 */
export const collectionQuery = z.strictObject({
  limit: wholeNumber.pipe(z.number().max(MAX_LIMIT)).default(MAX_LIMIT),
  offset: wholeNumber.default(0),
  count: flag.default(false),
  filters: z.string().max(4096).optional(),
  sorters: z
    .string()
    .max(512)
    .optional()
    .transform((s) => (s === undefined || s.trim() === '' ? undefined : s.split(',').map((x) => x.trim()))),
})

export type CollectionQuery = z.infer<typeof collectionQuery>

/** The engine query of a collection's parameters. */
export function engineQuery(q: CollectionQuery): {
  limit: number
  offset: number
  count: boolean
  filters?: string
  sorters?: string[]
} {
  return {
    limit: q.limit,
    offset: q.offset,
    count: q.count,
    ...(q.filters !== undefined && q.filters.trim() !== '' ? { filters: q.filters } : {}),
    ...(q.sorters !== undefined ? { sorters: q.sorters } : {}),
  }
}

/** The rows of a page, each presented; X-Total-Count when the total was asked for. */
export function sendCollection<T>(
  reply: FastifyReply,
  result: QueryResult<T>,
  present: (row: T) => unknown,
): unknown[] {
  if (result.total !== undefined) void reply.header('x-total-count', String(result.total))
  return result.rows.map(present)
}
