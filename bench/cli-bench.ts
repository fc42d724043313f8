import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { BRIEF_DB_BUFFERS } from '../src/cli/brief-command.js'
import type { BenchResult } from './bench-types.js'

const CLI = join(import.meta.dirname, '..', 'src', 'cli', 'main.js')
const BARE_OPEN = join(import.meta.dirname, 'bare-open.js')

/** What is timed: each a child process, as a user runs it. `db` says whether it opens the database. */
interface Subject {
  readonly label: string
  readonly args: (ws: string) => string[]
  readonly db: boolean
}

const COMMANDS: readonly Subject[] = [
  { label: '--help', args: () => [CLI, '--help'], db: false },
  { label: 'validate', args: (ws) => [CLI, '-w', ws, 'validate'], db: false },
  { label: 'identities', args: (ws) => [CLI, '-w', ws, 'identities'], db: true },
  { label: 'plan', args: (ws) => [CLI, '-w', ws, 'plan'], db: true },
]
const NODE: Subject = { label: 'node (empty script)', args: () => ['-e', ''], db: false }
const FLOOR: Subject = {
  label: 'bare open (PGlite defaults, select 1)',
  args: (ws) => [BARE_OPEN, join(ws, '.provisio', 'db')],
  db: true,
}
/**
 * The same open as a brief command's (src/cli/brief-command.ts: small buffers, Liftoff only): what a
 * command takes beyond this is the project's own code and queries, not PostgreSQL's start.
 */
const BRIEF_FLOOR: Subject = {
  label: `bare open (${BRIEF_DB_BUFFERS}, --liftoff-only)`,
  args: (ws) => ['--liftoff-only', BARE_OPEN, join(ws, '.provisio', 'db'), BRIEF_DB_BUFFERS],
  db: true,
}

/** The target of issue 10: a command that opens the database takes at most this much over a bare open. */
const TARGET_MS = 500

/**
 * `cli`: the demo workspace (`provisio init`, every source aggregated once); then `runs` rounds, each
 * running `--help`, `validate`, `identities`, `plan`, two bare opens of the same database (PGlite's
 * defaults; as a brief command opens it) and an empty node process once, in turn (so that the machine's
 * load affects all alike). Medians per subject; the metric is the largest overhead over the bare open with
 * PGlite's defaults of a command that opens the database.
 */
