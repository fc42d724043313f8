import type { ConfigVersion, ConfigVersionSummary } from '../../engine/config/config-history.js'
import type { ConfigPreview } from '../../engine/config/preview-config-change.js'
import { planItemJson } from './plan-json.js'

/** A published configuration version without its objects (`config history --json`'s rows). */
export function configVersionSummaryJson(v: ConfigVersionSummary): object {
  return {
    number: v.number,
    hash: v.hash,
    author: v.author,
    created: v.created.toISOString(),
    counts: v.counts,
  }
}

/**
 * A published version with its objects: the workspace settings and every validated object (defaults filled
 * in, ids assigned), as the version stores them. Secrets are `${env:…}`/`${file:…}` references there.
 */
export function configVersionJson(v: ConfigVersion): object {
  return { ...configVersionSummaryJson(v), objects: v.objects }
}

/** What a candidate change would do: the objects it changes and every identity's plan difference. */
export function configPreviewJson(p: ConfigPreview): object {
  return {
    objects: p.objects,
    identities: p.identities.map((d) => ({
      identity: d.identity,
      added: d.added.map(planItemJson),
      removed: d.removed.map(planItemJson),
      changed: d.changed.map((c) => ({ before: planItemJson(c.before), after: planItemJson(c.after) })),
    })),
    errors: p.errors,
    summary: {
      identitiesChanged: p.identities.length,
      added: p.identities.reduce((n, d) => n + d.added.length, 0),
      removed: p.identities.reduce((n, d) => n + d.removed.length, 0),
      changed: p.identities.reduce((n, d) => n + d.changed.length, 0),
      current: p.summary.current,
      candidate: p.summary.candidate,
    },
    warnings: p.warnings,
  }
}
