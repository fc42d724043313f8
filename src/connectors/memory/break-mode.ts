import { ConnectorError } from '../../domain/errors.js'

/**
 * Fault injection for the memory connector, after midPoint's dummy resource: each operation can be made to
 * fail the way a real system fails, or to be slow, so the engine's classification and retries are tested
 * without a real outage.
 */

export const MEMORY_OPERATIONS = [
  'create',
  'update',
  'delete',
  'enable',
  'disable',
  'read',
  'list',
  'test',
] as const

/** An operation a break mode applies to; `list` covers both accounts and entitlements. */
export type MemoryOperation = (typeof MEMORY_OPERATIONS)[number]

export const BREAK_MODES = [
  'NONE',
  'NETWORK',
  'HOST_UNREACHABLE',
  'TIMEOUT',
  'SCHEMA',
  'ALREADY_EXISTS',
  'NOT_FOUND',
  'GENERIC',
  'SLOW',
] as const

export type BreakMode = (typeof BREAK_MODES)[number]

export interface BreakModeOptions {
  /** How long a SLOW operation waits before it succeeds (default DEFAULT_SLOW_LATENCY_MS). */
  readonly latencyMs?: number
  /** Replaces the failure's message, e.g. to test a source's own retryable error patterns. */
  readonly message?: string
}

export interface BreakModeSetting extends BreakModeOptions {
  readonly mode: BreakMode
}

export const DEFAULT_SLOW_LATENCY_MS = 1000

/**
 * The error an operation broken with `setting` throws, or undefined when it proceeds (NONE, SLOW). The
 * network failures look like Node's own socket errors (code, errno, syscall) so they are classified the way
 * real ones are; the addresses are from TEST-NET-1, which nothing answers.
 */
export function breakModeError(
  setting: BreakModeSetting,
  op: MemoryOperation,
  nativeIdentity?: string,
): Error | undefined {
  const subject = nativeIdentity === undefined ? 'object' : `account ${nativeIdentity}`
  switch (setting.mode) {
    case 'NONE':
    case 'SLOW':
      return undefined
    case 'NETWORK':
      return socketError(setting.message ?? 'connect ECONNREFUSED 127.0.0.1:389', 'ECONNREFUSED', -111)
    case 'HOST_UNREACHABLE':
      return socketError(setting.message ?? 'connect EHOSTUNREACH 192.0.2.1:389', 'EHOSTUNREACH', -113)
    case 'TIMEOUT':
      return socketError(setting.message ?? 'connect ETIMEDOUT 192.0.2.1:389', 'ETIMEDOUT', -110)
    case 'SCHEMA':
      return new ConnectorError(
        'TERMINAL',
        setting.message ?? `schema violation: ${op} of ${subject} refused (simulated)`,
        { code: 'SCHEMA' },
      )
    case 'ALREADY_EXISTS':
      return new ConnectorError(
        'ALREADY_EXISTS',
        setting.message ?? `${subject} already exists (simulated)`,
        {
          code: 'ALREADY_EXISTS',
        },
      )
    case 'NOT_FOUND':
      return new ConnectorError('NOT_FOUND', setting.message ?? `${subject} not found (simulated)`, {
        code: 'NOT_FOUND',
      })
    case 'GENERIC':
      return new Error(setting.message ?? 'internal error (simulated)')
  }
}

function socketError(message: string, code: string, errno: number): Error {
  return Object.assign(new Error(message), { code, errno, syscall: 'connect' })
}
