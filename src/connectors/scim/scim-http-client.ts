import { setTimeout as sleep } from 'node:timers/promises'
import { MASK } from '../../domain/config/secret-ref.js'
import { ConnectorError, type ConnectorErrorKind } from '../../domain/errors.js'
import type { ScimResource } from './scim-path.js'

export interface ScimHttpClientOptions {
  /** The service provider's base URL, without a trailing slash needed. */
  readonly baseUrl: string
  /** The `Authorization` header's value. */
  readonly authorization: string
  /** Texts never shown in a message: the token, the password, the encoded credentials. */
  readonly secrets: readonly string[]
  readonly timeoutMs: number
  readonly rateLimitRetries: number
  readonly rateLimitMaxWaitMs: number
  /** How a wait for a 429's Retry-After is spent (tests record it instead of waiting). */
  readonly sleep?: (ms: number) => Promise<void>
  readonly now?: () => number
}

export interface ScimRequest {
  readonly query?: Readonly<Record<string, string | number>>
  readonly body?: unknown
}

export interface ScimListResponse {
  readonly Resources?: unknown
  readonly totalResults?: unknown
}

/** When a 429 says nothing of when to come back. */
const DEFAULT_RATE_LIMIT_WAIT_MS = 1000
const SCIM_JSON = 'application/scim+json'

/**
 * SCIM over HTTP with Node's fetch: JSON in and out, a timeout on every request, 429s waited out a
 * bounded number of times, and every failure turned into a ConnectorError whose message names the
 * request and the server's SCIM `detail` but never the credentials.
 */
export class ScimHttpClient {
  readonly #o: ScimHttpClientOptions
  readonly #base: string

  constructor(options: ScimHttpClientOptions) {
    this.#o = options
    this.#base = options.baseUrl.replace(/\/+$/, '')
  }

