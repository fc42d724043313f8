import { describe, expect, it } from 'vitest'
import {
  sdkConnectorError,
  type SdkFailureContext,
} from '../../src/connectors/sailpoint-sdk/sdk-connector-error.js'
import type { ForwardedError } from '../../src/connectors/sailpoint-sdk/worker-protocol.js'

const context: SdkFailureContext = {
  sourceName: 'Airtable',
  command: 'std:account:update',
  phase: 'command',
  secrets: ['s3cr3t'],
  retryableErrors: ['rate limited'],
}

const classify = (error: ForwardedError, more: Partial<SdkFailureContext> = {}) => {
  const e = sdkConnectorError(error, { ...context, ...more })
  return { kind: e.kind, code: e.code, message: e.message }
}

describe('errors of connectors built with the SDK', () => {
  it('maps the SDK notFound type to NOT_FOUND, whatever the class', () => {
    expect(classify({ name: 'Error', type: 'notFound', message: 'no account jdoe' })).toEqual({
      kind: 'NOT_FOUND',
      code: 'NOT_FOUND',
      message: 'no account jdoe',
    })
  })

  it('maps an InvalidConfigurationError (by name; its type is generic) to TERMINAL naming the source', () => {
    expect(
      classify({ name: 'InvalidConfigurationError', type: 'generic', message: 'apiKey is missing' }),
    ).toEqual({
      kind: 'TERMINAL',
      code: 'INVALID_CONFIGURATION',
      message: 'source Airtable: the connector refused its configuration: apiKey is missing',
    })
  })

  it('maps an unsupported command to TERMINAL naming it', () => {
    expect(classify({ name: 'Error', message: 'unsupported command: std:account:update' })).toMatchObject({
      kind: 'TERMINAL',
      code: 'UNSUPPORTED_COMMAND',
      message: 'source Airtable: the connector does not support std:account:update',
    })
  })

  it('maps a module that cannot be loaded to TERMINAL', () => {
    const loaded = classify(
      { name: 'Error', code: 'MODULE_NOT_FOUND', message: "Cannot find module 'airtable'" },
      { phase: 'load' },
    )
    expect(loaded).toEqual({
      kind: 'TERMINAL',
      code: 'MODULE_NOT_FOUND',
      message: "source Airtable: cannot load the connector module: Cannot find module 'airtable'",
    })
  })

  it('maps a duplicate to ALREADY_EXISTS', () => {
    expect(classify({ name: 'Error', type: 'generic', message: 'User jdoe already exists' }).kind).toBe(
      'ALREADY_EXISTS',
    )
  })

  it.each<[string, ForwardedError, string | undefined]>([
    [
      'fetch failed, refused',
      {
        name: 'TypeError',
        message: 'fetch failed',
        cause: { name: 'Error', code: 'ECONNREFUSED', message: 'x' },
      },
      'ECONNREFUSED',
    ],
    ['a message naming the code', { name: 'Error', message: 'connect ECONNREFUSED 10.0.0.1:443' }, undefined],
    ['an HTTP 503 (axios)', { name: 'AxiosError', message: 'Request failed', status: 503 }, 'HTTP_503'],
    [
      "fetch's socket closed under it",
      {
        name: 'TypeError',
        message: 'fetch failed',
        cause: { name: 'SocketError', code: 'UND_ERR_SOCKET', message: 'other side closed' },
      },
      'UND_ERR_SOCKET',
    ],
    ["the source's own retryable message", { name: 'Error', message: 'Rate limited, slow down' }, undefined],
  ])('maps %s to RETRYABLE', (_what, error, code) => {
    expect(classify(error)).toMatchObject({ kind: 'RETRYABLE', code })
  })

  it('maps anything else to TERMINAL, with the secrets masked', () => {
    expect(
      classify({ name: 'Error', type: 'generic', message: 'HTTP 401: token s3cr3t refused', status: 401 }),
    ).toEqual({
      kind: 'TERMINAL',
      code: 'HTTP_401',
      message: 'HTTP 401: token ******** refused',
    })
  })
})
