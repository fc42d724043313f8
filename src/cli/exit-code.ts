import { ConfigError, ConflictError, InputError, NotFoundError, TransformError } from '../domain/errors.js'
import { classifyError } from '../domain/execution/classify-error.js'

/** The one place that turns an error into an exit code and the message the user sees. */
export function exitCodeFor(err: unknown): { code: number; message: string } {
  if (err instanceof ConfigError) return { code: 3, message: err.message }
  if (err instanceof TransformError) return { code: 4, message: oneLine(err.message) }
  if (err instanceof ConflictError) return { code: 5, message: err.message }
  if (err instanceof NotFoundError) return { code: 6, message: err.message }
  if (err instanceof InputError) return { code: 2, message: err.message }
  // A system that failed (a connection test, a connector call made from the command line).
  const failure = classifyError(err)
  if (failure.kind !== 'TERMINAL' || (err instanceof Error && err.name === 'ConnectorError')) {
    const what =
      failure.kind === 'RETRYABLE' ? 'unreachable (retryable)' : failure.kind.toLowerCase().replace('_', ' ')
    return { code: 7, message: `the system failed: ${what}: ${failure.message}` }
  }
  const message = err instanceof Error ? err.message : String(err)
  return { code: 1, message: `unexpected error: ${message}` }
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ')
}
