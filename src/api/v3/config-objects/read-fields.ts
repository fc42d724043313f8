import { deepEqual } from '../../../domain/json-equal.js'
import { RequestValidationError, type FieldProblem } from '../../http/error-response.js'

/** How one v3 field goes into a Provisio object: under which name (the same when not said), converted how. */
export interface FieldMapping {
  readonly to?: string
  readonly read?: (value: unknown) => unknown
}

/** The object being changed: as its YAML file says it, and as the v3 presenter showed it. */
export interface Existing {
  readonly raw: Readonly<Record<string, unknown>>
  readonly presented: Readonly<Record<string, unknown>>
}

/**
 * The Provisio object a v3 body describes. A field the body gives as the presenter showed it is left as the
 * YAML file has it (so an unchanged field keeps its form, its comments and its unwritten defaults); a field
 * given otherwise is written; a field left out or null is removed, as a v3 PUT replaces the whole object, and
 * its default applies. Fields the mappings do not name are kept as the file has them: those are Provisio's
 * own, which a v3 body cannot say.
 */
export function readFields(
  body: Readonly<Record<string, unknown>>,
  mappings: Readonly<Record<string, FieldMapping>>,
  existing: Existing | undefined,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(existing?.raw ?? {}) }
  for (const [field, m] of Object.entries(mappings)) {
    const given = body[field]
    if (existing && deepEqual(given ?? null, existing.presented[field] ?? null)) continue
    const to = m.to ?? field
    if (given === undefined || given === null) delete out[to]
    else out[to] = m.read ? m.read(given) : given
  }
  return out
}

/**
 * Problems with fields of the reference that Provisio has no place for (a cluster, a rule, a governance
 * group): each one given with a value is refused, with why, rather than dropped. Empty values — null, false,
 * an empty list, the presenter's own — are what a client that read the object sends back, and pass.
 */
export function unsupportedFields(
  body: Readonly<Record<string, unknown>>,
  fields: Readonly<Record<string, string>>,
  prefix = 'body',
): FieldProblem[] {
  return Object.entries(fields)
    .filter(([field]) => !isEmpty(body[field]))
    .map(([field, why]) => ({
      path: `${prefix}.${field}`,
      message: `not supported by Provisio: ${why}; leave it out`,
    }))
}

/** An `id` in a body must be the path's (or absent): an object's id cannot be changed. */
export function idProblems(
  body: Readonly<Record<string, unknown>>,
  id: string,
  prefix = 'body',
): FieldProblem[] {
  const given = body['id']
  if (given === undefined || given === null || given === id) return []
  return [{ path: `${prefix}.id`, message: `is ${id} and cannot be changed` }]
}

/** Throws the problems found together, as one 400. */
export function refuse(problems: readonly FieldProblem[]): void {
  if (problems.length > 0) throw new RequestValidationError(problems)
}

function isEmpty(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === '') return true
  if (Array.isArray(v)) return v.length === 0
  if (typeof v === 'object') return Object.values(v as Record<string, unknown>).every(isEmpty)
  return false
}
