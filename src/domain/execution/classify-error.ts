/**
 * What a connector failure means for the operation that met it (DESIGN §4). Pure: it reads the error
 * and the source's `retryableErrors`, nothing else.
 */

import { ConnectorError, type ConnectorErrorKind } from '../errors.js'

/** What a failure means: the kinds a ConnectorError names. */
export type ErrorKind = ConnectorErrorKind

export const ERROR_KINDS: readonly ErrorKind[] = ['RETRYABLE', 'ALREADY_EXISTS', 'NOT_FOUND', 'TERMINAL']

export interface ErrorClassification {
  readonly kind: ErrorKind
  /** The error's message, never its stack. */
  readonly message: string
  /** The error's code (`ECONNREFUSED`, `SCHEMA`…), or `HTTP_<status>` when only a status was found. */
  readonly code?: string
}

/** Tests one text (a message or a code) against one entry of a source's `retryableErrors`. */
export type RetryableMatcher = (text: string) => boolean

export interface RetryablePatternProblem {
  /** The entry's position in the list, for the configuration's field path. */
  readonly index: number
  readonly pattern: string
  readonly message: string
}

export type CompiledRetryablePatterns =
  | { readonly ok: true; readonly matchers: readonly RetryableMatcher[] }
  | { readonly ok: false; readonly problems: readonly RetryablePatternProblem[] }

const RETRYABLE_CODES = new Set([
  'ECONNREFUSED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ESOCKETTIMEDOUT',
  // fetch (undici) names the failures of a socket it already had with codes of its own: a server that went
  // away mid-call is "other side closed" (UND_ERR_SOCKET), not ECONNRESET.
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
])

const RETRYABLE_STATUSES = new Set([429, 502, 503, 504])

// Connectors that wrap a failure in a message of their own (or in a Java exception's text, as JVM-based
// connectors do) lose the code; the same failures are recognised by their words. The codes are matched as
// whole words too, for messages such as "connect ECONNREFUSED 10.0.0.1:389" that lost their `code`.
const RETRYABLE_WORDS = [
  'ConnectException',
  'NoRouteToHostException',
  'SocketTimeoutException',
  'connection refused',
  'timed out',
  'host unreachable',
  'no route to host',
  'network is unreachable',
  'connection reset',
]
const RETRYABLE_MESSAGE = new RegExp(
  `${RETRYABLE_WORDS.join('|')}|\\b(?:${[...RETRYABLE_CODES].join('|')})\\b`,
  'i',
)

// `fetch` reports "fetch failed" with the socket error as its cause; a few levels are enough for every
// wrapper seen, and the limit keeps a cyclic cause chain from looping.
const MAX_CAUSE_DEPTH = 5

/**
 * Classifies anything a connector threw. A ConnectorError keeps its kind; otherwise a network failure, an
 * HTTP 429/502/503/504 or a match of one of the source's `retryablePatterns` is RETRYABLE, and everything
 * else is TERMINAL. The error's `cause` chain is looked at too. Never throws: an invalid pattern matches
 * nothing here (configuration validation reports it through compileRetryablePatterns).
 */
export function classifyError(err: unknown, retryablePatterns: readonly string[] = []): ErrorClassification {
  const message = messageOf(err)
  const code = codeOf(err)
  const matchers = cachedMatchers(retryablePatterns)
  const classified = (kind: ErrorKind): ErrorClassification =>
    code === undefined ? { kind, message } : { kind, message, code }

  let current: unknown = err
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH && current !== undefined && current !== null; depth++) {
    const known = connectorErrorKind(current)
    if (known !== undefined) return classified(known)
    if (isRetryable(current, matchers)) return classified('RETRYABLE')
    current = isObject(current) ? current['cause'] : undefined
  }
  return classified('TERMINAL')
}

/**
 * Compiles a source's `retryableErrors`. An entry written `/body/flags` is a regular expression (flags
 * among `dgimsuvy`; `g` and `y` are dropped, they only make `test` stateful); any other entry, including a
 * path such as `/dev/null` whose "flags" are not flags, is a case-insensitive substring.
 */
export function compileRetryablePatterns(patterns: readonly string[]): CompiledRetryablePatterns {
  const matchers: RetryableMatcher[] = []
  const problems: RetryablePatternProblem[] = []
  patterns.forEach((pattern, index) => {
    const compiled = compilePattern(pattern)
    if (typeof compiled === 'string') problems.push({ index, pattern, message: compiled })
    else matchers.push(compiled)
  })
  return problems.length > 0 ? { ok: false, problems } : { ok: true, matchers }
}

