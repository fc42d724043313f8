import { CommanderError } from 'commander'
import {
  AuthenticationError,
  ConfigError,
  ConnectorError,
  ConflictError,
  DatabaseUnavailableError,
  ForbiddenError,
  InputError,
  NotFoundError,
  SecretUnavailableError,
  SystemError,
  TransformError,
} from '../domain/errors.js'
import { classifyError } from '../domain/execution/classify-error.js'

/** The exit codes, as docs/operations.md lists them. */
export const EXIT = {
  ok: 0,
  unexpected: 1,
  badInput: 2,
  invalidConfiguration: 3,
  transform: 4,
  conflict: 5,
  notFound: 6,
  systemFailed: 7,
  rowsRejected: 8,
  databaseUnavailable: 9,
  unauthenticated: 10,
  forbidden: 11,
} as const

/**
 * The one place that turns an error into an exit code and the message the user sees. An empty message
 * means it was shown already (commander prints its own usage errors, with the command's help).
 */
export function exitCodeFor(err: unknown): { code: number; message: string } {
  if (err instanceof CommanderError) {
    // `--help` and `--version` end with a CommanderError of exit code 0; every other one is a usage error.
    return { code: err.exitCode === 0 ? EXIT.ok : EXIT.badInput, message: '' }
  }
  if (err instanceof ConfigError) return { code: EXIT.invalidConfiguration, message: err.message }
  if (
    err instanceof SecretUnavailableError ||
    isSecretFailure(err) ||
    (err instanceof SystemError && isSecretFailure(err.cause))
  ) {
    return { code: EXIT.invalidConfiguration, message: `configuration: ${(err as Error).message}` }
  }
  if (err instanceof TransformError) return { code: EXIT.transform, message: oneLine(err.message) }
  if (err instanceof ConflictError) return { code: EXIT.conflict, message: err.message }
  if (err instanceof NotFoundError) return { code: EXIT.notFound, message: err.message }
  if (err instanceof InputError) return { code: EXIT.badInput, message: err.message }
  if (err instanceof AuthenticationError) return { code: EXIT.unauthenticated, message: err.message }
  if (err instanceof ForbiddenError) return { code: EXIT.forbidden, message: err.message }
  if (err instanceof DatabaseUnavailableError) return { code: EXIT.databaseUnavailable, message: err.message }
  // A system that failed (a connection test, a connector call made from the command line).
  const failure = classifyError(err instanceof SystemError ? err.cause : err)
  if (err instanceof SystemError || failure.kind !== 'TERMINAL' || err instanceof ConnectorError) {
    const what =
      failure.kind === 'RETRYABLE' ? 'unreachable (retryable)' : failure.kind.toLowerCase().replace('_', ' ')
    const system = err instanceof SystemError ? `"${err.system}" ` : ''
    return { code: EXIT.systemFailed, message: `the system ${system}failed: ${what}: ${failure.message}` }
  }
  const message = err instanceof Error ? err.message : String(err)
  return { code: EXIT.unexpected, message: `unexpected error: ${message}` }
}

/** A connector that reports a secret it could not resolve (the SDK host wraps it in a ConnectorError). */
function isSecretFailure(err: unknown): boolean {
  return err instanceof Error && (err as { code?: unknown }).code === 'SECRET_UNAVAILABLE'
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ')
}
