import type { ChildProcess } from 'node:child_process'
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { keptOpen } from '../src/connectors/kept-open.js'
import { createMemoryConnector } from '../src/connectors/memory/memory-connector.js'
import { executeDue } from '../src/engine/execution/execute-due.js'
import { countByStatus } from '../src/store/activities.js'
import { benchDatabase } from './bench-database.js'
import type { BenchResult } from './bench-types.js'
import { executeWorkspace, insertCreates } from './execute-workspace.js'

const LATENCY_MS = 20
const CLI = join(fileURLToPath(import.meta.url), '..', '..', 'src', 'cli', 'main.js')

/** Requests per second through one process at a per-source concurrency, on the embedded store. */
async function atConcurrency(concurrency: number, count: number): Promise<number> {
  const { store, ctx } = await executeWorkspace([{ name: 'Target', concurrency }])
  try {
    await insertCreates(ctx, 'Target', count)
    const target = createMemoryConnector({ idAttribute: 'uid', latencyMs: LATENCY_MS })
    const withTarget = { ...ctx, connectors: ctx.connectors.with('memory', () => keptOpen(target)) }
    const t0 = performance.now()
    while ((await executeDue(withTarget)).attempts > 0);
    return count / ((performance.now() - t0) / 1000)
  } finally {
    await store.close()
  }
}

/** Requests per second with `workers` worker processes on a PostgreSQL server, four sources of 16 slots. */
async function withWorkers(serverUrl: string, workers: number, perSource: number): Promise<number> {
  const database = await benchDatabase(serverUrl)
  const url = new URL(database.url)
  const sources = ['T1', 'T2', 'T3', 'T4'].map((n) => ({
    name: n,
    concurrency: 16,
    connectorAttributes: `{ file: systems/${n}.json, idAttribute: uid, latencyMs: ${LATENCY_MS} }`,
  }))
  const { dir, store, ctx } = await executeWorkspace(sources, url.toString())
  const children: ChildProcess[] = []
  try {
    for (const s of sources) await insertCreates(ctx, s.name, perSource, `${s.name}-`)
    const total = perSource * sources.length
    const t0 = performance.now()
    for (let i = 0; i < workers; i++) {
      children.push(
        spawn(process.execPath, [CLI, '-w', dir, 'worker', '--poll', '0.5', '--sources', '4'], {
          env: { ...process.env, DATABASE_URL: url.toString() },
          stdio: 'ignore',
        }),
      )
    }
    while (((await countByStatus(ctx.db))['FINISHED'] ?? 0) < total) await sleep(100)
    const rate = total / ((performance.now() - t0) / 1000)
    for (const s of sources) {
      const journal = join(dir, `systems/${s.name}.json`)
      const creates = existsSync(journal) ? readFileSync(journal, 'utf8').split('"create"').length - 1 : 0
      if (creates !== perSource) {
        throw new Error(`${s.name}: ${creates} creates applied, expected ${perSource}`)
      }
    }
    return rate
  } finally {
    for (const c of children) c.kill('SIGTERM')
    await store.close()
    await database.drop()
  }
}

/**
 * `execute-latency`: a target answering in 20 ms. Throughput of one process at per-source concurrency
 * 1, 8 and 32 on the embedded store; then 1, 2 and 4 `provisio worker` processes sharing four such
 * sources (16 slots each) on the PostgreSQL server named by PROVISIO_BENCH_DATABASE_URL (or the test one).
 */
export async function executeLatencyBench(size: number): Promise<BenchResult> {
  const c1 = await atConcurrency(1, Math.max(50, Math.round(size / 40)))
  const c8 = await atConcurrency(8, Math.max(200, Math.round(size / 5)))
  const c32 = await atConcurrency(32, size)
  const serverUrl = process.env['PROVISIO_BENCH_DATABASE_URL'] ?? process.env['PROVISIO_TEST_DATABASE_URL']
  const workers: Record<string, string | number> = {}
  if (serverUrl) {
    for (const n of [1, 2, 4]) {
      workers[`${n} worker${n > 1 ? 's' : ''} on PostgreSQL (requests/s)`] = Math.round(
        await withWorkers(serverUrl, n, Math.round(size / 4)),
      )
    }
  } else workers['workers on PostgreSQL'] = 'skipped: set PROVISIO_BENCH_DATABASE_URL'
  return {
    name: 'execute-latency',
    metric: 'requests per second at per-source concurrency 32, 20 ms target latency',
    value: c32,
    unit: 'requests/s',
    size,
    ratio: c32 / c1,
    details: {
      'concurrency 1 (requests/s)': Math.round(c1),
      'concurrency 8 (requests/s)': Math.round(c8),
      'concurrency 32 (requests/s)': Math.round(c32),
      'ratio 32 : 1 (ideal 32)': (c32 / c1).toFixed(1),
      ...workers,
    },
  }
}
