import type { z } from 'zod'
import { RequestValidationError, type FieldProblem } from './error-response.js'

/** One problem as fastify-type-provider-zod hands it over (its `params` carry the zod issue's extra fields). */
export interface ValidationEntry {
  readonly instancePath: string
  readonly message?: string | undefined
  readonly keyword?: string
  readonly params?: Readonly<Record<string, unknown>>
}

/**
 * The 400's field list: each problem at its path (`body.owner.id`, `querystring.limit`). An object with
 * fields its schema does not know is one problem per field, at that field's path, so a misspelt
 * `enabeld` is named as itself and not as "the body".
 */
export function requestProblems(where: string, entries: readonly ValidationEntry[]): FieldProblem[] {
  return entries.flatMap((v) => {
    const at = [where, ...v.instancePath.split('/').filter((s) => s !== '')]
    const keys = v.params?.['keys']
    if (v.keyword === 'unrecognized_keys' && Array.isArray(keys) && keys.length > 0) {
      return keys.map((k) => ({ path: [...at, String(k)].join('.'), message: 'unknown field' }))
    }
    return [{ path: at.join('.'), message: v.message ?? 'invalid' }]
  })
}

/**
 * Parses a value a route computed from its request (a body after its JSON Patch was applied) with a
 * request schema: RequestValidationError, naming every bad field as a schema failure would, when it fails.
 */
export function parseRequest<S extends z.ZodType>(schema: S, value: unknown, where = 'body'): z.output<S> {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  throw new RequestValidationError(
    requestProblems(
      where,
      parsed.error.issues.map((issue) => {
        const { path, code, message, ...params } = issue as z.core.$ZodIssue & Record<string, unknown>
        return { instancePath: `/${path.join('/')}`, message, keyword: code, params }
      }),
    ),
  )
}
