import { AsyncLocalStorage } from 'node:async_hooks'

interface Capture {
  stdout: string
  stderr: string
}

const capture = new AsyncLocalStorage<Capture>()
let installed = false

/** Sends writes made inside `captureOutput` to its buffers; every other write goes where it always went. */
function install(): void {
  if (installed) return
  installed = true
  for (const name of ['stdout', 'stderr'] as const) {
    const stream = process[name]
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean
    stream.write = ((chunk: unknown, ...rest: unknown[]): boolean => {
      const into = capture.getStore()
      if (into === undefined) return write(chunk, ...rest)
      into[name] += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8')
      const done = rest.find((r): r is () => void => typeof r === 'function')
      done?.()
      return true
    }) as typeof stream.write
  }
}

/**
 * Runs `fn` and returns what it wrote to stdout and stderr, without writing it there. Commands write to
 * `process.stdout` directly; `serve` runs a command handed over by another process's CLI this way, each
 * command's output kept apart from the others' and from serve's own log by the async context.
 */
export async function captureOutput<T>(
  fn: () => Promise<T>,
): Promise<{ value: T | undefined; error: unknown; stdout: string; stderr: string }> {
  install()
  const into: Capture = { stdout: '', stderr: '' }
  let value: T | undefined
  let error: unknown
  await capture.run(into, async () => {
    try {
      value = await fn()
    } catch (err) {
      error = err
    }
  })
  return { value, error, stdout: into.stdout, stderr: into.stderr }
}
