import {
  campaignTemplateSchema,
  nextRun,
  scheduleSchema,
  type CampaignTemplate,
  type CampaignTemplateSpec,
  type Schedule,
} from '../../domain/certifications/campaign-template.js'
import { InputError, NotFoundError } from '../../domain/errors.js'
import { parseInput } from '../../domain/parse-input.js'
import {
  countCampaignTemplates,
  deleteCampaignTemplate,
  findCampaignTemplate,
  insertCampaignTemplate,
  listCampaignTemplates,
  setCampaignTemplateSchedule,
  updateCampaignTemplate,
  type CampaignTemplateSortField,
} from '../../store/campaign-templates.js'
import { findIdentity } from '../../store/identities.js'
import type { Page } from '../../store/paging.js'
import type { EngineContext } from '../engine-context.js'
import { requireCampaignAdmin, type CampaignActor } from './campaign-actor.js'
import { parseCampaignSpec } from './create-campaign.js'

/** Reads a template as created or replaced, naming every wrong or misspelled field. */
export function parseCampaignTemplate(input: unknown): CampaignTemplateSpec {
  const spec = parseInput(campaignTemplateSchema, input, 'template')
  // The campaign's own rules (a SOURCE_OWNER names its sources, …), as at creation.
  parseCampaignSpec(spec.campaign, 'template.campaign')
  return spec
}

/** Reads a schedule, and checks that it ever runs. */
export function parseSchedule(input: unknown, now: Date): { schedule: Schedule; next: Date } {
  const schedule = parseInput(scheduleSchema, input, 'schedule')
  const next = nextRun(schedule, now)
  if (next === null) throw new InputError('schedule: it never runs again (expired, or its dates are past)')
  return { schedule, next }
}

/** Creates a template; its owner (who owns the campaigns it generates) is its creator. CERT_ADMIN or ORG_ADMIN. */
export async function createCampaignTemplate(
  ctx: EngineContext,
  actor: CampaignActor,
  input: unknown,
): Promise<CampaignTemplate> {
  requireCampaignAdmin(actor, 'creating a campaign template')
  const spec = parseCampaignTemplate(input)
  await checkOwner(ctx, spec)
  return insertCampaignTemplate(ctx.db, { ...spec, ownerId: actor.identityId }, ctx.now())
}

/** The campaign's owner must be someone: every campaign generated from the template would be refused. */
async function checkOwner(ctx: EngineContext, spec: CampaignTemplateSpec): Promise<void> {
  if (spec.campaign.ownerRef && !(await findIdentity(ctx.db, spec.campaign.ownerRef.id))) {
    throw new InputError(`template.campaign.ownerRef: no identity "${spec.campaign.ownerRef.id}"`)
  }
}

export async function campaignTemplateById(ctx: EngineContext, id: string): Promise<CampaignTemplate> {
  const found = await findCampaignTemplate(ctx.db, id)
  if (!found) throw new NotFoundError(`no campaign template with id "${id}"`)
  return found
}

export async function listCampaignTemplatesFor(
  ctx: EngineContext,
  actor: CampaignActor,
  filter: { names?: readonly string[]; ids?: readonly string[] },
  page?: Page<CampaignTemplateSortField>,
): Promise<{ templates: CampaignTemplate[]; total: number }> {
  requireCampaignAdmin(actor, 'listing campaign templates')
  const [templates, total] = await Promise.all([
    listCampaignTemplates(ctx.db, filter, page),
    countCampaignTemplates(ctx.db, filter),
  ])
  return { templates, total }
}

/** The template as the API shows and patches it (its spec). */
export function templateSpecOf(t: CampaignTemplate): Record<string, unknown> {
  return {
    name: t.name,
    description: t.description,
    deadlineDuration: t.deadlineDuration,
    campaign: t.campaign,
  }
}

/** Replaces a template's fields with a changed spec (a PATCH applied to templateSpecOf), checked whole. */
export async function changeCampaignTemplate(
  ctx: EngineContext,
  actor: CampaignActor,
  id: string,
  changed: unknown,
): Promise<CampaignTemplate> {
  requireCampaignAdmin(actor, 'changing a campaign template')
  await campaignTemplateById(ctx, id)
  const spec = parseCampaignTemplate(changed)
  await checkOwner(ctx, spec)
  await updateCampaignTemplate(ctx.db, id, spec, ctx.now())
  return campaignTemplateById(ctx, id)
}

export async function deleteCampaignTemplateById(
  ctx: EngineContext,
  actor: CampaignActor,
  id: string,
): Promise<void> {
  requireCampaignAdmin(actor, 'deleting a campaign template')
  if (!(await deleteCampaignTemplate(ctx.db, id))) {
    throw new NotFoundError(`no campaign template with id "${id}"`)
  }
}

/** Schedules a template (replacing its schedule), or unschedules it with null. */
export async function scheduleCampaignTemplate(
  ctx: EngineContext,
  actor: CampaignActor,
  id: string,
  input: unknown,
): Promise<CampaignTemplate> {
  requireCampaignAdmin(actor, 'scheduling a campaign template')
  await campaignTemplateById(ctx, id)
  const now = ctx.now()
  if (input === null) {
    await setCampaignTemplateSchedule(ctx.db, id, null, null, now)
  } else {
    const { schedule, next } = parseSchedule(input, now)
    await setCampaignTemplateSchedule(ctx.db, id, schedule, next, now)
  }
  return campaignTemplateById(ctx, id)
}
