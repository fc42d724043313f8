/** One benchmark's outcome, written to bench/results/NAME.json. */
export interface BenchResult {
  readonly name: string
  readonly metric: string
  readonly value: number
  readonly unit: string
  readonly size: number
  /** The physical baseline of the same work measured in the same run (see `againstBaseline`). */
  readonly baseline?: number
  /** `value` over `baseline`: the figure that carries from one machine to another. */
  readonly ratio?: number
  /** What the baseline measured, and its unit (e.g. "bare insert + read of the same rows, rows/s"). */
  readonly baselineMetric?: string
  /** Structured figures written to the JSON as they are (e.g. one entry per command). */
  readonly figures?: Readonly<Record<string, unknown>>
  /** Extra rows for the printed table (phase → figure). */
  readonly details?: Readonly<Record<string, string | number>>
}

export type Bench = (size: number) => Promise<BenchResult>

/** Thrown by a benchmark that cannot run here (e.g. no server to run against): reported, not a failure. */
export class BenchSkipped extends Error {
  override readonly name = 'BenchSkipped'
}

/**
 * A benchmark's rate against the rate of its physical baseline (both per second, higher is faster):
 * the baseline rounded to a whole number, the ratio to three decimals. A machine twice as fast doubles
 * both, so the ratio is what a target is set on.
 */
export function againstBaseline(measured: number, baseline: number): { baseline: number; ratio: number } {
  if (!(Number.isFinite(measured) && measured >= 0)) {
    throw new Error(`a measured rate must be a finite number ≥ 0, got ${measured}`)
  }
  if (!(Number.isFinite(baseline) && baseline > 0)) {
    throw new Error(`a baseline rate must be a finite number > 0, got ${baseline}`)
  }
  return { baseline: Math.round(baseline), ratio: Math.round((measured / baseline) * 1000) / 1000 }
}
