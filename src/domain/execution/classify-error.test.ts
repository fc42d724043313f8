import { describe, expect, it } from 'vitest'
import { ConnectorError, type ConnectorErrorKind } from '../errors.js'
import { classifyError, compileRetryablePatterns, type ErrorClassification } from './classify-error.js'

// A kind outside the known ones is allowed here: a connector written in plain JavaScript can pass anything.
const connectorError = (kind: string, message: string, code?: string): ConnectorError =>
  new ConnectorError(kind as ConnectorErrorKind, message, code === undefined ? {} : { code })

/** An error that only looks like a ConnectorError: it is not one. */
const namedConnectorError = (kind: string, message: string): Error =>
  Object.assign(new Error(message), { name: 'ConnectorError', kind })

const withProps = (message: string, props: Record<string, unknown>): Error =>
  Object.assign(new Error(message), props)

describe('classifyError', () => {
  const cases: [string, unknown, ErrorClassification][] = [
    [
      'a ConnectorError keeps its kind',
      connectorError('ALREADY_EXISTS', 'account a exists', 'ALREADY_EXISTS'),
      { kind: 'ALREADY_EXISTS', message: 'account a exists', code: 'ALREADY_EXISTS' },
    ],
    [
      'a TERMINAL ConnectorError stays terminal even when its message sounds retryable',
      connectorError('TERMINAL', 'connection refused by policy', 'SCHEMA'),
      { kind: 'TERMINAL', message: 'connection refused by policy', code: 'SCHEMA' },
    ],
    [
      'a RETRYABLE ConnectorError',
      connectorError('RETRYABLE', 'busy'),
      { kind: 'RETRYABLE', message: 'busy' },
    ],
    [
      'a ConnectorError with an unknown kind is classified like any other',
      connectorError('notFound', 'no such user'),
      { kind: 'TERMINAL', message: 'no such user' },
    ],
    [
      'an error merely named ConnectorError is not one: its kind is not trusted',
      namedConnectorError('NOT_FOUND', 'no such user'),
      { kind: 'TERMINAL', message: 'no such user' },
    ],
    ...[
      'ECONNREFUSED',
      'EHOSTUNREACH',
      'ENETUNREACH',
      'ETIMEDOUT',
      'ECONNRESET',
      'EPIPE',
      'ENOTFOUND',
      'EAI_AGAIN',
      'ESOCKETTIMEDOUT',
      'UND_ERR_SOCKET',
      'UND_ERR_HEADERS_TIMEOUT',
    ].map((code): [string, unknown, ErrorClassification] => [
      `Node error code ${code}`,
      withProps('socket failure', { code }),
      { kind: 'RETRYABLE', message: 'socket failure', code },
    ]),
    ...[429, 502, 503, 504].map((status): [string, unknown, ErrorClassification] => [
      `HTTP ${status} as status`,
      withProps('request failed', { status }),
      { kind: 'RETRYABLE', message: 'request failed', code: `HTTP_${status}` },
    ]),
    [
      'HTTP 503 as statusCode',
      withProps('unavailable', { statusCode: 503 }),
      { kind: 'RETRYABLE', message: 'unavailable', code: 'HTTP_503' },
    ],
    [
      'HTTP 429 as response.status (axios), keeping the error code',
      withProps('Request failed with status code 429', {
        code: 'ERR_BAD_REQUEST',
        response: { status: 429 },
      }),
      { kind: 'RETRYABLE', message: 'Request failed with status code 429', code: 'ERR_BAD_REQUEST' },
    ],
    [
      'HTTP 500 is terminal',
      withProps('server error', { status: 500 }),
      { kind: 'TERMINAL', message: 'server error', code: 'HTTP_500' },
    ],
    [
      'HTTP 404 is terminal (a connector reports not-found with a ConnectorError)',
      withProps('not found', { status: 404 }),
      { kind: 'TERMINAL', message: 'not found', code: 'HTTP_404' },
    ],
    ...[
      'java.net.ConnectException: Connection refused (Connection refused)',
      'java.net.NoRouteToHostException: No route to host',
      'java.net.SocketTimeoutException: Read timed out',
      'sailpoint.connector.ConnectorException: Connection Refused',
      'LDAP operation timed out',
      'destination host unreachable',
      'Connection reset by peer',
      'connect ECONNREFUSED 10.0.0.1:389',
    ].map((message): [string, unknown, ErrorClassification] => [
      `message "${message}"`,
      new Error(message),
      { kind: 'RETRYABLE', message },
    ]),
    [
      'a plain error is terminal',
      new Error('internal error'),
      { kind: 'TERMINAL', message: 'internal error' },
    ],
    [
      'a permission failure is terminal, its code kept',
      withProps('insufficient access rights', { code: 'EACCES' }),
      { kind: 'TERMINAL', message: 'insufficient access rights', code: 'EACCES' },
    ],
    [
      "fetch's wrapper is retryable through its cause, and takes the cause's code",
      new TypeError('fetch failed', {
        cause: withProps('connect ECONNREFUSED 127.0.0.1:8080', { code: 'ECONNREFUSED' }),
      }),
      { kind: 'RETRYABLE', message: 'fetch failed', code: 'ECONNREFUSED' },
    ],
    [
      "Node's AggregateError with an empty message takes its parts' messages",
      Object.assign(
        new AggregateError(
          [
            withProps('connect ECONNREFUSED ::1:389', { code: 'ECONNREFUSED' }),
            withProps('connect ECONNREFUSED 127.0.0.1:389', { code: 'ECONNREFUSED' }),
          ],
          '',
        ),
        { code: 'ECONNREFUSED' },
      ),
      {
        kind: 'RETRYABLE',
        message: 'connect ECONNREFUSED ::1:389; connect ECONNREFUSED 127.0.0.1:389',
        code: 'ECONNREFUSED',
      },
    ],
    ['a thrown string', 'connection refused', { kind: 'RETRYABLE', message: 'connection refused' }],
    ['a thrown object', { reason: 'nope' }, { kind: 'TERMINAL', message: '{"reason":"nope"}' }],
    ['undefined', undefined, { kind: 'TERMINAL', message: 'undefined' }],
  ]

  it.each(cases)('%s', (_name, err, expected) => {
    expect(classifyError(err)).toEqual(expected)
  })

  it('gives the message, never the stack', () => {
    const err = new Error('boom')
    expect(classifyError(err).message).toBe('boom')
    expect(classifyError(err).message).not.toContain('\n    at ')
  })

  it('does not loop on a cyclic cause chain', () => {
    const a = new Error('a') as Error & { cause?: unknown }
    const b = new Error('b', { cause: a })
    a.cause = b
    expect(classifyError(a)).toEqual({ kind: 'TERMINAL', message: 'a' })
  })

  describe("with a source's retryable patterns", () => {
    const patterns = ['ORA-12541', '/^LDAP: error code (51|52)\\b/', '/deadlock/i', 'ERR_TOO_BUSY']
    const cases: [string, unknown, ErrorClassification['kind']][] = [
      ['a substring, ignoring case', new Error('ora-12541: TNS:no listener'), 'RETRYABLE'],
      ['a regular expression', new Error('LDAP: error code 51 - Busy'), 'RETRYABLE'],
      ['a regular expression that does not match', new Error('LDAP: error code 53 - Unwilling'), 'TERMINAL'],
      ['a regular expression is case-sensitive without i', new Error('ldap: error code 51'), 'TERMINAL'],
      ['a regular expression with i', new Error('Transaction DEADLOCK detected'), 'RETRYABLE'],
      ['the code', withProps('server is busy', { code: 'ERR_TOO_BUSY' }), 'RETRYABLE'],
      ['no match', new Error('ORA-00942: table or view does not exist'), 'TERMINAL'],
      ['a ConnectorError is not reclassified', connectorError('TERMINAL', 'ORA-12541'), 'TERMINAL'],
    ]
    it.each(cases)('%s', (_name, err, kind) => {
      expect(classifyError(err, patterns).kind).toBe(kind)
    })

    it('skips an invalid regular expression instead of throwing', () => {
      expect(classifyError(new Error('x (y'), ['/(y/', 'x ('])).toMatchObject({ kind: 'RETRYABLE' })
      expect(classifyError(new Error('x (y'), ['/(y/'])).toMatchObject({ kind: 'TERMINAL' })
    })

    it('matches the same way on every call (a g flag does not make it stateful)', () => {
      const global = ['/busy/g']
      const err = new Error('busy')
      expect([1, 2, 3].map(() => classifyError(err, global).kind)).toEqual([
        'RETRYABLE',
        'RETRYABLE',
        'RETRYABLE',
      ])
    })
  })
})

