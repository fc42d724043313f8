import { MASK } from '../../domain/config/secret-ref.js'
import { classifyError } from '../../domain/execution/classify-error.js'
import { ConnectorError } from '../../domain/errors.js'
import type { FailurePhase, ForwardedError } from './worker-protocol.js'

export interface SdkFailureContext {
  readonly sourceName: string
  /** The command that failed, e.g. `std:account:read`. */
  readonly command: string
  readonly phase: FailurePhase
  /** Resolved secret values: replaced by a mask wherever a connector put one in a message. */
  readonly secrets: readonly string[]
  /** The source's `retryableErrors`. */
  readonly retryableErrors: readonly string[]
}

/**
 * What a failure a connector built with the SDK reported means to the engine. The SDK has two error types
 * (`generic`, `notFound`), and connectors signal a bad configuration with their own
 * `InvalidConfigurationError` class, so the error is read by its `type` and `name`, never by instanceof.
 */
export function sdkConnectorError(error: ForwardedError, context: SdkFailureContext): ConnectorError {
  const source = context.sourceName
  const message = redact(error.message, context.secrets)
  if (error.type === 'notFound') return new ConnectorError('NOT_FOUND', message, { code: 'NOT_FOUND' })
  if (error.name === 'InvalidConfigurationError') {
    return new ConnectorError(
      'TERMINAL',
      `source ${source}: the connector refused its configuration: ${message}`,
      {
        code: 'INVALID_CONFIGURATION',
      },
    )
  }
  if (context.phase === 'command' && /^unsupported command\b/.test(message)) {
    return new ConnectorError(
      'TERMINAL',
      `source ${source}: the connector does not support ${context.command}`,
      {
        code: 'UNSUPPORTED_COMMAND',
      },
    )
  }
  if (context.phase === 'load') {
    return new ConnectorError('TERMINAL', `source ${source}: cannot load the connector module: ${message}`, {
      code: error.code ?? 'CONNECTOR_MODULE',
    })
  }
  if (/already exists/i.test(message)) {
    return new ConnectorError('ALREADY_EXISTS', message, { code: error.code ?? 'ALREADY_EXISTS' })
  }
  const rebuilt = rebuild(error, context.secrets)
  const classified = classifyError(rebuilt, context.retryableErrors)
  const code = classified.code
  return new ConnectorError(classified.kind, message, {
    ...(code === undefined ? {} : { code }),
    cause: rebuilt,
  })
}

/** The forwarded error as an Error again, with its code, status and causes: what classifyError reads. */
function rebuild(error: ForwardedError, secrets: readonly string[]): Error {
  const rebuilt = new Error(
    redact(error.message, secrets),
    error.cause === undefined ? undefined : { cause: rebuild(error.cause, secrets) },
  )
  rebuilt.name = error.name
  return Object.assign(rebuilt, {
    ...(error.code === undefined ? {} : { code: error.code }),
    ...(error.status === undefined ? {} : { status: error.status }),
  })
}

function redact(text: string, secrets: readonly string[]): string {
  return secrets.reduce((out, secret) => out.replaceAll(secret, MASK), text)
}
