import { aggregateSource } from '../src/engine/aggregate-source.js'
import { aggregateThenProcess } from '../src/engine/aggregate-then-process.js'
import { listSourceRows } from '../src/store/sources.js'
import { insertAndReadBaseline, storedRows } from './bare-store.js'
import type { BenchResult } from './bench-types.js'
import { benchWorkspace } from './bench-workspace.js'

/**
 * `aggregate`: a 10-column delimited file with one multi-valued entitlement column, every account
 * correlated to an existing identity, on the embedded store. The identities are built first (untimed).
 * Its baseline: the same accounts' rows (id and attributes) inserted and read back by plain SQL in a
 * fresh embedded store, in the same run.
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
    const value = size / (r.aggregatedMs / 1000)
    const directory = (await listSourceRows(store.db)).find((s) => s.name === 'Directory')?.id
    const { details: bare, ...baseline } = await insertAndReadBaseline(
      value,
      await storedRows(store.db, 'accounts', directory),
    )
    return {
      name: 'aggregate',
      metric: 'accounts per second',
      value,
      unit: 'accounts/s',
      size,
      ...baseline,
      details: {
        ...bare,
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
