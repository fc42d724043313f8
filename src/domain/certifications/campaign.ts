import { z } from 'zod'
import { ConflictError, InputError } from '../errors.js'

export const CAMPAIGN_TYPES = ['MANAGER', 'SOURCE_OWNER', 'SEARCH', 'ROLE_COMPOSITION'] as const
export type CampaignType = (typeof CAMPAIGN_TYPES)[number]

export const CAMPAIGN_STATUSES = ['PENDING', 'STAGED', 'ACTIVE', 'COMPLETING', 'COMPLETED', 'ERROR'] as const
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number]

export type Decision = 'APPROVE' | 'REVOKE'

const ref = z.strictObject({
  id: z.string().min(1),
  // The reference's kinds; a governance group is refused where it would be read (parseCampaignSpec).
  type: z.enum(['IDENTITY', 'GOVERNANCE_GROUP']).optional(),
  name: z.string().optional(),
})

/**
 * A campaign as created through `/v3/campaigns`, `provisio campaign create` or a template: the
 * reference's fields, strict (a misspelled field is an error naming it, never ignored).
 */
export const campaignSpecSchema = z.strictObject({
  // Not blank: PATCH refuses a blank name, and a campaign listed as "   " cannot be told apart.
  name: z
    .string()
    .min(1)
    .max(255)
    .refine((n) => n.trim() !== '', 'a name that is not blank'),
  description: z.string().max(2000).nullish(),
  type: z.enum(CAMPAIGN_TYPES),
  deadline: z.iso.datetime({ offset: true }).nullish(),
  emailNotificationEnabled: z.boolean().optional(),
  autoRevokeAllowed: z.boolean().optional(),
  recommendationsEnabled: z.boolean().optional(),
  sunsetCommentsRequired: z.boolean().optional(),
  mandatoryCommentRequirement: z.enum(['ALL_DECISIONS', 'REVOKE_ONLY_DECISIONS', 'NO_DECISIONS']).optional(),
  correlatedStatus: z.enum(['CORRELATED', 'UNCORRELATED']).optional(),
  /** Provisio: who owns the campaign (reviews what nobody else may); default: whoever created it. */
  ownerRef: ref.optional(),
  /** Provisio: what a REVOKE of an account does (SOURCE_OWNER campaigns). */
  accountRevocation: z.enum(['DISABLE', 'DELETE']).optional(),
  /** Provisio: complete the campaign with this decision once its deadline has passed (absent: wait). */
  autoCompleteAction: z.enum(['APPROVE', 'REVOKE']).optional(),
  /** Provisio: days before the deadline on which reviewers with decisions left are reminded. */
  reminderDays: z.array(z.number().int().min(0).max(365)).max(10).optional(),
  sourceOwnerCampaignInfo: z
    .strictObject({ sourceIds: z.array(z.string().min(1)).min(1).max(50) })
    .optional(),
  searchCampaignInfo: z
    .strictObject({
      type: z.enum(['IDENTITY', 'ACCESS']).optional(),
      description: z.string().optional(),
      reviewer: ref.optional(),
      /** A v3 `filters` expression over identities (`department` is not one: see docs/certifications.md). */
      query: z.string().min(1).optional(),
      identityIds: z.array(z.string().min(1)).max(10000).optional(),
    })
    .optional(),
  roleCompositionCampaignInfo: z
    .strictObject({
      reviewer: ref.optional(),
      roleIds: z.array(z.string().min(1)).min(1).max(500).optional(),
      remediatorRef: ref,
      query: z.string().optional(),
      description: z.string().optional(),
    })
    .optional(),
  // Read-only fields a client may echo back: accepted and ignored.
  id: z.string().optional(),
  status: z.string().optional(),
  created: z.string().optional(),
  modified: z.string().optional(),
})
export type CampaignSpec = z.infer<typeof campaignSpecSchema>

/** A stored campaign. */
export interface Campaign {
  readonly id: string
  readonly name: string
  readonly description: string | null
  readonly type: CampaignType
  readonly status: CampaignStatus
  readonly deadline: string | null
  readonly ownerId: string | null
  readonly spec: CampaignSpec
  readonly templateId: string | null
  readonly itemsTotal: number
  readonly autoCompletedWith: Decision | null
  readonly error: string | null
  readonly created: string
  readonly modified: string
  readonly activated: string | null
  readonly signedOff: string | null
  readonly completed: string | null
}

/** What can be done to a campaign, and the statuses it moves between. */
export type CampaignAction = 'generate' | 'fail' | 'activate' | 'complete' | 'finish-remediation' | 'delete'

const MOVES: Record<CampaignAction, Partial<Record<CampaignStatus, CampaignStatus>>> = {
  generate: { PENDING: 'STAGED' },
  fail: { PENDING: 'ERROR' },
  activate: { STAGED: 'ACTIVE' },
  // All reviewers signed off (or a past-due campaign completed): remediation runs.
  complete: { ACTIVE: 'COMPLETING' },
  'finish-remediation': { COMPLETING: 'COMPLETED' },
  delete: { STAGED: 'STAGED', ERROR: 'ERROR', COMPLETED: 'COMPLETED', PENDING: 'PENDING' },
}

/**
 * The campaign's lifecycle, as a pure function: the status an action leads to, or an error saying why
 * it cannot be done now (ConflictError: not in this status; InputError: its deadline is past).
 */
export function campaignMove(
  campaign: Pick<Campaign, 'status' | 'name' | 'deadline'>,
  action: CampaignAction,
  now: Date,
): CampaignStatus {
  const to = MOVES[action][campaign.status]
  if (to === undefined) {
    const from = Object.keys(MOVES[action]).join(' or ')
    throw new ConflictError(
      `campaign "${campaign.name}" is ${campaign.status}: ${WORDS[action]} needs it ${from}`,
    )
  }
  if (action === 'activate' && campaign.deadline !== null && Date.parse(campaign.deadline) <= now.getTime()) {
    throw new InputError(
      `campaign "${campaign.name}" has its deadline (${campaign.deadline}) in the past: change the deadline before activating it`,
    )
  }
  return to
}

const WORDS: Record<CampaignAction, string> = {
  generate: 'generating it',
  fail: 'failing it',
  activate: 'activating it',
  complete: 'completing it',
  'finish-remediation': 'finishing its remediation',
  delete: 'deleting it (an active campaign cannot be deleted: complete it first)',
}

/** Whether a campaign may be completed before every reviewer signed off: only once it is past due. */
export function checkEarlyCompletion(campaign: Pick<Campaign, 'name' | 'deadline'>, now: Date): void {
  if (campaign.deadline === null || Date.parse(campaign.deadline) > now.getTime()) {
    throw new InputError(
      `campaign "${campaign.name}" is not past due${campaign.deadline ? ` (deadline ${campaign.deadline})` : ' (it has no deadline)'}: it completes when every reviewer has signed off`,
    )
  }
}
