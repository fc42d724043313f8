import { z } from 'zod'
import { nonEmpty } from './schema-primitives.js'

/**
 * A lifecycle state of an identity profile, as the reference's `LifecycleState`. The reference keeps
 * them under `/identity-profiles/{id}/lifecycle-states`; our YAML nests them in the profile. Rules that
 * span fields or objects (unique technical names, source lists, references) are checked by
 * checkReferences, so one bad state does not hide the rest of its profile.
 */

export const accountActionSchema = z.looseObject({
  action: z.enum(['ENABLE', 'DISABLE', 'DELETE']),
  /** Sources (by name or id) the action applies to; absent with `allSources: true`. */
  sourceIds: z.array(nonEmpty).optional(),
  /** With `allSources: true`: the sources left alone. */
  excludeSourceIds: z.array(nonEmpty).optional(),
  allSources: z.boolean().optional(),
})

export const lifecycleStateSchema = z.looseObject({
  name: nonEmpty,
  /** The value of the identity attribute `cloudLifecycleState` that puts an identity in this state. */
  technicalName: nonEmpty,
  id: z.string().optional(),
  // Disabled by default, as in the reference: a state does nothing until it is switched on.
  enabled: z.boolean().default(false),
  description: z.string().max(2000, 'at most 2000 characters').optional(),
  /** Access profiles (by name or id) granted while in this state, revoked when leaving it. */
  accessProfileIds: z.array(nonEmpty).default([]),
  accountActions: z.array(accountActionSchema).default([]),
  accessActionConfiguration: z
    .looseObject({ removeAllAccessEnabled: z.boolean().default(false) })
    .default({ removeAllAccessEnabled: false }),
  /** null means ACTIVE, as in the reference. */
  identityState: z.enum(['ACTIVE', 'INACTIVE_SHORT_TERM', 'INACTIVE_LONG_TERM']).nullable().default(null),
  /** Lower first when states are listed; the reference's built-in states use steps of 10. */
  priority: z.number().int().optional(),
  emailNotificationOption: z
    .looseObject({
      notifyManagers: z.boolean().optional(),
      notifyAllAdmins: z.boolean().optional(),
      notifySpecificUsers: z.boolean().optional(),
      emailAddressList: z.array(z.string()).optional(),
    })
    .optional(),
})

export type AccountActionConfig = z.infer<typeof accountActionSchema>
export type LifecycleStateConfig = z.infer<typeof lifecycleStateSchema>
