import { z } from 'zod'
import { CAPABILITIES } from '../auth/capabilities.js'
import { tenantAccessRequestConfigSchema } from './access-request-config-schema.js'
import { lifecycleStateSchema } from './lifecycle-state-schema.js'
import { notificationSettingsSchema } from './notification-settings-schema.js'
import { attributeSyncConfigSchema, provisioningPolicySchema } from './provisioning-policy-schema.js'
import { retryPoliciesSchema } from './retry-policy-schema.js'
import { SIGN_IN_DEFAULTS, signInSchema } from './sign-in-schema.js'
import { nonEmpty, objectRefSchema, ownerRefSchema, transformDefinitionSchema } from './schema-primitives.js'

/**
 * The workspace configuration, with the reference product's object and field names. These schemas are the
 * one description of every field Provisio reads: loading compares each raw object with them
 * (unknownFieldProblems), so a field they do not name is reported as unknown, or as ignored when it is one
 * of the reference's fields listed in ignored-fields.ts.
 */

export {
  nonEmpty,
  objectRefSchema,
  ownerRefSchema,
  transformDefinitionSchema,
  type ObjectRef,
} from './schema-primitives.js'
export * from './access-schemas.js'
export * from './access-request-config-schema.js'
export * from './governance-group-schema.js'
export * from './lifecycle-state-schema.js'
export * from './provisioning-policy-schema.js'
export * from './retry-policy-schema.js'

export const attributeDefinitionSchema = z.looseObject({
  name: nonEmpty,
  type: z.enum(['STRING', 'LONG', 'INT', 'BOOLEAN', 'DATE']).default('STRING'),
  description: z.string().optional(),
  isMulti: z.boolean().default(false),
  isEntitlement: z.boolean().default(false),
  isGroup: z.boolean().default(false),
})

export const accountSchemaSchema = z.looseObject({
  name: z.string().default('account'),
  nativeObjectType: z.string().optional(),
  identityAttribute: nonEmpty,
  displayAttribute: z.string().optional(),
  attributes: z.array(attributeDefinitionSchema).min(1, 'lists at least one attribute'),
})

export const correlationAssignmentSchema = z.looseObject({
  /** The identity attribute. */
  property: nonEmpty,
  /** The account attribute. */
  value: nonEmpty,
  operation: z.literal('EQ').default('EQ'),
  ignoreCase: z.boolean().default(false),
})

export const sourceSchema = z.looseObject({
  name: nonEmpty.max(128, 'at most 128 characters'),
  id: z.string().optional(),
  description: z.string().optional(),
  /** Required (checkReferences says so): the identity who receives the source's manual tasks. */
  owner: ownerRefSchema.optional(),
  connectionType: z.enum(['file', 'direct']).default('file'),
  connector: nonEmpty.default('delimited-file'),
  authoritative: z.boolean().default(false),
  deleteThreshold: z.number().int().min(0).max(100).default(10),
  features: z.array(z.string()).default([]),
  connectorAttributes: z.record(z.string(), z.unknown()).default({}),
  schemas: z.array(accountSchemaSchema).min(1, 'needs an account schema'),
  accountCorrelationConfig: z
    .looseObject({ name: z.string().optional(), attributeAssignments: z.array(correlationAssignmentSchema) })
    .optional(),
  managerCorrelationMapping: z
    .looseObject({ accountAttributeName: nonEmpty, identityAttributeName: nonEmpty })
    .optional(),
  /** How accounts are built (CREATE) and kept in line (UPDATE, ENABLE, DISABLE…); one policy per usage. */
  provisioningPolicies: z.array(provisioningPolicySchema).default([]),
  /** Which identity attributes are synced to which account attributes. */
  attributeSyncConfig: attributeSyncConfigSchema.optional(),
  /** How many of this source's account requests may be executing at once, across every worker. */
  concurrency: z.number().int('must be a whole number').min(1).max(256).default(8),
  /** Retry policies for this source's requests, by process type (beat the workspace's and the defaults). */
  retryPolicies: retryPoliciesSchema.optional(),
})

export const identityAttributeTransformSchema = z.looseObject({
  identityAttributeName: nonEmpty,
  transformDefinition: transformDefinitionSchema,
})

export const identityProfileSchema = z.looseObject({
  name: nonEmpty,
  id: z.string().optional(),
  description: z.string().optional(),
  priority: z.number().int().default(10),
  authoritativeSource: objectRefSchema,
  identityAttributeConfig: z.looseObject({
    enabled: z.boolean().default(true),
    attributeTransforms: z.array(identityAttributeTransformSchema).default([]),
  }),
  lifecycleStates: z.array(lifecycleStateSchema).default([]),
})

