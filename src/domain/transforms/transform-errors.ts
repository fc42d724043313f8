import { TransformError } from '../errors.js'

/**
 * Several problems found while compiling one transform: every failing entry of a lookup table, list or
 * set of variables is reported at once (a published table with sixteen broken rows shows sixteen), not
 * only the first. The message stays one line; `errors` holds each problem for `validate`.
 */
export class TransformErrors extends TransformError {
  constructor(readonly errors: readonly TransformError[]) {
    super(`${errors.length} problems: ${errors.map((e) => e.message).join('; ')}`)
  }
}

/** The single problems an error stands for (itself, unless it is a TransformErrors). */
export function transformProblems(err: TransformError): readonly TransformError[] {
  return err instanceof TransformErrors ? err.errors : [err]
}

/**
 * Runs every compile step, collecting the TransformErrors they throw, and throws them together at the
 * end; any other error is a bug and propagates at once.
 */
export function compileEach<T>(steps: Iterable<() => T>): T[] {
  const results: T[] = []
  const errors: TransformError[] = []
  for (const step of steps) {
    try {
      results.push(step())
    } catch (err) {
      if (!(err instanceof TransformError)) throw err
      errors.push(...transformProblems(err))
    }
  }
  const [first] = errors
  if (first !== undefined) throw errors.length === 1 ? first : new TransformErrors(errors)
  return results
}
