import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { beforeAll, describe, expect, it } from 'vitest'
import { ConnectorError } from '../../domain/errors.js'
import { createMemoryConnector } from './memory-connector.js'

/**
 * Processes sharing one state file. The workers run the built connector (`npm test` builds first), the
 * script test/fixtures/memory/create-accounts.mjs.
 */

const root = join(import.meta.dirname, '..', '..', '..')
const WORKER = join(root, 'test', 'fixtures', 'memory', 'create-accounts.mjs')
const BUILT_MODULES = ['memory-connector', 'memory-state-file', 'file-lock']

interface WorkerResult {
  readonly created: string[]
  readonly alreadyExists: string[]
  readonly failed: string[]
}

interface Worker {
  readonly child: ChildProcess
  /** Resolves once the worker has opened the connector. */
  readonly ready: Promise<void>
  /** Resolves once the worker reports `count` operations done (with progress on). */
  progress(count: number): Promise<void>
  /** Lets the worker start creating. */
  go(): void
  /** What the worker did, once it exits; rejects when it fails. */
  readonly result: Promise<WorkerResult>
}

function startWorker(file: string, ids: readonly string[], progress = false): Worker {
  const child = spawn(process.execPath, [WORKER, file, ids.join(','), ...(progress ? ['--progress'] : [])], {
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const lines: string[] = []
  let closed = false
  const waiters: (() => void)[] = []
  const wake = (): void => {
    for (const w of waiters.splice(0)) w()
  }
  createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(line)
    wake()
  })
  child.on('close', () => {
    closed = true
    wake()
  })
  const until = (found: () => boolean): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        if (found()) resolve()
        else if (closed) reject(new Error(`worker ended: ${stderr}`))
        else waiters.push(check)
      }
      check()
    })
  const result = new Promise<WorkerResult>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => {
      if (code !== 0) reject(new Error(`worker exited with ${code ?? signal}: ${stderr}`))
      else resolve(JSON.parse(lines.at(-1) ?? '') as WorkerResult)
    })
  })
  return {
    child,
    ready: until(() => lines.includes('ready')),
    progress: (count) => until(() => lines.includes(`progress ${count}`)),
    go: () => child.stdin.end('go\n'),
    result,
  }
}

const tempFile = (): string => join(mkdtempSync(join(tmpdir(), 'provisio-memory-processes-')), 'state.json')
const idsOf = (count: number): string[] =>
  Array.from({ length: count }, (_, i) => `u${String(i).padStart(5, '0')}`)
const sorted = (values: readonly string[]): string[] => [...values].sort()

/** Every line of the file is whole JSON. */
function expectWholeLines(file: string): void {
  const text = readFileSync(file, 'utf8')
  expect(text.endsWith('\n')).toBe(true)
  for (const line of text.slice(0, -1).split('\n')) expect(() => JSON.parse(line) as unknown).not.toThrow()
}

describe('MemoryConnector state file shared by processes', () => {
  beforeAll(() => {
    for (const name of BUILT_MODULES) {
      const built = join(root, 'dist', 'src', 'connectors', 'memory', `${name}.js`)
      const source = join(import.meta.dirname, `${name}.ts`)
      if (!existsSync(built) || statSync(built).mtimeMs < statSync(source).mtimeMs) {
        throw new Error(`${built} is missing or older than its source: run npm run build (npm test does)`)
      }
    }
  })

  it('creates each account once when processes create overlapping ids at the same time', async () => {
    const file = tempFile()
    const ids = idsOf(600)
    // Each worker goes through all ids in its own order, so they meet all over the list.
    const orders = [ids, [...ids].reverse(), ids.map((_, i) => ids[(i * 7) % ids.length] as string)]
    const workers = orders.map((order) => startWorker(file, order))
    await Promise.all(workers.map((w) => w.ready))
    for (const w of workers) w.go()
    const results = await Promise.all(workers.map((w) => w.result))

    for (const r of results) {
      expect(r.failed).toEqual([])
      expect(sorted([...r.created, ...r.alreadyExists])).toEqual(ids)
    }
    expect(sorted(results.flatMap((r) => r.created))).toEqual(ids)
    expect(results.flatMap((r) => r.alreadyExists)).toHaveLength(2 * ids.length)

    const log = createMemoryConnector({ file }).operationLog()
    expect(log.every((e) => e.op === 'create')).toBe(true)
    expect(sorted(log.map((e) => e.nativeIdentity))).toEqual(ids)
    expect(log.map((e) => e.seq)).toEqual(ids.map((_, i) => i + 1))
    expectWholeLines(file)
    expect(readdirSync(join(file, '..'))).toEqual(['state.json'])
  })

  it('creates each account once when a worker killed mid-run is followed by another', async () => {
    const file = tempFile()
    const ids = idsOf(4000)
    const worker = startWorker(file, ids, true)
    await worker.ready
    worker.go()
    await worker.progress(400)
    worker.child.kill('SIGKILL')
    await expect(worker.result).rejects.toThrow('SIGKILL')

    // The restart: what the killed worker applied is there, and creating it again is refused.
    const restarted = createMemoryConnector({ file })
    const applied = restarted.operationLog().length
    expect(applied).toBeGreaterThanOrEqual(400)
    let refused = 0
    for (const id of ids) {
      try {
        await restarted.createAccount(id, { mail: `${id}@example.com` })
      } catch (e) {
        expect(e).toBeInstanceOf(ConnectorError)
        expect((e as ConnectorError).kind).toBe('ALREADY_EXISTS')
        refused += 1
      }
    }
    expect(refused).toBe(applied)
    const log = createMemoryConnector({ file }).operationLog()
    expect(sorted(log.map((e) => e.nativeIdentity))).toEqual(ids)
    expect(log.map((e) => e.seq)).toEqual(ids.map((_, i) => i + 1))
    expectWholeLines(file)
  })
})
