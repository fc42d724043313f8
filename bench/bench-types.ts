/** One benchmark's outcome, written to bench/results/NAME.json. */
export interface BenchResult {
  readonly name: string
  readonly metric: string
  readonly value: number
  readonly unit: string
  readonly size: number
  readonly baseline?: number
  readonly ratio?: number
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