export const scheduleSchema = z.looseObject({
  name: z.string().optional(),
  /** What to run: aggregate a source, or process identities. */
  task: z.enum(['aggregate', 'process']),
  source: z.string().optional(),
  /** Cron expression (5 fields), in `timeZone`; checked by the scheduler's own parser when the workspace loads. */
  cron: nonEmpty,
  timeZone: z
    .string()
    .refine(isTimeZone, {
      error: (issue) =>
        `unknown time zone ${JSON.stringify(issue.input)}: use an IANA name such as UTC or Europe/Paris`,
    })
    .default('UTC'),
  /** Run once when `provisio serve` starts. */
  runOnStart: z.boolean().default(false),
})

export const workspaceSettingsSchema = z.looseObject({
  name: z.string().default('provisio'),
  /** The identity attribute that names an identity (its `name`). */
  identityNameAttribute: z.string().default('uid'),
  /**
   * automatic: every refresh (after an aggregation, or `provisio process`) applies the plan of the
   * identities that changed, as the reference product does. review: refreshes only process
   * identities; `provisio plan` shows what would change and `provisio apply` applies it.
   */
  provisioning: z.enum(['automatic', 'review']).default('automatic'),
  /** Retry policies by process type, for every source (a source's own beat these). */
  retryPolicies: retryPoliciesSchema.optional(),
  server: z
    .looseObject({
      port: z.number().int().min(0).max(65535).default(7100),
      /** Lifetime of the API's access tokens (docs/authentication.md); absent: 749 s, as the reference. */
      accessTokenValiditySeconds: z.number().int().min(15).max(43_200).optional(),
      /** The address the API listens on: this machine only unless said otherwise. */
      host: z.string().min(1).default('127.0.0.1'),
      /** HTTPS from certificate files (PEM); without it, plain HTTP (behind a reverse proxy, docs/api.md). */
      tls: z.strictObject({ cert: nonEmpty, key: nonEmpty }).optional(),
      /** Behind a reverse proxy: take the caller's address from X-Forwarded-For. */
      trustProxy: z.boolean().default(false),
      /** Requests per client per window (the reference's 100 per 10 s). */
      rateLimit: z
        .strictObject({
          max: z.number().int().min(1).max(1_000_000).default(100),
          windowSeconds: z.number().int().min(1).max(3600).default(10),
        })
        .default({ max: 100, windowSeconds: 10 }),
      /** The largest request body the API reads, in bytes. */
      bodyLimitBytes: z
        .number()
        .int()
        .min(1024)
        .max(64 * 1024 * 1024)
        .default(1024 * 1024),
    })
    .default({
      port: 7100,
      host: '127.0.0.1',
      trustProxy: false,
      rateLimit: { max: 100, windowSeconds: 10 },
      bodyLimitBytes: 1024 * 1024,
    }),
  /**
   * Capabilities of the API granted to identities: identity name (or id) → capabilities
   * (`ORG_ADMIN`, `SOURCE_ADMIN`…). Everyone signed in acts on their own identity without any.
   */
  capabilities: z.record(z.string().min(1), z.array(z.enum(CAPABILITIES))).default({}),
  /** How people sign in: passwords, invitations, sessions, failed sign-ins, OpenID Connect. */
  signIn: signInSchema.default(SIGN_IN_DEFAULTS),
  schedules: z.array(scheduleSchema).default([]),
  /** The tenant's access request configuration (access-request-config-schema.ts): every field defaulted. */
  accessRequestConfig: tenantAccessRequestConfigSchema.prefault({}),
  /**
   * Campaign reports (the reference's Campaign Reports Configuration): the identity attributes added as
   * columns to the reports that list identities.
   */
  campaignReportsConfig: z
    .strictObject({ identityAttributeColumns: z.array(nonEmpty).max(50).default([]) })
    .prefault({}),
  /** Email notifications: the SMTP server, links, retries (docs/notifications.md); absent: the outbox only. */
  notifications: notificationSettingsSchema.optional(),
})

/** Whether the platform knows a time zone (an IANA name such as `Europe/Paris`, or `UTC`). */
function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz })
    return true
  } catch {
    return false
  }
}

export type SourceConfig = z.infer<typeof sourceSchema>
export type AccountSchemaConfig = z.infer<typeof accountSchemaSchema>
export type IdentityProfileConfig = z.infer<typeof identityProfileSchema>
export type TransformConfig = z.infer<typeof transformDefinitionSchema>
export type ScheduleConfig = z.infer<typeof scheduleSchema>
export type WorkspaceSettings = z.infer<typeof workspaceSettingsSchema>
