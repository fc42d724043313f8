import { aggregateSource } from '../src/engine/aggregate-source.js'
import { processIdentities } from '../src/engine/process-identities.js'
import { insertAndReadBaseline, storedRows } from './bare-store.js'
import type { BenchResult } from './bench-types.js'
import { benchWorkspace } from './bench-workspace.js'

/**
 * `process`: identities built through the demo identity profile — 15 transform-mapped attributes
 * (accountAttribute, concat, lower, replaceAll, decomposeDiacriticalMarks, static Velocity, lookup
 * through reference, iso3166, e164phone, dateFormat, firstValid/dateCompare in the lifecycle state,
 * getReferenceIdentityAttribute) — from a stored authoritative source, on the embedded store. Its
 * baseline: the same identities' rows (id and attributes) inserted and read back by plain SQL in a fresh
 * embedded store, in the same run.
 */
export async function processBench(size: number): Promise<BenchResult> {
  const { store, ctx, config } = await benchWorkspace(size)
  try {
    await aggregateSource(ctx, 'HR')
    const mappings = config.identityProfiles[0]?.value.identityAttributeConfig.attributeTransforms.length ?? 0
    const created = await processIdentities(ctx)
    if (created.identities.created !== size) {
      throw new Error(`expected ${size} identities, got ${JSON.stringify(created)}`)
    }
    const full = await processIdentities(ctx, { full: true })
    const incremental = await processIdentities(ctx)
    const value = size / (created.durationMs / 1000)
    const { details: bare, ...baseline } = await insertAndReadBaseline(
      value,
      await storedRows(store.db, 'identities'),
    )
    return {
      name: 'process',
      metric: 'identities per second',
      value,
      unit: 'identities/s',
      size,
      ...baseline,
      details: {
        ...bare,
        'attribute mappings': mappings,
        'create (s)': (created.durationMs / 1000).toFixed(2),
        'full refresh (s)': (full.durationMs / 1000).toFixed(2),
        'full refresh (identities/s)': Math.round(size / (full.durationMs / 1000)),
        'incremental, nothing changed (s)': (incremental.durationMs / 1000).toFixed(2),
        ...Object.fromEntries(
          Object.entries(created.phases).map(([k, v]) => [`  create phase ${k} (s)`, (v / 1000).toFixed(2)]),
        ),
        target: '10,000 identities/s',
      },
    }
  } finally {
    await store.close()
  }
}