const REGEX_ENTRY = /^\/(.+)\/([dgimsuvy]*)$/s

/** A matcher, or the reason the entry is invalid. */
function compilePattern(pattern: string): RetryableMatcher | string {
  if (pattern.trim() === '') return 'must not be empty'
  const regex = REGEX_ENTRY.exec(pattern)
  if (regex === null) {
    const needle = pattern.toLowerCase()
    return (text) => text.toLowerCase().includes(needle)
  }
  const [, body = '', flags = ''] = regex
  try {
    const re = new RegExp(body, flags.replace(/[gy]/g, ''))
    return (text) => re.test(text)
  } catch (e) {
    return `invalid regular expression: ${e instanceof Error ? e.message : String(e)}`
  }
}

// A source's list is the same array for every failure it reports; compiling it once per list keeps a
// source that is down (thousands of failures) from recompiling its patterns for each.
const matcherCache = new WeakMap<readonly string[], readonly RetryableMatcher[]>()

function cachedMatchers(patterns: readonly string[]): readonly RetryableMatcher[] {
  if (patterns.length === 0) return []
  let matchers = matcherCache.get(patterns)
  if (matchers === undefined) {
    matchers = patterns.map(compilePattern).filter((m): m is RetryableMatcher => typeof m !== 'string')
    matcherCache.set(patterns, matchers)
  }
  return matchers
}

function isRetryable(err: unknown, matchers: readonly RetryableMatcher[]): boolean {
  const code = ownCode(err)
  if (code !== undefined && RETRYABLE_CODES.has(code.toUpperCase())) return true
  const status = httpStatusOf(err)
  if (status !== undefined && RETRYABLE_STATUSES.has(status)) return true
  const message = ownMessage(err)
  if (RETRYABLE_MESSAGE.test(message)) return true
  const texts = code === undefined ? [message] : [message, code]
  if (matchers.some((matches) => texts.some(matches))) return true
  return err instanceof AggregateError && err.errors.some((e) => isRetryable(e, matchers))
}

/**
 * The kind of a ConnectorError, recognised by its class. A kind outside the known ones (a connector written
 * in plain JavaScript can pass anything) is ignored and the error classified like any other.
 */
function connectorErrorKind(err: unknown): ErrorKind | undefined {
  if (!(err instanceof ConnectorError)) return undefined
  const kind: unknown = err.kind
  return ERROR_KINDS.find((k) => k === kind)
}

function messageOf(err: unknown): string {
  const own = ownMessage(err)
  if (own !== '') return own
  // Node reports a connection refused on every address of a host as an AggregateError with an empty
  // message; its parts (or its code) say what happened.
  if (err instanceof AggregateError) {
    const parts = [...new Set(err.errors.map(ownMessage).filter((m) => m !== ''))]
    if (parts.length > 0) return parts.join('; ')
  }
  const cause = isObject(err) ? err['cause'] : undefined
  const fromCause = cause === undefined ? '' : ownMessage(cause)
  if (fromCause !== '') return fromCause
  return codeOf(err) ?? (err instanceof Error ? err.name : describeThrown(err))
}

/** A thrown non-error as one line (`throw {reason: 'x'}` happens in JavaScript connectors). */
function describeThrown(err: unknown): string {
  try {
    return JSON.stringify(err) ?? String(err)
  } catch {
    return String(err)
  }
}

function ownMessage(err: unknown): string {
  if (typeof err === 'string') return err
  if (isObject(err) && typeof err['message'] === 'string') return err['message']
  if (err === undefined || err === null || isObject(err)) return ''
  return String(err)
}

function codeOf(err: unknown): string | undefined {
  const code = ownCode(err) ?? ownCode(isObject(err) ? err['cause'] : undefined)
  if (code !== undefined) return code
  const status = httpStatusOf(err)
  return status === undefined ? undefined : `HTTP_${status}`
}

function ownCode(err: unknown): string | undefined {
  if (!isObject(err)) return undefined
  const code = err['code']
  if (typeof code === 'string' && code !== '') return code
  return typeof code === 'number' ? String(code) : undefined
}

/** An HTTP status on an error as HTTP clients put it: `status`, `statusCode` or `response.status`. */
function httpStatusOf(err: unknown): number | undefined {
  if (!isObject(err)) return undefined
  const response = isObject(err['response']) ? err['response'] : {}
  for (const value of [err['status'], err['statusCode'], response['status'], response['statusCode']]) {
    const status = typeof value === 'string' && /^\d{3}$/.test(value) ? Number(value) : value
    if (typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599) {
      return status
    }
  }
  return undefined
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null
}
