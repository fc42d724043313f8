import { newId } from '../src/domain/new-id.js'
import type { EngineContext } from '../src/engine/engine-context.js'
import { executeDue } from '../src/engine/execution/execute-due.js'
import { countByStatus } from '../src/store/activities.js'
import { analyze } from '../src/store/db.js'
import { insertActivities } from '../src/store/activities.js'
import { ensureSource } from '../src/store/sources.js'
import type { BenchResult } from './bench-types.js'

/** Account `i`'s 5 attributes, as the SCIM and SQL benchmark sources name them. */
export interface BenchAccount {
  readonly uid: string
  readonly displayName: string
  readonly familyName: string
  readonly mail: string
  readonly employeeNumber: string
}

export function benchAccount(i: number): BenchAccount {
  const uid = `user${i}`
  return {
    uid,
    displayName: `User ${i}`,
    familyName: `${i}`,
    mail: `${uid}@example.com`,
    employeeNumber: String(100000 + i),
  }
}

/**
 * `size` Create requests for `sourceName`, as apply writes them: the attributes of `accountOf(i)` (by default
 * the 5 of benchAccount(i)) and
 * one membership of `group` (attribute `groups`), reasons ROLE.
 */
export async function insertCreateRequests(
  ctx: EngineContext,
  sourceName: string,
  size: number,
  group: string,
  accountOf: (i: number) => { readonly uid: string } = benchAccount,
): Promise<void> {
  const sourceId = await ensureSource(ctx.db, sourceName)
  const rows = Array.from({ length: size }, (_, i) => {
    const account = accountOf(i)
    return {
      identityId: newId(),
      sourceId,
      nativeIdentity: account.uid,
      operation: 'Create' as const,
      items: [
        ...Object.entries(account).map(([attribute, value]) => ({
          operation: 'Set' as const,
          attribute,
          value,
        })),
        { operation: 'Add' as const, attribute: 'groups', value: group },
      ],
      reasons: [{ kind: 'ROLE' as const, name: 'Bench' }],
      type: 'ROLE' as const,
    }
  })
  for (let i = 0; i < rows.length; i += 5000) await insertActivities(ctx.db, rows.slice(i, i + 5000))
  await analyze(ctx.db, 'activities')
}

/**
 * Executes the source's requests until none is left; returns the time it took (ms). Fails unless all
 * `size` requests are FINISHED, naming the first error met otherwise.
 */
export async function executeAll(ctx: EngineContext, sourceName: string, size: number): Promise<number> {
  const t0 = performance.now()
  while ((await executeDue(ctx, { sources: [sourceName] })).attempts > 0);
  const ms = performance.now() - t0
  const counts = await countByStatus(ctx.db)
  if ((counts['FINISHED'] ?? 0) !== size) {
    const [first] = await ctx.db.query<{ errors: string }>(
      `SELECT errors::text AS errors FROM account_requests WHERE status <> 'FINISHED' LIMIT 1`,
    )
    throw new Error(`expected ${size} finished, got ${JSON.stringify(counts)}; first error: ${first?.errors}`)
  }
  return ms
}

/** Runs `work(0)` … `work(size - 1)`, `concurrency` at a time: each worker takes the next index when done. */
export async function inParallel(
  size: number,
  concurrency: number,
  work: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0
  await Promise.all(
    Array.from({ length: Math.min(concurrency, size) }, async () => {
      while (next < size) await work(next++)
    }),
  )
}

/**
 * A provision benchmark's result: the engine's creates per second, against a direct client's (`direct`
 * names it) doing the same creates in the same run; the ratio is what the target is set on.
 */
export function provisionResult(r: {
  readonly name: string
  readonly metric: string
  readonly size: number
  readonly engineMs: number
  readonly directMs: number
  readonly direct: string
  readonly concurrency: number
  readonly details?: Readonly<Record<string, string | number>>
}): BenchResult {
  return {
    name: r.name,
    metric: r.metric,
    value: r.size / (r.engineMs / 1000),
    unit: 'accounts/s',
    size: r.size,
    baseline: Math.round(r.size / (r.directMs / 1000)),
    ratio: r.directMs / r.engineMs,
    details: {
      'engine (s)': (r.engineMs / 1000).toFixed(2),
      [`${r.direct} (s)`]: (r.directMs / 1000).toFixed(2),
      'per-source concurrency': r.concurrency,
      ...r.details,
      target: 'ratio ≥ 0.8',
    },
  }
}
