import { z } from 'zod'
import { nearestName } from './nearest-name.js'
import { nonEmpty } from './schema-primitives.js'

/**
 * The tenant's access request configuration (`accessRequestConfig:` in provisio.yaml), with exactly the
 * fields of the reference's v3 `AccessRequestConfig` (GET/PUT /v3/access-request-config). Every field has
 * a default, so a workspace without the section, or with part of it, gets the whole configuration.
 */

/** The approvers an entitlement request can name in `grantRequestApprovalSchemes`, besides `workgroup:{id}`. */
export const GRANT_REQUEST_APPROVERS = ['entitlementOwner', 'sourceOwner', 'manager'] as const

/** One step of `grantRequestApprovalSchemes`, in order. */
export type GrantRequestApprovalStep =
  | { readonly type: (typeof GRANT_REQUEST_APPROVERS)[number] }
  | { readonly type: 'workgroup'; readonly id: string }

/**
 * The steps of a `grantRequestApprovalSchemes` string (`"manager, workgroup:2c91…"`), in order, and the
 * problems of the parts that are not a step. An empty string is no step: no approval is needed.
 */
export function parseGrantRequestApprovalSchemes(schemes: string): {
  readonly steps: GrantRequestApprovalStep[]
  readonly problems: string[]
} {
  const steps: GrantRequestApprovalStep[] = []
  const problems: string[] = []
  if (schemes.trim() === '') return { steps, problems }
  schemes.split(',').forEach((raw, i) => {
    const part = raw.trim()
    const known = GRANT_REQUEST_APPROVERS.find((a) => a === part)
    if (known) steps.push({ type: known })
    else if (part.startsWith('workgroup:') && part.length > 'workgroup:'.length) {
      steps.push({ type: 'workgroup', id: part.slice('workgroup:'.length).trim() })
    } else {
      const near = nearestName(part, [...GRANT_REQUEST_APPROVERS, 'workgroup'])
      problems.push(
        part === ''
          ? `part ${i + 1} is empty: write the schemes separated by commas, e.g. "manager, sourceOwner"`
          : part === 'workgroup' || part === 'workgroup:'
            ? 'workgroup needs its governance group: workgroup:{id}'
            : `"${part}" is not an approval scheme (${near !== undefined ? `did you mean "${near}"? ` : ''}` +
              'one of entitlementOwner, sourceOwner, manager, workgroup:{id})',
      )
    }
  })
  return { steps, problems }
}

const days = z.number().int('must be a whole number of days').min(0).max(3650)

/** The identity an approval escalates to (`IdentityReferenceWithNameAndEmail`; `email` is read-only). */
export const fallbackApproverRefSchema = z
  .strictObject({
    type: z.literal('IDENTITY', { error: 'type must be IDENTITY' }).default('IDENTITY'),
    id: nonEmpty.optional(),
    name: nonEmpty.optional(),
  })
  .refine((r) => r.id !== undefined || r.name !== undefined, 'needs the identity: a name or an id')

export const tenantAccessRequestConfigSchema = z.strictObject({
  /** Approvals are made by another system; requests through Request Center are refused (ORG_ADMIN aside). */
  approvalsMustBeExternal: z.boolean().default(false),
  /** A request is approved at once where its requester would be its approver. */
  autoApprovalEnabled: z.boolean().default(false),
  /** Reauthorization of access items configured for it (limited in the reference). */
  reauthorizationEnabled: z.boolean().default(false),
  requestOnBehalfOfConfig: z
    .strictObject({
      allowRequestOnBehalfOfAnyoneByAnyone: z.boolean().default(false),
      allowRequestOnBehalfOfEmployeeByManager: z.boolean().default(true),
    })
    .prefault({}),
  approvalReminderAndEscalationConfig: z
    .strictObject({
      /** Days before the first reminder; without reminders, days before escalation. */
      daysUntilEscalation: days.nullable().default(null),
      daysBetweenReminders: days.min(1, 'at least 1 day').nullable().default(null),
      /** Reminders before the approval escalates to the fallback approver (v2025: at most 20). */
      maxReminders: z.number().int('must be a whole number').min(1).max(20).nullable().default(null),
      fallbackApproverRef: fallbackApproverRefSchema.nullable().default(null),
    })
    .prefault({}),
  entitlementRequestConfig: z
    .strictObject({
      allowEntitlementRequest: z.boolean().default(true),
      requestCommentsRequired: z.boolean().default(false),
      deniedCommentsRequired: z.boolean().default(false),
      /**
       * Comma-separated approvers, in order: entitlementOwner, sourceOwner, manager, workgroup:{id}; empty
       * for no approval. Null (as a reference client may send for "not set") is the default.
       */
      grantRequestApprovalSchemes: z
        .string()
        .nullable()
        .default('sourceOwner')
        .transform((s) => s ?? 'sourceOwner')
        .superRefine((s, ctx) => {
          for (const message of parseGrantRequestApprovalSchemes(s).problems) {
            ctx.addIssue({ code: 'custom', message })
          }
        }),
    })
    .prefault({}),
})

export type AccessRequestConfig = z.infer<typeof tenantAccessRequestConfigSchema>

/** The configuration of a workspace that says nothing of access requests. */
export const ACCESS_REQUEST_CONFIG_DEFAULTS: AccessRequestConfig = tenantAccessRequestConfigSchema.parse({})
