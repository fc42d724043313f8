import { Worker } from 'node:worker_threads'
import { ConnectorError } from '../../domain/errors.js'
import { runConnectorWorker } from './connector-worker.js'
import type {
  FailurePhase,
  ForwardedError,
  FromWorker,
  InvocationContext,
  RawRecord,
  ToWorker,
  WorkerData,
} from './worker-protocol.js'

export interface ConnectorThreadOptions {
  readonly sourceName: string
  readonly modulePath: string
  /** How long a command may go without sending a record (keepAlive included) before its thread is stopped. */
  readonly timeoutMs: number
  /** The environment of the worker, besides `CONNECTOR_CONFIG`. */
  readonly env: Readonly<Record<string, string>>
  /** The engine's error for a failure the connector reported. */
  readonly failure: (command: string, phase: FailurePhase, error: ForwardedError) => Error
}

/** One command in flight: its records not yet read, and how it ended. */
class Invocation {
  readonly #queue: RawRecord[][] = []
  readonly #silence: { readonly ms: number; readonly then: () => void }
  #timer: NodeJS.Timeout | undefined
  #end: { error?: Error } | undefined
  #wake: (() => void) | undefined

  /** `silent` is called when the connector sent nothing for `timeoutMs`. */
  constructor(
    readonly command: string,
    timeoutMs: number,
    silent: () => void,
  ) {
    this.#silence = { ms: timeoutMs, then: silent }
    this.#arm()
  }

  get ended(): boolean {
    return this.#end !== undefined
  }

