import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Papa from 'papaparse'
import { aggregateSource } from '../src/engine/aggregate-source.js'
import { processIdentities, type ProcessResult } from '../src/engine/process-identities.js'
import type { BenchResult } from './bench-types.js'
import { planWorkspace, simulateExecution } from './plan-workspace.js'

const DEPARTMENTS = ['Engineering', 'Sales', 'Finance', 'Human Resources', 'Operations', 'Marketing']

/**
 * `refresh-incremental`: the plan benchmark's workspace with `provisioning: automatic`, in the steady
 * state (everyone processed, planned, and their access executed). Measures a full refresh (process and
 * plan everyone), then changes 1% of the people in HR (department and title: movers), aggregates HR, and
 * measures the incremental refresh that follows (process and plan the changed identities, apply).
 */
export async function refreshBench(size: number): Promise<BenchResult> {
  const { store, ctx, dir } = await planWorkspace(size, 'automatic')
  try {
    await simulateExecution(ctx, dir)
    const full = await processIdentities(ctx, { full: true })

    const file = join(dir, 'data/hr.csv')
    const { data, meta } = Papa.parse<Record<string, string>>(readFileSync(file, 'utf8'), {
      header: true,
      skipEmptyLines: true,
    })
    const changes = Math.max(1, Math.round(size / 100))
    const step = Math.floor(data.length / changes)
    for (let i = 0; i < changes; i++) {
      const row = data[i * step] as Record<string, string>
      const next = DEPARTMENTS[
        (DEPARTMENTS.indexOf(row['department'] ?? '') + 1) % DEPARTMENTS.length
      ] as string
      row['department'] = next
      row['title'] = `Senior ${next} Specialist`
    }
    writeFileSync(file, Papa.unparse(data, { columns: meta.fields ?? [] }) + '\n')
    const aggregated = await aggregateSource(ctx, 'HR')
    const incremental = await processIdentities(ctx)

    const ratio = incremental.durationMs / full.durationMs
    const describe = (r: ProcessResult): string =>
      `${(r.durationMs / 1000).toFixed(2)} s — processed ${r.identities.created + r.identities.updated + r.identities.unchanged}, ` +
      `updated ${r.identities.updated}; planned ${r.plan?.identities ?? 0}, account requests ${r.plan?.accountRequests ?? 0}`
    return {
      name: 'refresh-incremental',
      metric: 'incremental refresh after 1% changed, as a share of a full refresh',
      value: ratio * 100,
      unit: '%',
      size,
      details: {
        'people changed in HR': changes,
        'HR aggregation (s)': (aggregated.durationMs / 1000).toFixed(2),
        'full refresh': describe(full),
        'incremental refresh': describe(incremental),
        'incremental phases (ms)': Object.entries(incremental.phases)
          .map(([k, v]) => `${k} ${Math.round(v)}`)
          .join(', '),
        ratio: ratio.toFixed(4),
        target: '≤ 5% of the full refresh',
      },
    }
  } finally {
    await store.close()
  }
}
