import type { OpenEngine } from '../app/open-engine.js'
import type { AsyncTask } from '../domain/tasks/async-task.js'
import type { HealthInfo } from './provisio/health-routes.js'

/** What the routes work with: the engine (its configuration as now published) and the running services. */
export interface ApiContext {
  readonly engine: OpenEngine
  /** Puts a source aggregation on the durable queue (`load-accounts`); absent where no queue runs. */
  /** What `GET /health` answers (serve's schedules and counts); absent: just `ok`. */
  readonly health?: () => Promise<HealthInfo>
  readonly queueSourceAggregation?: (source: string, launcher: string) => Promise<AsyncTask>
}
