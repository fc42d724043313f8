import type * as Fs from 'node:fs'
import type * as Stream from 'node:stream'
import type * as WorkerThreads from 'node:worker_threads'
import type {
  FailurePhase,
  ForwardedError,
  FromWorker,
  RawRecord,
  ToWorker,
  WorkerData,
} from './worker-protocol.js'

/**
 * The code of a connector's worker thread: loads the connector module once, and for each `invoke` message
 * sets `CONNECTOR_CONFIG`, resolves the module's `connector` export (an instance, or a factory called per
 * invocation as the SailPoint runtime does), runs the command through `_exec`, and posts its records back
 * in batches. Invocations run concurrently; they all belong to one source, so they share its configuration.
 *
 * The worker is started as the text `(${runConnectorWorker})(require)` (an eval worker), not from a file:
 * the same function then runs from `src` under vitest, which loads TypeScript a worker thread could not,
 * and from `dist` after `tsc`, which copies no plain .js file. So it is self-contained: no value imports
 * and nothing from this module's scope, only the `require` it is given. Everything about the SDK is
 * reached by duck typing: the connector carries (or resolves) its own copy, which the engine never loads.
 */
export function runConnectorWorker(load: NodeJS.Require): void {
  const { parentPort, workerData } = load('node:worker_threads') as typeof WorkerThreads
  const fs = load('node:fs') as typeof Fs
  const { Writable } = load('node:stream') as typeof Stream
  if (parentPort === null) return
  const port = parentPort
  const { modulePath } = workerData as WorkerData
  const BATCH = 500
  const MAX_CAUSES = 4

  // The SDK's logger (pino) writes to fd 1 with fs.write/fs.writeSync, around the worker's `stdout` stream:
  // that is the engine's own standard output, where the CLI prints plans as JSON. Connector logs go to fd 2.
  const writers = fs as unknown as Record<'write' | 'writeSync', (fd: number, ...rest: unknown[]) => unknown>
  for (const name of ['write', 'writeSync'] as const) {
    const original = writers[name]
    writers[name] = (fd, ...rest) => original.call(fs, fd === 1 ? 2 : fd, ...rest)
  }

  type Exported = Record<string, unknown>
  type Connector = {
    _exec(
      type: string,
      context: object,
      input: unknown,
      res: Stream.Writable,
      customizer?: unknown,
    ): Promise<void>
  }
  let loaded: Exported | undefined
  const cancelled = new Set<number>()
  const batches = new Map<number, RawRecord[]>()
  let flushScheduled = false

  const post = (message: FromWorker): void => {
    try {
      port.postMessage(message)
    } catch {
      // A value structured cloning refuses (a function, a class with private fields): sent as JSON would be.
      port.postMessage(JSON.parse(JSON.stringify(message)) as FromWorker)
    }
  }

  const flush = (only?: number): void => {
    for (const [id, records] of [...batches]) {
      if (only !== undefined && id !== only) continue
      batches.delete(id)
      if (!cancelled.has(id)) post({ kind: 'records', id, records })
    }
  }

  const emit = (id: number, record: RawRecord): void => {
    if (cancelled.has(id)) return
    let batch = batches.get(id)
    if (batch === undefined) batches.set(id, (batch = []))
    batch.push(record)
    if (batch.length >= BATCH) flush(id)
    else if (!flushScheduled) {
      // One message per turn of the event loop rather than per record: lists run to hundreds of thousands.
      flushScheduled = true
      setImmediate(() => {
        flushScheduled = false
        flush()
      })
    }
  }

  const text = (value: unknown): string | undefined =>
    typeof value === 'string' && value !== '' ? value : undefined

  const forward = (thrown: unknown, depth: number): ForwardedError => {
    if (typeof thrown !== 'object' || thrown === null) return { name: typeof thrown, message: String(thrown) }
    const e = thrown as Record<string, unknown>
    const response = (
      typeof e['response'] === 'object' && e['response'] !== null ? e['response'] : {}
    ) as Record<string, unknown>
    const status = [e['status'], e['statusCode'], response['status']].find((v) => typeof v === 'number')
    const code = typeof e['code'] === 'number' ? String(e['code']) : text(e['code'])
    const errors = Array.isArray(e['errors']) ? (e['errors'] as unknown[]) : []
    // An AggregateError (a connection refused on every address) has no message of its own: its parts do.
    const cause = e['cause'] ?? errors[0]
    return {
      name: text(e['name']) ?? 'Error',
      message: text(e['message']) ?? errors.map((x) => text((x as Exported | null)?.['message'])).join('; '),
      ...(text(e['type']) === undefined ? {} : { type: text(e['type']) as string }),
      ...(code === undefined ? {} : { code }),
      ...(status === undefined ? {} : { status: status as number }),
      ...(cause === undefined || cause === null || depth >= MAX_CAUSES
        ? {}
        : { cause: forward(cause, depth + 1) }),
    }
  }

  /** An export that is an instance, a promise of one, or a (possibly async) factory of one. */
  const resolveExport = async (value: unknown): Promise<unknown> =>
    typeof value === 'function' ? await (value as () => unknown)() : await value

  const invoke = async (message: Extract<ToWorker, { kind: 'invoke' }>): Promise<void> => {
    const { id } = message
    let phase: FailurePhase = 'load'
    try {
      process.env['CONNECTOR_CONFIG'] = message.config
      loaded ??= load(modulePath) as Exported
      const exported = loaded['connector'] ?? (loaded['default'] as Exported | undefined)?.['connector']
      if (exported === undefined) {
        throw new TypeError(
          `${modulePath} has no "connector" export (a CommonJS bundle under a package.json saying ` +
            '"type": "module" is read as an ES module: give its folder a package.json {"type": "commonjs"})',
        )
      }
      phase = 'factory'
      const connector = (await resolveExport(exported)) as Connector | undefined
      if (typeof connector?._exec !== 'function') {
        throw new TypeError(`the "connector" export of ${modulePath} is not a connector built with the SDK`)
      }
      const customizer =
        loaded['connectorCustomizer'] === undefined
          ? undefined
          : await resolveExport(loaded['connectorCustomizer'])
      phase = 'command'
      const config = JSON.parse(Buffer.from(message.config, 'base64').toString('utf8')) as unknown
      const context = {
        ...message.context,
        reloadConfig: async () => config,
        assumeAwsRole: async () => {
          throw new Error('assumeAwsRole is only available on SailPoint-hosted connectors')
        },
      }
      const sink = new Writable({
        objectMode: true,
        write(record: RawRecord, _encoding, done) {
          emit(id, record)
          done()
        },
      })
      await connector._exec(message.type, context, message.input, sink, customizer)
      await new Promise<void>((resolve, reject) =>
        sink.end((err?: Error | null) => (err ? reject(err) : resolve())),
      )
      flush(id)
      post({ kind: 'done', id })
    } catch (err) {
      flush(id)
      post({ kind: 'failed', id, phase, error: forward(err, 0) })
    } finally {
      cancelled.delete(id)
    }
  }

  port.on('message', (message: ToWorker) => {
    if (message.kind === 'invoke') void invoke(message)
    else {
      cancelled.add(message.id)
      batches.delete(message.id)
    }
  })
}
