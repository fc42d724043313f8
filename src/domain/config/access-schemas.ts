import { z } from 'zod'
import { nonEmpty, objectRefSchema, ownerRefSchema } from './schema-primitives.js'

/**
 * Access profiles and roles, with the reference's field names. Only shapes are checked here; which
 * source, access profile or schema attribute a reference names is checked by checkReferences, and
 * criteria trees by check-criteria.ts, with the planner's own validation.
 */

/** A criteria tree: any keys here; check-criteria.ts validates it node by node, unknown fields included. */
const criteriaTree = z.record(z.string(), z.unknown())

/** One approval step of an access or revocation request (`approverType` MANAGER, SOURCE_OWNER…). */
const approvalSchemeSchema = z.looseObject({
  approverType: nonEmpty,
  approverId: z.string().nullable().optional(),
})

/** The reference's `accessRequestConfig` (Requestability) of an access profile or role. */
const accessRequestConfigSchema = z.looseObject({
  commentsRequired: z.boolean().nullable().optional(),
  denialCommentsRequired: z.boolean().nullable().optional(),
  reauthorizationRequired: z.boolean().nullable().optional(),
  requireEndDate: z.boolean().nullable().optional(),
  maxPermittedAccessDuration: z
    .looseObject({
      value: z.number().int().positive(),
      timeUnit: z.enum(['HOURS', 'DAYS', 'WEEKS', 'MONTHS']),
    })
    .nullable()
    .optional(),
  approvalSchemes: z.array(approvalSchemeSchema).optional(),
  /** Roles only, in the reference. */
  formDefinitionId: z.string().nullable().optional(),
})

/** The reference's `revocationRequestConfig` (Revocability). */
const revocationRequestConfigSchema = z.looseObject({
  commentsRequired: z.boolean().nullable().optional(),
  denialCommentsRequired: z.boolean().nullable().optional(),
  approvalSchemes: z.array(approvalSchemeSchema).optional(),
})

/**
 * An entitlement, identified by its source + attribute + value: `{attribute, value}` (the attribute
 * defaults to the source schema's only entitlement attribute), or the reference's `{name}` / `{id}`,
 * which name an aggregated entitlement and are resolved against the database, not at load.
 */
const entitlementRefShape = {
  type: z.string().optional(),
  source: objectRefSchema.optional(),
  attribute: nonEmpty.optional(),
  // YAML reads `value: 42` as a number; an entitlement value is a string.
  value: z
    .preprocess((v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v), nonEmpty)
    .optional(),
  name: nonEmpty.optional(),
  id: nonEmpty.optional(),
}

function identified(e: { value?: string; name?: string; id?: string }): boolean {
  return e.value !== undefined || e.name !== undefined || e.id !== undefined
}

export const entitlementRefSchema = z
  .looseObject(entitlementRefShape)
  .refine(identified, 'needs a value (with its attribute), a name or an id')

/** A role's entitlements come from any source, so each names its own. */
export const roleEntitlementRefSchema = z
  .looseObject({ ...entitlementRefShape, source: objectRefSchema })
  .refine(identified, 'needs a value (with its attribute), a name or an id')

export const accessProfileSchema = z.looseObject({
  name: nonEmpty,
  id: z.string().optional(),
  description: z.string().max(2000, 'at most 2000 characters').optional(),
  owner: ownerRefSchema.optional(),
  /** The one source all its entitlements come from. */
  source: objectRefSchema,
  entitlements: z.array(entitlementRefSchema).default([]),
  enabled: z.boolean().default(true),
  requestable: z.boolean().default(true),
  accessRequestConfig: accessRequestConfigSchema.optional(),
  revocationRequestConfig: revocationRequestConfigSchema.optional(),
  /** Which account gets the access when an identity has several on the source; validated later. */
  provisioningCriteria: criteriaTree.optional(),
  segments: z.array(z.string()).optional(),
})

export const roleMembershipSchema = z.looseObject({
  type: z.enum(['STANDARD', 'IDENTITY_LIST']),
  /** STANDARD: a tree of AND/OR over leaves `{operation, key: {type, property, sourceId}, stringValue}`. */
  criteria: criteriaTree.optional(),
  /** IDENTITY_LIST: the members. */
  identities: z
    .array(
      z
        .looseObject({ type: z.string().optional(), id: z.string().optional(), name: z.string().optional() })
        .refine((i) => i.id !== undefined || i.name !== undefined, 'needs a name or an id'),
    )
    .optional(),
})

export const roleSchema = z.looseObject({
  name: nonEmpty.max(128, 'at most 128 characters'),
  id: z.string().optional(),
  description: z.string().max(2000, 'at most 2000 characters').optional(),
  owner: ownerRefSchema.optional(),
  accessProfiles: z.array(objectRefSchema).default([]),
  entitlements: z.array(roleEntitlementRefSchema).default([]),
  membership: roleMembershipSchema.optional(),
  enabled: z.boolean().default(true),
  requestable: z.boolean().default(false),
  accessRequestConfig: accessRequestConfigSchema.optional(),
  revocationRequestConfig: revocationRequestConfigSchema.optional(),
  segments: z.array(z.string()).optional(),
})

export type EntitlementRefConfig = z.infer<typeof entitlementRefSchema>
export type RoleEntitlementRefConfig = z.infer<typeof roleEntitlementRefSchema>
export type AccessProfileConfig = z.infer<typeof accessProfileSchema>
export type RoleMembershipConfig = z.infer<typeof roleMembershipSchema>
export type RoleConfig = z.infer<typeof roleSchema>
