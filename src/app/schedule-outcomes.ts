/** How the latest run of a schedule went, as `/health` reports it. */
export interface ScheduleOutcome {
  readonly schedule: string
  readonly at: string
  readonly ok: boolean
  /** The failure's message, with the workspace folder left out (the endpoint is unauthenticated). */
  readonly error?: string
}

/**
 * The outcome of each schedule's latest run in this process, for `/health`: a failed scheduled run must
 * be visible to whoever watches the endpoint, not only in the log.
 */
export class ScheduleOutcomes {
  readonly #latest = new Map<string, ScheduleOutcome>()
  #lastFailure: ScheduleOutcome | undefined
  readonly #workspaceDir: string

  constructor(workspaceDir: string) {
    this.#workspaceDir = workspaceDir.replace(/[\\/]+$/, '')
  }

  succeeded(schedule: string, at: Date): void {
    this.#latest.set(schedule, { schedule, at: at.toISOString(), ok: true })
  }

  failed(schedule: string, at: Date, err: unknown): void {
    const message = err instanceof Error ? err.message : String(err)
    const outcome = { schedule, at: at.toISOString(), ok: false, error: this.#withoutWorkspace(message) }
    this.#latest.set(schedule, outcome)
    this.#lastFailure = outcome
  }

  /** Schedules whose latest run failed. */
  failing(): ScheduleOutcome[] {
    return [...this.#latest.values()].filter((o) => !o.ok)
  }

  /** The most recent failed run, even when its schedule has succeeded since. */
  lastFailure(): ScheduleOutcome | undefined {
    return this.#lastFailure
  }

  #withoutWorkspace(message: string): string {
    if (this.#workspaceDir === '') return message
    return message
      .split(this.#workspaceDir + '/')
      .join('')
      .split(this.#workspaceDir)
      .join('.')
  }
}
