import { keptOpen } from '../src/connectors/kept-open.js'
import { createMemoryConnector } from '../src/connectors/memory/memory-connector.js'
import { executeDue } from '../src/engine/execution/execute-due.js'
import { countByStatus } from '../src/store/activities.js'
import { bareClaimAndRecord, kindOf } from './bare-store.js'
import { againstBaseline, type BenchResult } from './bench-types.js'
import { createItems, executeWorkspace, insertCreates } from './execute-workspace.js'

/**
 * `execute`: `size` account requests (creates of 3 items each) executed against the in-memory
 * connector at zero latency on the embedded store, each attempt's outcome and the created account
 * recorded — the executor's own cost. Its baseline: the same number of rows, with the same items,
 * claimed `concurrency` at a time and each recorded with a result by plain SQL in a fresh embedded store,
 * in the same run.
 */
export async function executeBench(size: number): Promise<BenchResult> {
  const concurrency = 64
  const { store, ctx } = await executeWorkspace([{ name: 'Target', concurrency }])
  try {
    await insertCreates(ctx, 'Target', size)
    const target = createMemoryConnector({ idAttribute: 'uid', entitlementAttributes: ['groups'] })
    const withTarget = { ...ctx, connectors: ctx.connectors.with('memory', () => keptOpen(target)) }
    const t0 = performance.now()
    let attempts = 0
    for (;;) {
      const r = await executeDue(withTarget)
      attempts += r.attempts
      if (r.attempts === 0) break
    }
    const ms = performance.now() - t0
    const counts = await countByStatus(ctx.db)
    if ((counts['FINISHED'] ?? 0) !== size || target.accounts().length !== size) {
      throw new Error(`expected ${size} finished, got ${JSON.stringify(counts)}`)
    }
    const value = size / (ms / 1000)
    const bare = await bareClaimAndRecord(
      Array.from({ length: size }, (_, i) => JSON.stringify(createItems(`u${i}`))),
      concurrency,
      accountOf,
    )
    return {
      name: 'execute',
      metric: 'account requests per second (claim, execute, record)',
      value,
      unit: 'requests/s',
      size,
      ...againstBaseline(value, bare.rowsPerSecond),
      baselineMetric: `rows/s, bare claim (UPDATE … FOR UPDATE SKIP LOCKED … RETURNING) and record loop, ${concurrency} a batch (${kindOf({})})`,
      details: {
        'baseline (s)': (bare.ms / 1000).toFixed(2),
        'baseline batches': bare.batches,
        'items per request': 3,
        'per-source concurrency': concurrency,
        attempts,
        'duration (s)': (ms / 1000).toFixed(2),
        target: '2,000 account requests/s',
      },
    }
  } finally {
    await store.close()
  }
}

/** The result a bare claim records: the account its items make. */
function accountOf(items: string): string {
  const account: Record<string, string | string[]> = {}
  for (const i of JSON.parse(items) as { operation: string; attribute: string; value: string }[]) {
    if (i.operation === 'Add') account[i.attribute] = [...((account[i.attribute] as string[]) ?? []), i.value]
    else account[i.attribute] = i.value
  }
  return JSON.stringify(account)
}
