import { keptOpen } from '../src/connectors/kept-open.js'
import { createMemoryConnector } from '../src/connectors/memory/memory-connector.js'
import { executeDue } from '../src/engine/execute-activities.js'
import { countByStatus } from '../src/store/activities.js'
import type { BenchResult } from './bench-types.js'
import { executeWorkspace, insertCreates } from './execute-workspace.js'

/**
 * `execute`: `size` account requests (creates of 3 items each) executed against the in-memory
 * connector at zero latency on the embedded store, each attempt's outcome and the created account
 * recorded — the executor's own cost.
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
    return {
      name: 'execute',
      metric: 'account requests per second (claim, execute, record)',
      value: size / (ms / 1000),
      unit: 'requests/s',
      size,
      details: {
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
