import { randomUUID } from 'node:crypto'
import {
  AuthenticationError,
  ConfigError,
  ConflictError,
  DatabaseUnavailableError,
  ForbiddenError,
  InputError,
  NotFoundError,
  SecretUnavailableError,
  SystemError,
  TransformError,
  formatConfigProblem,
  type ConfigProblem,
} from '../../domain/errors.js'

/** Too many requests from one client or address; `retryAfterSeconds` goes to the Retry-After header. */
export class RateLimitedError extends Error {
  readonly retryAfterSeconds: number
  constructor(message: string, retryAfterSeconds: number) {
    super(message)
    this.name = 'RateLimitedError'
    this.retryAfterSeconds = retryAfterSeconds
  }
}

/** One bad field of a request: where (`body.owner.id`, `query.limit`) and what is wrong. */
export interface FieldProblem {
  readonly path: string
  readonly message: string
}

/** A request that does not match its route's schema, every bad field named. */
export class RequestValidationError extends Error {
  readonly problems: readonly FieldProblem[]
  constructor(problems: readonly FieldProblem[]) {
    super(problems.map((p) => `${p.path}: ${p.message}`).join('; '))
    this.name = 'RequestValidationError'
    this.problems = problems
  }
}

/** One message of the reference's error body. */
interface ErrorMessage {
  readonly locale: string
  readonly localeOrigin: 'DEFAULT' | 'REQUEST'
  readonly text: string
}

/** The reference's error body (ErrorResponseDto), with Provisio's field list where fields were wrong. */
export interface ErrorBody {
  readonly detailCode: string
  readonly trackingId: string
  readonly messages: readonly ErrorMessage[]
  readonly causes: readonly ErrorMessage[]
  /** Provisio's addition: each bad field with its path, for a 400. */
  readonly fields?: readonly FieldProblem[]
}

export interface ErrorResponse {
  readonly status: number
  readonly body: ErrorBody
  readonly headers?: Readonly<Record<string, string>>
  /** A 5xx: its message is logged with the tracking id and not shown to the caller. */
  readonly internal: boolean
}

const DETAIL: Record<number, string> = {
  400: '400.1 Bad Request Content',
  401: 'JWT validation failed',
  403: '403 Forbidden',
  404: '404 Not found',
  409: '409 Conflict',
  413: '413 Payload Too Large',
  415: '415 Unsupported Media Type',
  429: '429 Too Many Requests',
  500: '500.0 Internal Fault',
  502: '502 Bad Gateway',
  503: '503 Service Unavailable',
}

function message(text: string): ErrorMessage {
  return { locale: 'en-US', localeOrigin: 'DEFAULT', text }
}

/** A response of this status and text (routes use it for 404s of their own, say). */
export function errorBody(
  status: number,
  text: string,
  trackingId: string = newTrackingId(),
  fields?: readonly FieldProblem[],
): ErrorBody {
  return {
    detailCode: DETAIL[status] ?? `${status}`,
    trackingId,
    messages: [message(text)],
    causes: [],
    ...(fields !== undefined ? { fields } : {}),
  }
}

export function newTrackingId(): string {
  return randomUUID().replaceAll('-', '')
}

/**
 * The one place that turns an error into an HTTP status and the reference's error body, by class, as
 * `cli/exit-code.ts` does for exit codes. A 5xx hides its message (it may name hosts or paths); the
 * tracking id ties the answer to the logged error.
 */
export function errorResponse(err: unknown, trackingId: string = newTrackingId()): ErrorResponse {
  const answer = (
    status: number,
    text: string,
    extra: { fields?: readonly FieldProblem[]; headers?: Record<string, string> } = {},
  ): ErrorResponse => ({
    status,
    body: errorBody(status, text, trackingId, extra.fields),
    ...(extra.headers ? { headers: extra.headers } : {}),
    internal: status >= 500,
  })
  if (err instanceof RequestValidationError) {
    return answer(400, err.message, { fields: err.problems })
  }
  if (err instanceof ConfigError) {
    return answer(400, err.message, { fields: err.problems.map(configField) })
  }
  if (err instanceof InputError || err instanceof TransformError) return answer(400, err.message)
  if (err instanceof AuthenticationError) return answer(401, err.message)
  if (err instanceof ForbiddenError) return answer(403, err.message)
  if (err instanceof NotFoundError) return answer(404, err.message)
  if (err instanceof ConflictError) return answer(409, err.message)
  if (err instanceof RateLimitedError) {
    return answer(429, err.message, { headers: { 'retry-after': String(err.retryAfterSeconds) } })
  }
  if (err instanceof SecretUnavailableError) {
    return answer(500, 'a secret of the configuration cannot be read')
  }
  if (err instanceof SystemError) return answer(502, `the system "${err.system}" failed`)
  if (err instanceof DatabaseUnavailableError) return answer(503, 'the database is unavailable')
  // Fastify's own errors (a body that is not JSON, too large, of a type no parser takes) carry a 4xx.
  const status = fastifyStatus(err)
  if (status !== undefined) return answer(status, (err as Error).message)
  return answer(500, `an unexpected error occurred (tracking id ${trackingId})`)
}

function configField(p: ConfigProblem): FieldProblem {
  return { path: p.path, message: formatConfigProblem(p) }
}

function fastifyStatus(err: unknown): number | undefined {
  if (!(err instanceof Error)) return undefined
  const code = (err as { code?: unknown }).code
  const status = (err as { statusCode?: unknown }).statusCode
  if (typeof code === 'string' && code.startsWith('FST_') && typeof status === 'number') {
    return status >= 400 && status < 500 ? status : undefined
  }
  return undefined
}
