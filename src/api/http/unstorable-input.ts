import { unstorableText } from '../../domain/aggregation/unstorable-text.js'
import { RequestValidationError, type FieldProblem } from './error-response.js'

/**
 * Every string of a request's path parameters, query string and body (keys too) that the store cannot hold
 * — a NUL, a lone UTF-16 surrogate — named by its path (`body.0.comments`). Checked once for every route:
 * PostgreSQL refuses a NUL (the request failed with a 500) and the driver writes a lone surrogate as
 * U+FFFD (text nobody sent was stored), so neither may reach a route.
 */
export function unstorableInput(parts: Readonly<Record<string, unknown>>): FieldProblem[] {
  const problems: FieldProblem[] = []
  const visit = (value: unknown, path: string): void => {
    if (typeof value === 'string') {
      const why = unstorableText(value)
      if (why !== undefined) problems.push({ path, message: why })
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => visit(v, `${path}.${i}`))
    } else if (typeof value === 'object' && value !== null) {
      for (const [k, v] of Object.entries(value)) {
        const why = unstorableText(k)
        if (why !== undefined) problems.push({ path: `${path} key ${JSON.stringify(k)}`, message: why })
        else visit(v, `${path}.${k}`)
      }
    }
  }
  for (const [where, value] of Object.entries(parts)) visit(value, where)
  return problems
}

/** RequestValidationError (a 400 naming each field) when the request holds text the store cannot hold. */
export function refuseUnstorableInput(parts: Readonly<Record<string, unknown>>): void {
  const problems = unstorableInput(parts)
  if (problems.length > 0) throw new RequestValidationError(problems)
}
