import type { OpenEngine } from '../app/open-engine.js'
import type { AsyncTask } from '../domain/tasks/async-task.js'
import type { HealthInfo } from './provisio/health-routes.js'

/** What the routes work with: the engine (its configuration as now published) and the running services. */
export interface ApiContext {
  readonly engine: OpenEngine
  /** Puts a source aggregation on the durable queue (`load-accounts`); absent where no queue runs. */
  /** What `GET /health` answers (serve's schedules and counts); absent: just `ok`. */
  readonly health?: () => Promise<HealthInfo>
  /** Runs a CLI command in this process (`POST /provisio/v1/cli`); absent outside `serve`. */
  readonly runCli?: (argv: readonly string[]) => Promise<CliOutcome>
  readonly queueSourceAggregation?: (source: string, launcher: string) => Promise<AsyncTask>
}

/** What a CLI command run through the API printed, and how it ended. */
export interface CliOutcome {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
}