export async function cliBench(runs: number): Promise<BenchResult> {
  const ws = join(mkdtempSync(join(tmpdir(), 'provisio-bench-cli-')), 'demo')
  try {
    run(['init', ws])
    for (const source of ['HR', 'Badge System', 'Corporate Directory']) run(['-w', ws, 'aggregate', source])
    const subjects = [...COMMANDS, FLOOR, BRIEF_FLOOR, NODE]
    const times = new Map<Subject, number[]>(subjects.map((s) => [s, []]))
    const cpuTimes = new Map<Subject, number[]>(subjects.map((s) => [s, []]))
    // Wall-clock figures depend on what else the machine runs: its load is recorded with them.
    const loadBefore = loadavg()[0] as number
    for (let i = 0; i < runs; i++) {
      for (const s of subjects) {
        const { wall, cpu } = timed(s.args(ws))
        times.get(s)?.push(wall)
        if (cpu !== undefined) cpuTimes.get(s)?.push(cpu)
      }
    }
    const loadAverage = [loadBefore, loadavg()[0] as number].map((l) => Number(l.toFixed(1)))
    const median = (s: Subject): number => middle(times.get(s) ?? [])
    const cpuMedian = (s: Subject): number | undefined => {
      const values = cpuTimes.get(s) ?? []
      return values.length > 0 ? Math.round(middle(values)) : undefined
    }
    const floorCpu = cpuMedian(FLOOR)
    const floor = median(FLOOR)
    const briefFloor = median(BRIEF_FLOOR)
    const node = median(NODE)
    const commands = COMMANDS.map((s) => ({
      command: s.label,
      opensDatabase: s.db,
      medianMs: Math.round(median(s)),
      overFloorMs: Math.round(median(s) - floor),
      ratioToFloor: Number((median(s) / floor).toFixed(2)),
      overBriefFloorMs: Math.round(median(s) - briefFloor),
      overNodeMs: Math.round(median(s) - node),
      cpuMs: cpuMedian(s),
      cpuOverFloorMs: floorCpu === undefined ? undefined : (cpuMedian(s) as number) - floorCpu,
    }))
    const worst = Math.max(...commands.filter((c) => c.opensDatabase).map((c) => c.overFloorMs))
    const ms = (v: number): string => `${Math.round(v).toLocaleString('en-US')} ms`
    return {
      name: 'cli',
      metric: 'largest overhead over a bare open of the database (identities, plan)',
      value: worst,
      unit: 'ms',
      size: runs,
      baseline: Math.round(floor),
      figures: {
        runs,
        loadAverage,
        floorMs: Math.round(floor),
        floorCpuMs: floorCpu,
        briefFloorMs: Math.round(briefFloor),
        briefFloorCpuMs: cpuMedian(BRIEF_FLOOR),
        nodeMs: Math.round(node),
        nodeCpuMs: cpuMedian(NODE),
        commands,
      },
      details: {
        runs: `${runs} of each, interleaved; medians`,
        'load average (1 min) before, after': loadAverage.join(', '),
        [FLOOR.label]: `${ms(floor)}${floorCpu === undefined ? '' : ` (CPU ${ms(floorCpu)})`}`,
        [BRIEF_FLOOR.label]: `${ms(briefFloor)} (CPU ${ms(cpuMedian(BRIEF_FLOOR) ?? 0)})`,
        [NODE.label]: ms(node),
        ...Object.fromEntries(
          commands.map((c) => [
            c.command,
            `${ms(c.medianMs)} — over the bare open ${signed(c.overFloorMs)} (×${c.ratioToFloor}), ` +
              `over the brief one ${signed(c.overBriefFloorMs)}, over node ${signed(c.overNodeMs)}` +
              (c.cpuMs === undefined
                ? ''
                : `; CPU ${ms(c.cpuMs)}, over the bare open's ${signed(c.cpuOverFloorMs ?? 0)}`),
          ]),
        ),
        target: `≤ ${TARGET_MS} ms over the bare open`,
      },
    }
  } finally {
    rmSync(join(ws, '..'), { recursive: true, force: true })
  }
}

function run(args: string[]): void {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: cliEnv() })
  if (r.status !== 0) throw new Error(`provisio ${args.join(' ')} exited ${r.status}: ${r.stderr}`)
}

/** GNU time reports a child's CPU time; wall-clock time alone says more about the machine's load. */
const GNU_TIME = '/usr/bin/time'
const CPU_MARK = 'provisio-bench-cpu'

/** Wall-clock milliseconds of one child process, which must succeed, and its CPU milliseconds (user + system). */
function timed(args: string[]): { wall: number; cpu: number | undefined } {
  const withCpu = existsSync(GNU_TIME)
  const [command, argv] = withCpu
    ? [GNU_TIME, ['-f', `${CPU_MARK} %U %S`, process.execPath, ...args]]
    : [process.execPath, args]
  const start = process.hrtime.bigint()
  const r = spawnSync(command, argv, { encoding: 'utf8', env: cliEnv() })
  const wall = Number(process.hrtime.bigint() - start) / 1e6
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`)
  const m = new RegExp(`${CPU_MARK} ([\\d.]+) ([\\d.]+)`).exec(r.stderr)
  return { wall, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : undefined }
}

/** The embedded database, whatever the caller's environment says. */
function cliEnv(): NodeJS.ProcessEnv {
  return { ...process.env, DATABASE_URL: '' }
}

function middle(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

function signed(ms: number): string {
  return `${ms >= 0 ? '+' : '−'}${Math.abs(ms).toLocaleString('en-US')} ms`
}
