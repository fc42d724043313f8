/**
 * Domain errors. They carry no exit code or HTTP status: `cli/exit-code.ts` (and later the API's
 * error map) translate them in exactly one place, by class.
 */
export class ProvisioError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
  }
}

/** Bad input from a user: an argument, a file, a value. */
export class InputError extends ProvisioError {}

/** An object that was asked for by id or name does not exist. */
export class NotFoundError extends ProvisioError {}

/** The request conflicts with the current state (e.g. a delete threshold would be exceeded). */
export class ConflictError extends ProvisioError {}

/**
 * The workspace's embedded database is held by another live process (`serve`, say): `holderPid` names it,
 * so the CLI can hand its command to that process's API instead.
 */
export class WorkspaceInUseError extends ConflictError {
  readonly holderPid: number
  constructor(message: string, holderPid: number) {
    super(message)
    this.holderPid = holderPid
  }
}

/**
 * Who asks could not be authenticated: a wrong client id or secret, a revoked credential, an expired or
 * forged token. The message never says which (it would tell a guesser which client ids exist).
 */
export class AuthenticationError extends ProvisioError {}

/**
 * Who asks is known but may not do this: a capability they lack, or another person's object. The API
 * answers 403; the message names what was missing, never what the object holds.
 */
export class ForbiddenError extends ProvisioError {}

/**
 * A connected system failed (a connection test, an aggregation's read): not a bug of Provisio. `cause` holds
 * the system's own error, which `classifyError` reads.
 */
export class SystemError extends ProvisioError {
  readonly system: string
  constructor(system: string, cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause })
    this.system = system
  }
}

/** What a connector failure means for the operation that met it. */
export type ConnectorErrorKind = 'RETRYABLE' | 'ALREADY_EXISTS' | 'NOT_FOUND' | 'TERMINAL'

/**
 * A failure a connector knows the meaning of; `classifyError` keeps its kind. Not a ProvisioError: it is
 * the connected system's failure, which the engine wraps in a SystemError where it reaches a person.
 */
export class ConnectorError extends Error {
  readonly kind: ConnectorErrorKind
  /** A short machine-readable code, e.g. `ECONNREFUSED`, `SCHEMA`, `HTTP_503`. */
  readonly code: string | undefined

  constructor(kind: ConnectorErrorKind, message: string, options: { code?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'ConnectorError'
    this.kind = kind
    this.code = options.code
  }
}

/** The database cannot be used: a server that refuses the login, does not exist, or cannot be reached. */
export class DatabaseUnavailableError extends ProvisioError {}

/** A `${env:NAME}` or `${file:PATH}` reference that cannot be resolved: a configuration problem. */
export class SecretUnavailableError extends ProvisioError {}

/** One problem in the workspace configuration: the file, the object and the field path. */
export interface ConfigProblem {
  readonly file: string
  readonly object?: string
  readonly path: string
  readonly message: string
  /** Absent means error: the workspace does not load. A warning is printed by `validate` and nothing stops. */
  readonly severity?: 'error' | 'warning'
}

export function isConfigWarning(p: ConfigProblem): boolean {
  return p.severity === 'warning'
}

export function formatConfigProblem(p: ConfigProblem): string {
  const where = [p.file, p.object, p.path].filter((s) => s !== undefined && s !== '').join(': ')
  return `${where}: ${isConfigWarning(p) ? 'warning: ' : ''}${p.message}`
}

/**
 * The workspace configuration is invalid; every problem found is listed, not only the first. `problems`
 * are the errors; `warnings`, found in the same pass, are listed after them.
 */
export class ConfigError extends ProvisioError {
  readonly problems: readonly ConfigProblem[]
  readonly warnings: readonly ConfigProblem[]
  constructor(
    problems: readonly ConfigProblem[],
    warnings: readonly ConfigProblem[] = [],
    /** What could not be done, when it is more than "invalid configuration" (a removal still referred to). */
    headline = `invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'})`,
  ) {
    super(`${headline}:\n` + [...problems, ...warnings].map((p) => '  ' + formatConfigProblem(p)).join('\n'))
    this.problems = problems
    this.warnings = warnings
  }
}

/** A transform could not be evaluated (bad attributes, missing lookup key, exhausted generator…). */
export class TransformError extends ProvisioError {
  constructor(message: string, options?: { cause?: unknown }) {
    // Transform errors are ordinary control flow (firstValid with ignoreErrors skips them) and are shown
    // as one line, never with a stack: capturing one made processing 100,000 identities seconds slower.
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    super(message, options)
    Error.stackTraceLimit = limit
  }
}

/** Normalise anything thrown into an Error (a non-Error throw still gets a message). */
export function coerceError(err: unknown): Error {
  if (err instanceof Error) return err
  return new Error(typeof err === 'string' ? err : JSON.stringify(err))
}
