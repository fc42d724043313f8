import { type Campaign } from '../../domain/certifications/campaign.js'
import {
  addDuration,
  formatTemplateText,
  nextRun,
  type CampaignTemplate,
} from '../../domain/certifications/campaign-template.js'
import {
  claimCampaignTemplateRun,
  dueCampaignTemplates,
  recordCampaignTemplateError,
} from '../../store/campaign-templates.js'
import { ForbiddenError } from '../../domain/errors.js'
import { findIdentity } from '../../store/identities.js'
import { capabilitiesOf } from '../auth/identity-capabilities.js'
import type { EngineContext } from '../engine-context.js'
import { requireCampaignAdmin, type CampaignActor } from './campaign-actor.js'
import { campaignTemplateById } from './campaign-templates.js'
import { createCampaign } from './create-campaign.js'

/**
 * Generates a campaign from a template: its campaign with the date placeholders of name and description
 * filled in, the deadline `deadlineDuration` from now, owned by the template's owner; STAGED, as any new
 * campaign. `actor` null: the template's schedule.
 */
export async function generateFromTemplate(
  ctx: EngineContext,
  actor: CampaignActor | null,
  id: string,
): Promise<Campaign> {
  if (actor !== null) requireCampaignAdmin(actor, 'generating a campaign from a template')
  const template = await campaignTemplateById(ctx, id)
  return generate(ctx, template, actor)
}

async function generate(
  ctx: EngineContext,
  t: CampaignTemplate,
  actor: CampaignActor | null,
): Promise<Campaign> {
  const now = ctx.now()
  const spec = {
    ...t.campaign,
    name: formatTemplateText(t.campaign.name, now),
    ...(t.campaign.description ? { description: formatTemplateText(t.campaign.description, now) } : {}),
    ...(t.deadlineDuration ? { deadline: addDuration(now, t.deadlineDuration).toISOString() } : {}),
    ...(t.campaign.ownerRef === undefined && t.ownerId !== null ? { ownerRef: { id: t.ownerId } } : {}),
  }
  const as: CampaignActor = actor ?? (await scheduleActor(ctx, t))
  return (await createCampaign(ctx, as, spec, t.id)).campaign
}

/**
 * Whom a template's schedule acts as: its owner, with the capabilities the configuration grants them at
 * this run — an owner who lost CERT_ADMIN / ORG_ADMIN (or is gone) since making the template no longer
 * generates campaigns by it; the run fails, and the template's `lastError` says why. A template an API
 * client made has no owner to ask again: it acts with the authority checked when it was made.
 */
async function scheduleActor(ctx: EngineContext, t: CampaignTemplate): Promise<CampaignActor> {
  const clientId = `template:${t.id}`
  if (t.ownerId === null) return { identityId: null, clientId, capabilities: ['CERT_ADMIN'] }
  const owner = await findIdentity(ctx.db, t.ownerId)
  if (!owner) throw new ForbiddenError(`the template's owner ${t.ownerId} no longer exists`)
  const actor: CampaignActor = { identityId: owner.id, clientId, capabilities: capabilitiesOf(ctx, owner) }
  requireCampaignAdmin(actor, `the template's owner ${owner.name}: generating a campaign`)
  return actor
}

/**
 * Generates the campaigns of scheduled templates that are due (the campaign timer, once a minute): each
 * run is claimed first, so two processes never generate it twice, and a run missed while no process ran
 * is generated once at the next tick. A failure is kept on the template (`lastError`) and the schedule
 * goes on. Returns the campaigns generated.
 */
export async function runDueTemplates(ctx: EngineContext): Promise<number> {
  const now = ctx.now()
  let generated = 0
  for (const t of await dueCampaignTemplates(ctx.db, now)) {
    if (t.schedule === null || t.nextRun === null) continue
    let next: Date | null
    try {
      next = nextRun(t.schedule, now)
    } catch {
      next = null
    }
    if (!(await claimCampaignTemplateRun(ctx.db, t.id, t.nextRun, next, now))) continue
    try {
      await generate(ctx, t, null)
      await recordCampaignTemplateError(ctx.db, t.id, null)
      generated++
    } catch (err) {
      await recordCampaignTemplateError(ctx.db, t.id, err instanceof Error ? err.message : String(err))
    }
  }
  return generated
}
