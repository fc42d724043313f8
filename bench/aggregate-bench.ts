import { aggregateSource } from '../src/engine/aggregate-source.js'
import { aggregateThenProcess } from '../src/engine/aggregate-then-process.js'
import type { BenchResult } from './bench-types.js'
import { benchWorkspace } from './bench-workspace.js'

/**
 * `aggregate`: a 10-column delimited file with one multi-valued entitlement column, every account
 * correlated to an existing identity, on the embedded store. The identities are built first (untimed).
 */
export async function aggregateBench(size: number): Promise<BenchResult> {
  const { store, ctx } = await benchWorkspace(size)
  try {
    await aggregateThenProcess(ctx, 'HR')
    const r = await aggregateSource(ctx, 'Directory')
    if (r.accounts.created !== size || r.correlated !== size) {
      throw new Error(
        `expected ${size} created and correlated accounts, got ${JSON.stringify(r.accounts)} / ${r.correlated}`,
      )
    }
    const again = await aggregateSource(ctx, 'Directory')
    return {
      name: 'aggregate',
      metric: 'accounts per second',
      value: size / (r.aggregatedMs / 1000),
      unit: 'accounts/s',
      size,
      details: {
        'first aggregation (s)': (r.aggregatedMs / 1000).toFixed(2),
        'entitlements discovered': r.entitlementsDiscovered,
        'accounts correlated': r.correlated,
        're-aggregation, unchanged file (s)': (again.aggregatedMs / 1000).toFixed(2),
        ...Object.fromEntries(
          Object.entries(r.phases).map(([k, v]) => [`  phase ${k} (s)`, (v / 1000).toFixed(2)]),
        ),
        target: '20,000 accounts/s',
      },
    }
  } finally {
    await store.close()
  }
}
