import { campaignMove, campaignSpecSchema, type Campaign } from '../../domain/certifications/campaign.js'
import { ConflictError, InputError } from '../../domain/errors.js'
import { parseInput } from '../../domain/parse-input.js'
import { deleteCampaigns, findCampaign, insertCampaign, moveCampaign } from '../../store/campaigns.js'
import { findIdentity } from '../../store/identities.js'
import type { EngineContext } from '../engine-context.js'
import { requireCampaignAdmin, type CampaignActor } from './campaign-actor.js'
import { deletedWhileGenerated, generateCampaign, type Generated } from './generate-campaign.js'

/** Each type's own info: the others' would be ignored, so they are refused. */
const INFO_OF_TYPE = {
  sourceOwnerCampaignInfo: 'SOURCE_OWNER',
  searchCampaignInfo: 'SEARCH',
  roleCompositionCampaignInfo: 'ROLE_COMPOSITION',
} as const

/** Reads a campaign as created (API body, CLI file), naming every wrong or misspelled field. */
export function parseCampaignSpec(
  input: unknown,
  where = 'campaign',
): ReturnType<typeof campaignSpecSchema.parse> {
  const spec = parseInput(campaignSpecSchema, input, where)
  // A MANAGER campaign given a search's identities (a forgotten or mistyped `type`) would review
  // everyone's access instead of theirs.
  for (const [field, type] of Object.entries(INFO_OF_TYPE)) {
    if (spec[field as keyof typeof INFO_OF_TYPE] !== undefined && spec.type !== type) {
      throw new InputError(`${where}.${field}: it goes with a ${type} campaign, and this one is ${spec.type}`)
    }
  }
  // Only a SOURCE_OWNER campaign reviews accounts: elsewhere the option would do nothing, said nowhere.
  if (spec.accountRevocation !== undefined && spec.type !== 'SOURCE_OWNER') {
    throw new InputError(
      `${where}.accountRevocation: it goes with a SOURCE_OWNER campaign (the only kind that reviews accounts), and this one is ${spec.type}`,
    )
  }
  // Reviewers and owners are people: a group named as one would be looked up as an identity of that name.
  const refs = {
    ownerRef: spec.ownerRef,
    'searchCampaignInfo.reviewer': spec.searchCampaignInfo?.reviewer,
    'roleCompositionCampaignInfo.reviewer': spec.roleCompositionCampaignInfo?.reviewer,
    'roleCompositionCampaignInfo.remediatorRef': spec.roleCompositionCampaignInfo?.remediatorRef,
  }
  for (const [path, ref] of Object.entries(refs)) {
    if (ref?.type === 'GOVERNANCE_GROUP') {
      throw new InputError(
        `${where}.${path}: governance groups are not supported here yet; name an identity (type IDENTITY)`,
      )
    }
  }
  if (spec.type === 'SOURCE_OWNER' && !spec.sourceOwnerCampaignInfo) {
    throw new InputError(
      `${where}.sourceOwnerCampaignInfo: a SOURCE_OWNER campaign names its sources (sourceIds)`,
    )
  }
  if (spec.type === 'SEARCH' && !spec.searchCampaignInfo) {
    throw new InputError(
      `${where}.searchCampaignInfo: a SEARCH campaign names its identities (identityIds or query)`,
    )
  }
  if (spec.type === 'ROLE_COMPOSITION') {
    const info = spec.roleCompositionCampaignInfo
    if (!info) {
      throw new InputError(
        `${where}.roleCompositionCampaignInfo: a ROLE_COMPOSITION campaign names its remediator (remediatorRef)`,
      )
    }
    if (info.roleIds !== undefined && info.query !== undefined) {
      throw new InputError(
        `${where}.roleCompositionCampaignInfo: only one of roleIds and query may be set (neither: every role)`,
      )
    }
  }
  return spec
}

/**
 * Creates a campaign and generates it: STAGED (previewable; reviewers not told yet) with its certifications
 * and items; a campaign that asks for the impossible (a source without an owner) is refused whole, and one
 * whose generation failed otherwise is kept as ERROR with the reason. CERT_ADMIN or ORG_ADMIN.
 */
export async function createCampaign(
  ctx: EngineContext,
  actor: CampaignActor,
  input: unknown,
  templateId: string | null = null,
): Promise<{ campaign: Campaign; generated: Generated | null }> {
  requireCampaignAdmin(actor, 'creating a campaign')
  const spec = parseCampaignSpec(input)
  const now = ctx.now()
  if (spec.deadline && Date.parse(spec.deadline) <= now.getTime()) {
    throw new InputError(`campaign.deadline: ${spec.deadline} is in the past`)
  }
  let ownerId = actor.identityId
  if (spec.ownerRef) {
    const owner = await findIdentity(ctx.db, spec.ownerRef.id)
    if (!owner) throw new InputError(`campaign.ownerRef: no identity "${spec.ownerRef.id}"`)
    ownerId = owner.id
  }
  const campaign = await insertCampaign(ctx.db, { spec, ownerId, templateId }, now)
  let generated: Generated | null = null
  try {
    generated = await generateCampaign(ctx, campaign)
    campaignMove(campaign, 'generate', now)
    await moveCampaign(ctx.db, campaign.id, 'PENDING', 'STAGED', ctx.now(), { itemsTotal: generated.items })
  } catch (err) {
    // A campaign that asks for something impossible is refused whole; a failure of the system is kept, ERROR.
    if (err instanceof InputError) {
      await deleteCampaigns(ctx.db, [campaign.id])
      throw err
    }
    if (err instanceof ConflictError) throw err // deleted while it was generated: nothing left to keep
    const message = err instanceof Error ? err.message : String(err)
    await moveCampaign(ctx.db, campaign.id, 'PENDING', 'ERROR', ctx.now(), { error: message })
  }
  const after = await findCampaign(ctx.db, campaign.id)
  if (!after) throw deletedWhileGenerated(campaign)
  return { campaign: after, generated }
}
