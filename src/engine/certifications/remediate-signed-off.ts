import { listUnremediatedItems } from '../../store/certification-items.js'
import { findCampaign } from '../../store/campaigns.js'
import { markCertificationsRemediated, queuedCertifications } from '../../store/remediation-queue.js'
import type { EngineContext } from '../engine-context.js'
import { remediateItems, type RemediationCounts } from './remediate-items.js'
import { remediateRoleComposition } from './remediate-role-composition.js'

/** What a remediation run did: the certifications it took off the queue, and their items by outcome. */
export interface RemediationRun {
  readonly campaigns: number
  readonly items: number
  readonly counts: RemediationCounts
}

/**
 * A role composition's remediation is not one transaction (it rewrites the role's file): a queued one is
 * taken by another process only this long after its sign-off, which remediates it itself meanwhile.
 */
const ROLE_COMPOSITION_GRACE_MS = 5 * 60_000

/**
 * The remediation job: carries out the decisions of every certification queued by a sign-off (of the
 * campaigns given, else of all), a campaign's at once — one planner pass over all their identities — as
 * the campaign's type means them: an identity's access (remediateItems), or a role's definition
 * (remediateRoleComposition). Run right after a sign-off that waits for it, by `serve`'s campaign timer
 * every minute, and after a sign-off through `serve` that did not wait. Two runs at once remediate each
 * certification once (remediateItems locks what it takes). `signedNow` are certifications the caller has
 * just signed off: a role composition's are taken at once rather than after the grace.
 */
export async function remediateSignedOff(
  ctx: EngineContext,
  options: { campaignIds?: readonly string[]; signedNow?: readonly string[] } = {},
): Promise<RemediationRun> {
  const now = ctx.now()
  const byCampaign = new Map<string, { id: string; signed: string }[]>()
  for (const c of await queuedCertifications(ctx.db, options.campaignIds)) {
    const list = byCampaign.get(c.campaignId)
    if (list) list.push(c)
    else byCampaign.set(c.campaignId, [c])
  }
  const signedNow = new Set(options.signedNow ?? [])
  const counts: RemediationCounts = {}
  let campaigns = 0
  for (const [campaignId, queued] of byCampaign) {
    const campaign = await findCampaign(ctx.db, campaignId)
    if (!campaign) continue
    let done: RemediationCounts
    if (campaign.type === 'ROLE_COMPOSITION') {
      const ids = queued
        .filter(
          (c) => signedNow.has(c.id) || now.getTime() - Date.parse(c.signed) >= ROLE_COMPOSITION_GRACE_MS,
        )
        .map((c) => c.id)
      if (ids.length === 0) continue
      const items = await listUnremediatedItems(ctx.db, ids)
      done = await remediateRoleComposition(ctx, campaign, items)
      // Not the certifications whose change could not start: they stay queued.
      await markCertificationsRemediated(ctx.db, ids, now, { whenDone: true })
    } else {
      done = await remediateItems(
        ctx,
        campaign,
        queued.map((c) => c.id),
      )
    }
    campaigns++
    for (const [k, n] of Object.entries(done) as [keyof RemediationCounts, number][]) {
      counts[k] = (counts[k] ?? 0) + n
    }
  }
  const items = Object.values(counts).reduce((a, b) => a + b, 0)
  return { campaigns, items, counts }
}
