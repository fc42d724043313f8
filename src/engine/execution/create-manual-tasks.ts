import type { SourceConfig } from '../../domain/config/config-schemas.js'
import type { AccountActivity } from '../../domain/execution/account-activity.js'
import { claimFollowers, recordOutcomes } from '../../store/activity-claims.js'
import { loadIdentitiesById, loadIdentityAttributesById } from '../../store/identities.js'
import { appendToWorkItem, insertWorkItems, type NewWorkItem } from '../../store/work-items.js'
import type { EngineContext } from '../engine-context.js'
import { taskSecretsSealer } from '../manual-tasks.js'
import { claimActivities } from './claim-activities.js'
import { describeTask } from './describe-task.js'
import { generateSecrets } from './generate-secrets.js'
import { remediationItemsOf, taskKeyOf } from './group-manual-tasks.js'

// A person works at their own pace: the limit only bounds one wave's transaction, not the system's load.
const MANUAL_WAVE = 1000

type Described = Pick<AccountActivity, 'operation' | 'nativeIdentity' | 'reasons'>

/**
 * A flat-file source's due activities become work items for its owner, and wait for them: one per
 * activity, except a certification sign-off's revocations, which are one task listing them all (those
 * claimed in a later wave of this pass, or waiting behind an earlier one on the same account, join the task
 * the first made). Returns how many activities now wait.
 */
export async function createManualTasks(
  ctx: EngineContext,
  source: SourceConfig,
  sourceId: string,
  leaseMs: number,
): Promise<number> {
  let created = 0
  const seal = taskSecretsSealer(ctx)
  const owner = source.owner?.name ?? source.owner?.id ?? null
  // The grouped tasks this pass made, by key: what they list so far, to describe them whole when they grow.
  const made = new Map<string, { id: string; described: Described[] }>()
  for (;;) {
    const now = ctx.now()
    let { claimed } = await claimActivities(ctx, sourceId, MANUAL_WAVE, leaseMs, now)
    if (claimed.length === 0) {
      // A sign-off's second revocation on an account waits behind its first: it joins the same task.
      claimed = await claimFollowers(ctx.db, {
        sourceId,
        workItemIds: [...made.values()].map((m) => m.id),
        now,
        leaseUntil: new Date(now.getTime() + leaseMs),
        accept: (a) => made.has(taskKeyOf(a) ?? ''),
      })
      if (claimed.length === 0) return created
    }
    const identities = await loadIdentityAttributesById(
      ctx.db,
      claimed.filter((a) => a.items.some((i) => i.secret)).map((a) => a.identityId),
    )
    const tasks: NewWorkItem[] = []
    const groups = new Map<string, AccountActivity[]>()
    for (const a of claimed) {
      const key = taskKeyOf(a)
      if (key !== null) {
        groups.set(key, [...(groups.get(key) ?? []), a])
        continue
      }
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
        owner,
        sourceId,
        activityId: a.id,
        activityIds: [a.id],
        description: describeTask([a], source.name),
        remediationItems: a.items.map((i) => (i.secret ? { ...i, value: null } : i)),
        secrets,
      })
    }
    const names = new Map(
      (
        await loadIdentitiesById(ctx.db, [...new Set([...groups.values()].flat().map((a) => a.identityId))])
      ).map((i) => [i.id, i.name]),
    )
    await ctx.db.transaction(async (tx) => {
      const newGroups: string[] = []
      for (const [key, activities] of groups) {
        const add = {
          activityIds: activities.map((a) => a.id),
          remediationItems: activities.flatMap((a) => remediationItemsOf(a, names.get(a.identityId))),
        }
        const earlier = made.get(key)
        const described = [...(earlier?.described ?? []), ...activities]
        if (earlier && (await appendToWorkItem(tx, earlier.id, add, describeTask(described, source.name)))) {
          earlier.described = described
          continue
        }
        newGroups.push(key)
        tasks.push({
          owner,
          sourceId,
          activityId: null,
          ...add,
          description: describeTask(activities, source.name),
          secrets: null,
        })
      }
      const inserted = await insertWorkItems(tx, tasks)
      for (const key of newGroups) {
        const first = groups.get(key)?.[0]?.id
        const task = inserted.find((t) => first !== undefined && t.activityIds.includes(first))
        if (task) made.set(key, { id: task.id, described: groups.get(key) ?? [] })
      }
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