  /** The response's JSON, or undefined for an empty answer (204). */
  async request(method: string, path: string, req: ScimRequest = {}): Promise<ScimResource | undefined> {
    const url = new URL(this.#base + path)
    for (const [name, value] of Object.entries(req.query ?? {})) url.searchParams.set(name, String(value))
    const what = `SCIM ${method} ${path}`
    const headers: Record<string, string> = { authorization: this.#o.authorization, accept: SCIM_JSON }
    if (req.body !== undefined) headers['content-type'] = SCIM_JSON
    const body = req.body === undefined ? undefined : JSON.stringify(req.body)
    for (let attempt = 0; ; attempt++) {
      let response: Response
      let text: string
      try {
        response = await fetch(url, {
          method,
          headers,
          ...(body === undefined ? {} : { body }),
          signal: AbortSignal.timeout(this.#o.timeoutMs),
        })
        if (response.status === 429 && attempt < this.#o.rateLimitRetries) {
          const wait = this.#retryAfterMs(response.headers.get('retry-after')) ?? DEFAULT_RATE_LIMIT_WAIT_MS
          if (wait <= this.#o.rateLimitMaxWaitMs) {
            await response.body?.cancel()
            await (this.#o.sleep ?? sleep)(wait)
            continue
          }
        }
        text = await response.text()
      } catch (err) {
        throw this.#transportError(what, err)
      }
      if (response.ok) return text === '' ? undefined : this.#json(what, text)
      throw this.#httpError(what, path, response, text)
    }
  }

  /** Every resource of a list endpoint, page by page (`startIndex`/`count`) until `totalResults`. */
  async *list(path: string, pageSize: number, query: Readonly<Record<string, string>> = {}) {
    let startIndex = 1
    for (;;) {
      const answer = await this.request('GET', path, { query: { ...query, startIndex, count: pageSize } })
      const page: ScimListResponse = answer ?? {}
      const resources = Array.isArray(page.Resources) ? (page.Resources as ScimResource[]) : []
      yield* resources
      startIndex += resources.length
      const total = Number(page.totalResults)
      // A server that leaves out totalResults (it is required) has more while it fills its pages.
      const more = Number.isInteger(total) ? startIndex <= total : resources.length >= pageSize
      if (resources.length === 0 || !more) return
    }
  }

  #json(what: string, text: string): ScimResource {
    try {
      return JSON.parse(text) as ScimResource
    } catch {
      throw new ConnectorError(
        'TERMINAL',
        this.#redact(`${what}: the answer is not JSON: ${snippet(text)}`),
        {
          code: 'SCIM_RESPONSE',
        },
      )
    }
  }

  /** Seconds or an HTTP date (RFC 9110 §10.2.3); undefined when absent or unreadable. */
  #retryAfterMs(header: string | null): number | undefined {
    if (header === null) return undefined
    const text = header.trim()
    if (/^\d+$/.test(text)) return Number(text) * 1000
    const at = Date.parse(text)
    return Number.isNaN(at) ? undefined : Math.max(0, at - (this.#o.now ?? Date.now)())
  }

  #httpError(what: string, path: string, response: Response, text: string): ConnectorError {
    const status = response.status
    let scimType: string | undefined
    let detail: string | undefined
    try {
      const body = JSON.parse(text) as { scimType?: unknown; detail?: unknown }
      if (typeof body.scimType === 'string' && body.scimType !== '') scimType = body.scimType
      if (typeof body.detail === 'string' && body.detail !== '') detail = body.detail
    } catch {
      if (text.trim() !== '') detail = snippet(text)
    }
    const reason = [`HTTP ${status}`, scimType].filter((s) => s !== undefined).join(' ')
    const after = status === 429 ? response.headers.get('retry-after') : null
    const message =
      `${what}: ${reason}` +
      (detail === undefined ? '' : `: ${detail}`) +
      (after ? ` (retry after ${after})` : '')
    return new ConnectorError(kindOf(status, scimType, path), this.#redact(message), {
      code: `HTTP_${status}`,
    })
  }

  #transportError(what: string, err: unknown): ConnectorError {
    if (err instanceof ConnectorError) return err
    const e = err as { name?: unknown; message?: unknown; cause?: unknown }
    if (e.name === 'TimeoutError') {
      return new ConnectorError('RETRYABLE', `${what}: no answer within ${this.#o.timeoutMs} ms`, {
        code: 'ETIMEDOUT',
      })
    }
    // fetch reports every failure to reach the server as "fetch failed", the socket error as its cause.
    // The cause is not kept: the error chain is the engine's to log, and an undici error may quote headers.
    if (err instanceof TypeError && e.message === 'fetch failed') {
      const cause = e.cause as { code?: unknown; message?: unknown } | undefined
      const code = typeof cause?.code === 'string' ? cause.code : 'NETWORK'
      const reason = typeof cause?.message === 'string' && cause.message !== '' ? cause.message : code
      return new ConnectorError('RETRYABLE', this.#redact(`${what}: ${reason}`), { code })
    }
    const reason = typeof e.message === 'string' ? e.message : String(err)
    return new ConnectorError('TERMINAL', this.#redact(`${what}: ${reason}`), { code: 'SCIM_REQUEST' })
  }

  #redact(text: string): string {
    let out = text
    for (const secret of this.#o.secrets) if (secret !== '') out = out.replaceAll(secret, MASK)
    return out
  }
}

/**
 * 404 is NOT_FOUND only for one resource (`/Users/{id}`): on a collection it means the endpoint is
 * missing (a wrong baseUrl), and calling that "not found" would let a delete count as done.
 */
function kindOf(status: number, scimType: string | undefined, path: string): ConnectorErrorKind {
  if (status === 404) return /^\/[^/]+\/[^/]+$/.test(path) ? 'NOT_FOUND' : 'TERMINAL'
  if (status === 409 || scimType === 'uniqueness') return 'ALREADY_EXISTS'
  if (status === 429) return 'RETRYABLE'
  // 501 Not Implemented and 505 HTTP Version Not Supported do not go away by asking again.
  if (status >= 500 && status !== 501 && status !== 505) return 'RETRYABLE'
  return 'TERMINAL'
}

function snippet(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim()
  return line.length > 200 ? `${line.slice(0, 200)}…` : line
}
