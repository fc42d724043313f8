/**
 * The messages between the engine and a connector's worker thread. Types only: the worker's code
 * (connector-worker.ts) may not import values.
 */

/** One record of a command's output, as the SDK's `ResponseStream` writes it. */
export interface RawRecord {
  readonly type: 'output' | 'state' | 'keepAlive' | 'config'
  readonly data: unknown
}

/** What the SDK puts in a handler's `context`, less the functions (the worker adds those). */
export interface InvocationContext {
  readonly id: string
  readonly name: string
  readonly version: number
  readonly invocationId: string
  readonly requestId: string
  readonly commandType: string
}

/** Where a failure happened: loading the module, resolving its `connector` export, or running the command. */
export type FailurePhase = 'load' | 'factory' | 'command'

/** A thrown value as it crosses the thread boundary: what classifying it needs, never its stack. */
export interface ForwardedError {
  readonly name: string
  readonly message: string
  /** The SDK's ConnectorErrorType (`generic`, `notFound`) when the connector threw a ConnectorError. */
  readonly type?: string
  readonly code?: string
  /** An HTTP status found on the error (`status`, `statusCode`, `response.status`). */
  readonly status?: number
  readonly cause?: ForwardedError
}

export interface WorkerData {
  /** The connector module's absolute path. */
  readonly modulePath: string
}

export type ToWorker =
  | {
      readonly kind: 'invoke'
      readonly id: number
      readonly type: string
      readonly input: unknown
      /** base64(JSON(config)): what `CONNECTOR_CONFIG` holds while the command runs. */
      readonly config: string
      readonly context: InvocationContext
    }
  /** The engine stopped reading the command's records: the worker drops the rest. */
  | { readonly kind: 'cancel'; readonly id: number }

export type FromWorker =
  | { readonly kind: 'records'; readonly id: number; readonly records: readonly RawRecord[] }
  | { readonly kind: 'done'; readonly id: number }
  | {
      readonly kind: 'failed'
      readonly id: number
      readonly phase: FailurePhase
      readonly error: ForwardedError
    }
