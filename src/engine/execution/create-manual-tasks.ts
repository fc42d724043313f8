import type { SourceConfig } from '../../domain/config/config-schemas.js'
import { recordOutcomes } from '../../store/activity-claims.js'
import { loadIdentityAttributesById } from '../../store/identities.js'
import { insertWorkItems } from '../../store/work-items.js'
import type { EngineContext } from '../engine-context.js'
import { taskSecretsSealer } from '../manual-tasks.js'
import { claimActivities } from './claim-activities.js'
import { describeTask } from './describe-task.js'
import { generateSecrets } from './generate-secrets.js'

// A person works at their own pace: the limit only bounds one wave's transaction, not the system's load.
const MANUAL_WAVE = 1000

/** A flat-file source's due activities become work items for its owner, and wait for them. */
export async function createManualTasks(
  ctx: EngineContext,
  source: SourceConfig,
  sourceId: string,
  leaseMs: number,
): Promise<number> {
  let created = 0
  const seal = taskSecretsSealer(ctx)
  for (;;) {
    const now = ctx.now()
    const { claimed } = await claimActivities(ctx, sourceId, MANUAL_WAVE, leaseMs, now)
    if (claimed.length === 0) return created
    const identities = await loadIdentityAttributesById(
      ctx.db,
      claimed.filter((a) => a.items.some((i) => i.secret)).map((a) => a.identityId),
    )
    const tasks: Parameters<typeof insertWorkItems>[1][number][] = []
    for (const a of claimed) {
      const secretItems = a.items.filter((i) => i.secret)
      // Kept for the owner until the task closes, encrypted with a key outside the database.
      const secrets =
        secretItems.length > 0
          ? seal(
              a.id,
              Object.fromEntries(
                await generateSecrets(ctx, source, identities.get(a.identityId) ?? {}, secretItems),
              ),
            )
          : null
      tasks.push({
        owner: source.owner?.name ?? source.owner?.id ?? null,
        sourceId,
        activityId: a.id,
        description: describeTask(a, source.name),
        remediationItems: a.items.map((i) => (i.secret ? { ...i, value: null } : i)),
        secrets,
      })
    }
    await ctx.db.transaction(async (tx) => {
      await insertWorkItems(tx, tasks)
      // Waiting for a person: not due again until the task is completed or rejected.
      await recordOutcomes(
        tx,
        claimed.map((a) => ({ id: a.id, status: 'PENDING', nextAttemptAt: 'never' })),
        now,
      )
    })
    created += claimed.length
  }
}
