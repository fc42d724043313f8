import { z } from 'zod'
import { MAX_UNIQUE_CHECKS } from '../transforms/username-generator.js'
import { nonEmpty, transformDefinitionSchema } from './schema-primitives.js'

/**
 * A source's provisioning policies (`/sources/{id}/provisioning-policies` in the reference) and its
 * attribute-sync settings (`AttrSyncSourceConfig`). Transforms are compiled by checkReferences, which
 * knows the named transforms.
 */

export const USAGE_TYPES = [
  'CREATE',
  'UPDATE',
  'ENABLE',
  'DISABLE',
  'DELETE',
  'ASSIGN',
  'UNASSIGN',
  'CREATE_GROUP',
  'UPDATE_GROUP',
  'DELETE_GROUP',
  'REGISTER',
  'CREATE_IDENTITY',
  'UPDATE_IDENTITY',
  'EDIT_GROUP',
  'UNLOCK',
  'CHANGE_PASSWORD',
] as const

type TransformDefinitionConfig = z.infer<typeof transformDefinitionSchema>

/** A field's transform; `{}` (the reference's default) means the field has no value. */
export type FieldTransformConfig = TransformDefinitionConfig | Record<string, never>

// A union would report a bad transform as a bare "Invalid input"; checking the non-empty case against the
// transform schema keeps its field paths and messages.
const fieldTransformSchema = z
  .record(z.string(), z.unknown())
  .superRefine((t, ctx) => {
    if (isEmptyTransform(t as FieldTransformConfig)) return
    const parsed = transformDefinitionSchema.safeParse(t)
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path, input: t })
      }
    }
  })
  .transform((t) => t as FieldTransformConfig)

/** Whether a field's transform is `{}`, the reference's "no value". */
export function isEmptyTransform(t: FieldTransformConfig): t is Record<string, never> {
  return Object.keys(t).length === 0
}

export const fieldAttributesSchema = z.looseObject({
  /** Truncates the generated value. */
  cloudMaxSize: z.number().int().positive().optional(),
  /** How many counter values a generator tries before it fails. */
  cloudMaxUniqueChecks: z
    .number()
    .int()
    .min(1, 'must be at least 1')
    .max(MAX_UNIQUE_CHECKS, `must be at most ${MAX_UNIQUE_CHECKS} (the reference's limit)`)
    .optional(),
  cloudRequired: z.boolean().optional(),
  /** Create Unique Account ID's pattern, e.g. `$(firstname).$(lastname)$(uniqueCounter)`. */
  template: z.string().optional(),
  // Create Password's settings; the rule checks their values when it compiles.
  length: z.unknown().optional(),
  minUpper: z.unknown().optional(),
  minLower: z.unknown().optional(),
  minNumeric: z.unknown().optional(),
  minSpecial: z.unknown().optional(),
})

export const provisioningFieldSchema = z.looseObject({
  /** The account attribute the field computes. */
  name: nonEmpty,
  transform: fieldTransformSchema.default({}),
  attributes: fieldAttributesSchema.optional(),
  isRequired: z.boolean().default(false),
  type: z.enum(['string', 'int', 'long', 'date', 'boolean', 'secret']).default('string'),
  isMultiValued: z.boolean().default(false),
})

export const provisioningPolicySchema = z.looseObject({
  name: nonEmpty,
  description: z.string().optional(),
  usageType: z.enum(USAGE_TYPES),
  /** Evaluated in order: a later field may use an earlier one. */
  fields: z.array(provisioningFieldSchema).default([]),
})

export const attributeSyncConfigSchema = z.looseObject({
  attributes: z
    .array(
      z.looseObject({
        /** The identity attribute. */
        name: nonEmpty,
        enabled: z.boolean(),
        /** The account attribute it is synced to. */
        target: nonEmpty.optional(),
        displayName: z.string().optional(),
      }),
    )
    .default([]),
})

export type ProvisioningFieldConfig = z.infer<typeof provisioningFieldSchema>
export type ProvisioningPolicyConfig = z.infer<typeof provisioningPolicySchema>
export type UsageType = ProvisioningPolicyConfig['usageType']
export type AttributeSyncConfig = z.infer<typeof attributeSyncConfigSchema>
