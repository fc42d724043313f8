import type { StoredSource } from '../../engine/queries/list-sources.js'
import type { SourceTestResult } from '../../engine/test-source.js'

/** A source as the store knows it, in the reference's shape (`/sources`: id, name). */
export function sourceJson(s: StoredSource): object {
  return { id: s.id, name: s.name, lastAggregatedAt: s.lastAggregatedAt }
}

/** The stable `source test --json` shape: whether the system answered, and how it failed if not. */
export function sourceTestJson(r: SourceTestResult): object {
  return r.ok
    ? { source: r.source, connector: r.connector, ok: true }
    : { source: r.source, connector: r.connector, ok: false, error: r.error }
}
