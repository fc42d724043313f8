/**
 * Domain errors. They carry no exit code or HTTP status: `cli/exit-code.ts` (and later the API's
 * error map) translate them in exactly one place, by `name`.
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

/** One problem in the workspace configuration: the file, the object and the field path. */
export interface ConfigProblem {
  readonly file: string
  readonly object?: string
  readonly path: string
  readonly message: string
  /** A warning is reported but does not make the workspace invalid; absent means an error. */
  readonly severity?: 'error' | 'warning'
}

export function isConfigWarning(p: ConfigProblem): boolean {
  return p.severity === 'warning'
}

export function formatConfigProblem(p: ConfigProblem): string {
  const where = [p.file, p.object, p.path].filter((s) => s !== undefined && s !== '').join(': ')
  return `${isConfigWarning(p) ? 'warning: ' : ''}${where}: ${p.message}`
}

/** The workspace configuration is invalid; every problem found is listed, not only the first. */
export class ConfigError extends ProvisioError {
  readonly problems: readonly ConfigProblem[]
  constructor(problems: readonly ConfigProblem[]) {
    super(
      `invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => '  ' + formatConfigProblem(p)).join('\n'),
    )
    this.problems = problems
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
