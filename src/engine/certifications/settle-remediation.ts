import { listActivities } from '../../store/activities.js'
import {
  countCertificationItems,
  listCertificationItems,
  recordRemediation,
} from '../../store/certification-items.js'
import { findCampaign, moveCampaign } from '../../store/campaigns.js'
import type { EngineContext } from '../engine-context.js'

/**
 * Follows a campaign's pending remediations: an item whose activities all finished is DONE, one with a
 * failed activity FAILED with the connector's message (visible on the campaign) — or, done by hand, with
 * what the next aggregation still shows (UNVERIFIABLE: the owner's task said done, the source disagrees) —
 * the rest stay PENDING (retrying, or a manual task not done yet). A COMPLETING campaign with nothing pending is COMPLETED.
 * Returns how many items are still pending.
 */
export async function settleRemediation(ctx: EngineContext, campaignId: string): Promise<number> {
  const pending = await listCertificationItems(ctx.db, {
    campaignIds: [campaignId],
    remediations: ['PENDING'],
  })
  const withActivities = pending.filter((i) => i.activityIds.length > 0)
  const activities = new Map(
    (await listActivities(ctx.db, { ids: [...new Set(withActivities.flatMap((i) => i.activityIds))] })).map(
      (a) => [a.id, a],
    ),
  )
  const results: Parameters<typeof recordRemediation>[1][number][] = []
  let still = pending.length - withActivities.length
  for (const item of withActivities) {
    const mine = item.activityIds.flatMap((id) => activities.get(id) ?? [])
    const failed = mine.find((a) => a.status === 'FAILED' || a.status === 'UNVERIFIABLE')
    if (failed) {
      const message = failed.errors.at(-1)?.message ?? 'failed'
      results.push({
        id: item.id,
        remediation: 'FAILED',
        detail: `${failed.operation} of "${failed.nativeIdentity ?? 'a new account'}": ${message}`,
      })
    } else if (mine.length > 0 && mine.every((a) => DONE.has(a.status))) {
      // What remediation said when it started (a role composition item: which version changed the role) stays.
      results.push({ id: item.id, remediation: 'DONE', detail: item.remediationDetail })
    } else still++
  }
  await recordRemediation(ctx.db, results)
  const campaign = await findCampaign(ctx.db, campaignId)
  // Not while a certification's remediation is still being written (signed at the same time as the last
  // one), or was stopped: its items have no outcome yet.
  if (
    campaign?.status === 'COMPLETING' &&
    still === 0 &&
    (await countCertificationItems(ctx.db, { campaignIds: [campaignId], unremediated: true })) === 0
  ) {
    await moveCampaign(ctx.db, campaignId, 'COMPLETING', 'COMPLETED', ctx.now(), { completed: true })
  }
  return still
}

// Finished, or no longer needed (withdrawn because the account changed meanwhile).
const DONE = new Set(['FINISHED', 'CANCELED'])