describe('compileRetryablePatterns', () => {
  it('compiles substrings and regular expressions', () => {
    const compiled = compileRetryablePatterns(['Busy', '/^x\\d+$/i', '/dev/null'])
    if (!compiled.ok) throw new Error('expected ok')
    const [busy, regex, path] = compiled.matchers
    expect(busy?.('server BUSY')).toBe(true)
    expect(regex?.('X42')).toBe(true)
    expect(regex?.('X42!')).toBe(false)
    // `/dev/null` is not a regular expression: "null" is not a list of flags.
    expect(path?.('cannot open /dev/null')).toBe(true)
  })

  it('lists every invalid entry with its position', () => {
    const compiled = compileRetryablePatterns(['ok', '/(unclosed/', ' ', '/x/ii'])
    expect(compiled.ok).toBe(false)
    if (compiled.ok) return
    expect(compiled.problems.map((p) => [p.index, p.pattern])).toEqual([
      [1, '/(unclosed/'],
      [2, ' '],
      [3, '/x/ii'],
    ])
    expect(compiled.problems[0]?.message).toMatch(/^invalid regular expression: /)
    expect(compiled.problems[1]?.message).toBe('must not be empty')
  })

  it('accepts an empty list', () => {
    expect(compileRetryablePatterns([])).toEqual({ ok: true, matchers: [] })
  })
})
