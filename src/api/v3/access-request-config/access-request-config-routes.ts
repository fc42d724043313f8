import { z } from 'zod'
import { setAccessRequestConfig } from '../../../engine/config/access-request-config.js'
import { findIdentityOrNone } from '../../../engine/queries/get-identity.js'
import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import { accessRequestConfigJson } from '../../presenters/access-request-config-json.js'
import { changeAuthor, problemsInBody } from '../config-objects/config-writes.js'

const flag = z.boolean().optional()
const days = z.number().int().nullable().optional()

/** The reference's v3 `AccessRequestConfig`, strict: a misspelt field is a 400 naming it. */
const accessRequestConfigBody = z.strictObject({
  approvalsMustBeExternal: flag,
  autoApprovalEnabled: flag,
  reauthorizationEnabled: flag,
  requestOnBehalfOfConfig: z
    .strictObject({
      allowRequestOnBehalfOfAnyoneByAnyone: flag,
      allowRequestOnBehalfOfEmployeeByManager: flag,
    })
    .nullable()
    .optional(),
  approvalReminderAndEscalationConfig: z
    .strictObject({
      daysUntilEscalation: days,
      daysBetweenReminders: days,
      maxReminders: days,
      fallbackApproverRef: z
        .strictObject({
          type: z.literal('IDENTITY').optional(),
          id: z.string().optional(),
          name: z.string().optional(),
          // The identity's, read-only: what a client read and sends back.
          email: z.string().nullable().optional(),
        })
        .nullable()
        .optional(),
    })
    .nullable()
    .optional(),
  entitlementRequestConfig: z
    .strictObject({
      allowEntitlementRequest: flag,
      requestCommentsRequired: flag,
      deniedCommentsRequired: flag,
      grantRequestApprovalSchemes: z.string().nullable().optional(),
    })
    .nullable()
    .optional(),
})

/**
 * The body as provisio.yaml will say it: a null is the field's default, so it is left out, as is the
 * approver's read-only email.
 */
function yamlOf(value: unknown, key?: string): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === undefined || (key === 'fallbackApproverRef' && k === 'email')) continue
    out[k] = yamlOf(v, k)
  }
  return out
}

/**
 * `/v3/access-request-config`: the tenant's access request configuration, as `accessRequestConfig:` of
 * provisio.yaml says it (docs/configuration.md, "Access request configuration"). A PUT replaces it whole,
 * as the reference's does: a field left out takes its default.
 */
export function accessRequestConfigRoutes(api: Api, ctx: ApiContext): void {
  const present = async (): Promise<object> => {
    const config = ctx.engine.config.settings.accessRequestConfig
    const ref = config.approvalReminderAndEscalationConfig.fallbackApproverRef
    const key = ref?.id ?? ref?.name
    const identity = key !== undefined ? await findIdentityOrNone(ctx.engine, key) : undefined
    const email = identity?.attributes['email']
    return accessRequestConfigJson(
      config,
      identity ? { id: identity.id, name: identity.name, email: email ?? undefined } : undefined,
    )
  }

  api.get('/v3/access-request-config', async () => present())

  api.put('/v3/access-request-config', { schema: { body: accessRequestConfigBody } }, async (request) => {
    const before = ctx.engine.config.settings.accessRequestConfig
    request.auditDetail = {
      action: 'ACCESS_REQUEST_CONFIG_UPDATED',
      targetType: 'ACCESS_REQUEST_CONFIG',
      before,
    }
    const written = yamlOf(request.body) as Record<string, unknown>
    const changed = await setAccessRequestConfig(ctx.engine, written, changeAuthor(request)).catch(
      (err: unknown) => {
        throw problemsInBody(err, 'accessRequestConfig')
      },
    )
    request.auditDetail = { ...request.auditDetail, after: changed.config }
    return present()
  })
}