  push(records: readonly RawRecord[]): void {
    // A stopped thread's last messages can still arrive after its commands were failed.
    if (this.#end !== undefined) return
    // Timed from what the connector sends, not from what the engine has read: a slow reader is no hang.
    this.#arm()
    this.#queue.push([...records])
    this.#wake?.()
  }

  finish(error?: Error): void {
    if (this.#end !== undefined) return
    clearTimeout(this.#timer)
    this.#end = error === undefined ? {} : { error }
    this.#wake?.()
  }

  #arm(): void {
    clearTimeout(this.#timer)
    this.#timer = setTimeout(this.#silence.then, this.#silence.ms)
  }

  /** The next batch of records; null once the command is done; throws its failure. */
  async next(): Promise<RawRecord[] | null> {
    while (this.#queue.length === 0 && this.#end === undefined) {
      await new Promise<void>((resolve) => (this.#wake = resolve))
      this.#wake = undefined
    }
    const batch = this.#queue.shift()
    if (batch !== undefined) return batch
    if (this.#end?.error !== undefined) throw this.#end.error
    return null
  }
}

/**
 * The worker thread a connector instance's commands run in: started on the first command with
 * `CONNECTOR_CONFIG` set for this source only, then kept for the next ones, which it serves concurrently.
 * A command silent for longer than the timeout, or a thread that dies, costs every command in flight on
 * it (they fail RETRYABLE) and the thread itself: the next command starts a fresh one.
 */
export class ConnectorThread {
  readonly #o: ConnectorThreadOptions
  readonly #running = new Map<number, Invocation>()
  #worker: Worker | undefined
  #nextId = 1

  constructor(options: ConnectorThreadOptions) {
    this.#o = options
  }

  /** The running worker's thread id (tests check that a timed-out thread was replaced). */
  get threadId(): number | undefined {
    return this.#worker?.threadId
  }

  /** Runs one command; yields its records as they arrive. `config` is base64(JSON(source config)). */
  async *run(
    command: string,
    input: unknown,
    config: string,
    context: InvocationContext,
  ): AsyncGenerator<RawRecord> {
    const worker = this.#start(config)
    const id = this.#nextId++
    const invocation: Invocation = new Invocation(
      command,
      this.#o.timeoutMs,
      () => void this.#timedOut(worker, invocation),
    )
    this.#running.set(id, invocation)
    worker.ref()
    try {
      this.#post(worker, { kind: 'invoke', id, type: command, input, config, context })
      for (;;) {
        const batch = await invocation.next()
        if (batch === null) return
        for (const record of batch) yield record
      }
    } finally {
      this.#running.delete(id)
      // The engine stopped reading before the end (a `break` out of a list): the rest is not wanted.
      if (!invocation.ended) {
        invocation.finish()
        if (worker === this.#worker) this.#post(worker, { kind: 'cancel', id })
      }
      if (this.#running.size === 0) this.#worker?.unref()
    }
  }

  /** Stops the thread; commands still in flight fail. */
  async close(): Promise<void> {
    await this.#stop(
      () =>
        new ConnectorError('RETRYABLE', `source ${this.#o.sourceName}: the connector was closed`, {
          code: 'CONNECTOR_CLOSED',
        }),
    )
  }

  #start(config: string): Worker {
    if (this.#worker !== undefined) return this.#worker
    const workerData: WorkerData = { modulePath: this.#o.modulePath }
    const worker = new Worker(`(${runConnectorWorker.toString()})(require)`, {
      eval: true,
      workerData,
      env: { ...this.#o.env, CONNECTOR_CONFIG: config },
      // console.log in a connector: to the engine's stderr, as its pino logs (see connector-worker.ts).
      stdout: true,
    })
    worker.stdout.on('data', (chunk: Buffer) => process.stderr.write(chunk))
    worker.on('message', (message: FromWorker) => this.#receive(message))
    worker.on('error', (err) => {
      if (worker !== this.#worker) return
      this.#worker = undefined
      this.#failAll(
        () =>
          new ConnectorError(
            'RETRYABLE',
            `source ${this.#o.sourceName}: the connector's worker thread failed: ${err.message}`,
            { code: 'CONNECTOR_WORKER_CRASHED', cause: err },
          ),
      )
    })
    worker.on('exit', (exitCode) => {
      if (worker !== this.#worker) return
      this.#worker = undefined
      this.#failAll(
        () =>
          new ConnectorError(
            'RETRYABLE',
            `source ${this.#o.sourceName}: the connector's worker thread exited (code ${exitCode})`,
            { code: 'CONNECTOR_WORKER_EXITED' },
          ),
      )
    })
    this.#worker = worker
    return worker
  }

  #post(worker: Worker, message: ToWorker): void {
    worker.postMessage(message)
  }

  #receive(message: FromWorker): void {
    const invocation = this.#running.get(message.id)
    if (invocation === undefined) return
    if (message.kind === 'records') invocation.push(message.records)
    else if (message.kind === 'done') invocation.finish()
    else invocation.finish(this.#o.failure(invocation.command, message.phase, message.error))
  }

  async #timedOut(worker: Worker, late: Invocation): Promise<void> {
    if (worker !== this.#worker) return
    const source = this.#o.sourceName
    const seconds = this.#o.timeoutMs / 1000
    // The only way to stop a handler that never returns is to stop its thread, and the others in it with it.
    await this.#stop((invocation) =>
      invocation === late
        ? new ConnectorError(
            'RETRYABLE',
            `source ${source}: ${invocation.command} sent nothing for ${seconds} s; its worker thread was stopped`,
            { code: 'CONNECTOR_TIMEOUT' },
          )
        : new ConnectorError(
            'RETRYABLE',
            `source ${source}: ${invocation.command} was stopped with the worker thread of a command that timed out (${late.command})`,
            { code: 'CONNECTOR_WORKER_STOPPED' },
          ),
    )
  }

  /** Terminates the worker (waiting until it is gone), then fails what was in flight on it. */
  async #stop(reason: (invocation: Invocation) => Error): Promise<void> {
    const worker = this.#worker
    this.#worker = undefined
    const running = [...this.#running.values()]
    await worker?.terminate()
    for (const invocation of running) invocation.finish(reason(invocation))
  }

  #failAll(reason: (invocation: Invocation) => Error): void {
    for (const invocation of this.#running.values()) invocation.finish(reason(invocation))
  }
}
