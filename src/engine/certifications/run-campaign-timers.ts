import type { Campaign } from '../../domain/certifications/campaign.js'
import { listCampaigns, moveCampaign } from '../../store/campaigns.js'
import { countCertificationItems, listCertificationItems } from '../../store/certification-items.js'
import {
  listCertifications,
  markCertificationReminded,
  reassignCertification,
  type Certification,
} from '../../store/certifications.js'
import { loadIdentitiesById } from '../../store/identities.js'
import type { EngineContext } from '../engine-context.js'
import { notify } from '../requests/request-notifications.js'
import { certificationMessage } from './campaign-notifications.js'
import { completeCampaign } from './complete-campaign.js'
import { remediateItems } from './remediate-items.js'
import { settleRemediation } from './settle-remediation.js'

export interface CampaignTimerRun {
  readonly reminded: number
  readonly escalated: number
  readonly autoCompleted: number
  /** Items whose remediation was started again (a process stopped between sign-off and provisioning). */
  readonly recovered: number
  readonly completed: number
}

const DAY = 86_400_000
/** Reminders before the deadline when a campaign names none: a week and a day before. */
const DEFAULT_REMINDER_DAYS = [7, 1]
/** Remediation not started this long after sign-off was interrupted: it is started again. */
const STRANDED_AFTER_MS = 5 * 60_000

/**
 * What the clock makes due for campaigns, at the context's time (run with the access requests' timers):
 * - reminders to reviewers with work left, on the campaign's `reminderDays` before its deadline;
 * - past the deadline, a campaign with `autoCompleteAction` is completed with it; another one's open
 *   certifications are escalated once to the reviewer's manager (else the campaign's owner), who is told;
 * - signed-off items whose remediation did not start are remediated; COMPLETING campaigns settle.
 * Each change is guarded in the store, so two runs at once do each thing once.
 */
export async function runCampaignTimers(ctx: EngineContext): Promise<CampaignTimerRun> {
  const now = ctx.now()
  let reminded = 0
  let escalated = 0
  let autoCompleted = 0
  let recovered = 0
  let completed = 0
  for (const campaign of await listCampaigns(ctx.db, { statuses: ['ACTIVE'] })) {
    const open = await listCertifications(ctx.db, { campaignIds: [campaign.id], signed: false })
    if (open.length === 0) {
      // Its last two reviewers signed off at once: neither saw the other's.
      await moveCampaign(ctx.db, campaign.id, 'ACTIVE', 'COMPLETING', now, { signedOff: true })
      continue
    }
    if (campaign.deadline === null) continue
    const deadline = Date.parse(campaign.deadline)
    if (now.getTime() >= deadline) {
      if (campaign.spec.autoCompleteAction) {
        await completeCampaign(ctx, null, campaign.id, campaign.spec.autoCompleteAction)
        autoCompleted++
      } else {
        escalated += await escalate(ctx, campaign, open, now)
      }
      continue
    }
    const days = [...(campaign.spec.reminderDays ?? DEFAULT_REMINDER_DAYS)].sort((a, b) => b - a)
    const due = days.filter((d) => now.getTime() >= deadline - d * DAY).length
    if (due === 0 || campaign.spec.emailNotificationEnabled === false) continue
    for (const cert of open) {
      if (cert.reminders >= due) continue
      await ctx.db.transaction(async (tx) => {
        if (!(await markCertificationReminded(tx, cert.id, due, now))) return
        await notify(ctx, tx, [
          certificationMessage('CERTIFICATION_REMINDER', campaign, cert, {
            itemsLeft: cert.itemsTotal - cert.itemsDecided,
          }),
        ])
        reminded++
      })
    }
  }
  // Signed-off certifications are remediated while others are still reviewed: both kinds settle.
  for (const campaign of await listCampaigns(ctx.db, { statuses: ['ACTIVE', 'COMPLETING'] })) {
    recovered += await recoverRemediation(ctx, campaign, now)
    const pending = await settleRemediation(ctx, campaign.id)
    if (campaign.status === 'COMPLETING' && pending === 0) completed++
  }
  return { reminded, escalated, autoCompleted, recovered, completed }
}

/** Open certifications of a past-due campaign go, once, to the reviewer's manager (else the owner). */
async function escalate(
  ctx: EngineContext,
  campaign: Campaign,
  open: readonly Certification[],
  now: Date,
): Promise<number> {
  const reviewers = new Map(
    (await loadIdentitiesById(ctx.db, [...new Set(open.map((c) => c.reviewerId))])).map((p) => [p.id, p]),
  )
  let n = 0
  for (const cert of open) {
    if (cert.escalated !== null) continue
    const candidates = [reviewers.get(cert.reviewerId)?.managerId ?? null, campaign.ownerId]
    let to: string | null = null
    for (const c of candidates) {
      if (c === null || c === cert.reviewerId) continue
      // Nobody gets their own access to review.
      if ((await countCertificationItems(ctx.db, { certificationIds: [cert.id], identityIds: [c] })) > 0) {
        continue
      }
      to = c
      break
    }
    if (to === null) continue
    const target = to
    await ctx.db.transaction(async (tx) => {
      const comment = `escalated: not signed off by the deadline (${campaign.deadline ?? ''})`
      if (!(await reassignCertification(tx, cert.id, target, comment, null, now, 'ESCALATED'))) return
      if (campaign.spec.emailNotificationEnabled !== false) {
        await notify(ctx, tx, [
          certificationMessage(
            'CERTIFICATION_ESCALATED',
            campaign,
            cert,
            { reviewer: cert.reviewerId },
            target,
          ),
        ])
      }
      n++
    })
  }
  return n
}

/** Signed-off items whose remediation never started (or could not be started): remediated again. */
async function recoverRemediation(ctx: EngineContext, campaign: Campaign, now: Date): Promise<number> {
  const signed = (await listCertifications(ctx.db, { campaignIds: [campaign.id], signed: true })).filter(
    (c) => now.getTime() - Date.parse(c.signed as string) >= STRANDED_AFTER_MS,
  )
  if (signed.length === 0) return 0
  const items = await listCertificationItems(ctx.db, {
    certificationIds: signed.map((c) => c.id),
    unremediated: true,
  })
  if (items.length === 0) return 0
  await remediateItems(ctx, campaign, items)
  return items.length
}

/** One line for serve's log; empty when nothing was due. */
export function campaignTimerSummary(r: CampaignTimerRun): string {
  const parts = [
    r.reminded > 0 ? `${r.reminded} reviewers reminded` : '',
    r.escalated > 0 ? `${r.escalated} certifications escalated` : '',
    r.autoCompleted > 0 ? `${r.autoCompleted} past-due campaigns completed` : '',
    r.recovered > 0 ? `${r.recovered} revoked items remediated again` : '',
    r.completed > 0 ? `${r.completed} campaigns completed` : '',
  ]
  return parts.filter(Boolean).join(', ')
}
