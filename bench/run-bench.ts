import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { accessRequestBench } from './access-request-bench.js'
import { aggregateBench } from './aggregate-bench.js'
import { apiGetBench, apiListBench } from './api-bench.js'
import { campaignBench } from './campaign.js'
import { BenchSkipped, type Bench, type BenchResult } from './bench-types.js'
import { cliBench } from './cli-bench.js'
import { executeBench } from './execute-bench.js'
import { executeLatencyBench } from './execute-latency-bench.js'
import { ldapAggregateBench, ldapProvisionBench } from './ldap-bench.js'
import { planAssignmentsBench, planBench } from './plan-bench.js'
import { processBench } from './process-bench.js'
import { refreshBench } from './refresh-bench.js'
import { scimProvisionBench } from './scim-bench.js'
import { sqlProvisionBench } from './sql-bench.js'

const BENCHES: Record<string, { run: Bench; defaultSize: number }> = {
  aggregate: { run: aggregateBench, defaultSize: 100_000 },
  process: { run: processBench, defaultSize: 100_000 },
  plan: { run: planBench, defaultSize: 100_000 },
  'plan-assignments': { run: planAssignmentsBench, defaultSize: 100_000 },
  'refresh-incremental': { run: refreshBench, defaultSize: 100_000 },
  execute: { run: executeBench, defaultSize: 20_000 },
  'execute-latency': { run: executeLatencyBench, defaultSize: 4_000 },
  'ldap-provision': { run: ldapProvisionBench, defaultSize: 10_000 },
  'ldap-aggregate': { run: ldapAggregateBench, defaultSize: 10_000 },
  'scim-provision': { run: scimProvisionBench, defaultSize: 10_000 },
  'sql-provision': { run: sqlProvisionBench, defaultSize: 10_000 },
  'api-list': { run: apiListBench, defaultSize: 100_000 },
  'api-get': { run: apiGetBench, defaultSize: 100_000 },
  'access-requests': { run: accessRequestBench, defaultSize: 10_000 },
  // Its size is the number of identities; 10,000 revocations at 100,000 (a tenth of the identities below).
  campaign: { run: campaignBench, defaultSize: 100_000 },
  // Its size is the number of runs of each command.
  cli: { run: cliBench, defaultSize: 7 },
}

/** `npm run bench -- NAME [--size N]`: runs one benchmark (or all), prints a table, writes JSON. */
async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const names: string[] = []
  let size: number | undefined
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--size') size = Number(args[++i])
    else names.push(args[i] as string)
  }
  if (size !== undefined && !(size > 0)) throw new Error('--size needs a positive number')
  const selected = names.length > 0 ? names : Object.keys(BENCHES)
  for (const name of selected) {
    const bench = BENCHES[name]
    if (!bench) {
      process.stderr.write(`unknown benchmark "${name}"; known: ${Object.keys(BENCHES).join(', ')}\n`)
      process.exit(2)
    }
    let result: BenchResult
    try {
      result = await bench.run(size ?? bench.defaultSize)
    } catch (err) {
      if (!(err instanceof BenchSkipped)) throw err
      process.stdout.write(`benchmark ${name} skipped: ${err.message}\n\n`)
      continue
    }
    print(result)
    const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'results', `${name}.json`)
    mkdirSync(dirname(out), { recursive: true })
    const { details: _details, ...json } = result
    writeFileSync(out, JSON.stringify(json, null, 2) + '\n')
    process.stdout.write(`wrote ${out}\n\n`)
  }
}

function print(r: BenchResult): void {
  const rows: [string, string][] = [
    ['benchmark', r.name],
    ['size', r.size.toLocaleString('en-US')],
    [r.metric, `${Math.round(r.value).toLocaleString('en-US')} ${r.unit}`],
    ...(r.baseline !== undefined
      ? ([
          [
            'baseline',
            r.baselineMetric !== undefined
              ? `${r.baseline.toLocaleString('en-US')} — ${r.baselineMetric}`
              : `${r.baseline.toLocaleString('en-US')} ${r.unit}`,
          ],
        ] as [string, string][])
      : []),
    ...(r.ratio !== undefined ? ([['ratio', r.ratio.toFixed(3)]] as [string, string][]) : []),
    ...Object.entries(r.details ?? {}).map(([k, v]): [string, string] => [k, String(v)]),
  ]
  const w = Math.max(...rows.map(([k]) => k.length))
  process.stdout.write(rows.map(([k, v]) => `${k.padEnd(w)}  ${v}`).join('\n') + '\n')
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`)
  process.exit(1)
})
