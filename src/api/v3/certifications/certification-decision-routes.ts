import { z } from 'zod'
import { InputError } from '../../../domain/errors.js'
import { certificationItemsFor } from '../../../engine/certifications/list-certifications.js'
import { decideItems, MAX_DECISIONS } from '../../../engine/certifications/decide-items.js'
import {
  reassignCertificationTo,
  type Reassignment,
} from '../../../engine/certifications/reassign-certification.js'
import { remediateInBackground } from '../../../engine/certifications/remediate-in-background.js'
import { signOffCertification } from '../../../engine/certifications/sign-off.js'
import type { CampaignActor } from '../../../engine/certifications/campaign-actor.js'
import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import { actorOf } from '../access-requests/access-request-routes.js'
import { presentCertifications } from './present-certifications.js'

const idParams = z.strictObject({ id: z.string().min(1).max(256) })
// `wait=false`: queue the remediation (it runs right after, in the background) instead of waiting for it.
const signOffQuery = z.strictObject({ wait: z.enum(['true', 'false']).optional() })
const decideBody = z
  .array(
    z.strictObject({
      id: z.string().min(1).max(256),
      decision: z.enum(['APPROVE', 'REVOKE']),
      // Required, as the reference's ReviewDecision has it; every decision is recorded alike here.
      bulk: z.boolean(),
      proposedEndDate: z.iso.datetime({ offset: true }).nullish(),
      comments: z.string().max(2000).nullish(),
      // Provisio makes no recommendations, so a decision cannot follow one.
      recommendation: z.null().optional(),
    }),
  )
  .min(1, 'name at least one decision')
  .max(MAX_DECISIONS, `at most ${MAX_DECISIONS} decisions per call`)
export const reassignBody = z.strictObject({
  reassign: z
    .array(
      z.strictObject({
        id: z.string().min(1).max(256),
        type: z.enum(['ITEM', 'IDENTITY_SUMMARY', 'TARGET_SUMMARY']),
      }),
    )
    .max(MAX_DECISIONS),
  // The official client sends the new reviewer's id; the reference's schema, a reference to them.
  reassignTo: z.union([
    z.string().min(1).max(256),
    z.strictObject({ id: z.string().min(1).max(256), type: z.literal('IDENTITY') }),
  ]),
  reason: z.string().min(1).max(2000),
})

/**
 * The items a reassignment names: items by id, identity summaries (an identity's items) by identity id,
 * and target summaries (one access item for every identity holding it) resolved to the items of that
 * access in this certification.
 */
async function reassignedItems(
  ctx: ApiContext,
  actor: CampaignActor,
  certificationId: string,
  reassign: z.infer<typeof reassignBody>['reassign'],
): Promise<{ itemIds?: string[]; identityIds?: string[] }> {
  const itemIds = reassign.filter((r) => r.type === 'ITEM').map((r) => r.id)
  const identityIds = reassign.filter((r) => r.type === 'IDENTITY_SUMMARY').map((r) => r.id)
  const targets = reassign.filter((r) => r.type === 'TARGET_SUMMARY').map((r) => r.id)
  if (targets.length > 0) {
    // Matched here, not in the store: an entitlement's access id is the catalog's, the item keeps its key.
    const { items } = await certificationItemsFor(ctx.engine, actor, certificationId)
    const wanted = new Set(targets)
    const missing = targets.filter((t) => !items.some((i) => i.accessId === t))
    if (missing.length > 0) {
      throw new InputError(`reassign: no access ${missing.join(', ')} in this certification`)
    }
    itemIds.push(...items.filter((i) => wanted.has(i.accessId)).map((i) => i.id))
  }
  return {
    ...(itemIds.length > 0 ? { itemIds } : {}),
    ...(identityIds.length > 0 ? { identityIds } : {}),
  }
}

/** The engine's reassignment of a `ReviewReassign` body (the new reviewer as an id or a reference). */
export async function reassignmentOf(
  ctx: ApiContext,
  actor: CampaignActor,
  certificationId: string,
  body: z.infer<typeof reassignBody>,
): Promise<Reassignment> {
  const parts = await reassignedItems(ctx, actor, certificationId, body.reassign)
  const to = typeof body.reassignTo === 'string' ? body.reassignTo : body.reassignTo.id
  return { to, reason: body.reason, ...parts }
}

/** `/v3/certifications/{id}/decide`, `/reassign` and `/sign-off`: each answers with the certification. */
export function certificationDecisionRoutes(api: Api, ctx: ApiContext): void {
  api.post(
    '/v3/certifications/:id/decide',
    { schema: { params: idParams, body: decideBody } },
    async (request) => {
      const decisions = request.body.map((d) => ({
        id: d.id,
        decision: d.decision,
        ...(d.proposedEndDate !== undefined ? { proposedEndDate: d.proposedEndDate } : {}),
        ...(d.comments !== undefined ? { comments: d.comments } : {}),
      }))
      const cert = await decideItems(ctx.engine, actorOf(request), request.params.id, decisions)
      request.auditDetail = {
        action: 'CERTIFICATION_DECIDED',
        targetType: 'CERTIFICATION',
        targetId: cert.id,
        targetName: cert.name,
        after: { decisions: decisions.map((d) => ({ id: d.id, decision: d.decision })) },
      }
      const [json] = await presentCertifications(ctx, [cert])
      return json
    },
  )

  api.post(
    '/v3/certifications/:id/reassign',
    { schema: { params: idParams, body: reassignBody } },
    async (request) => {
      const actor = actorOf(request)
      const reassignment = await reassignmentOf(ctx, actor, request.params.id, request.body)
      const moved = await reassignCertificationTo(ctx.engine, actor, request.params.id, reassignment)
      const { reason } = reassignment
      request.auditDetail = {
        action: 'CERTIFICATION_REASSIGNED',
        targetType: 'CERTIFICATION',
        targetId: moved.from.id,
        targetName: moved.from.name,
        after: { to: moved.to.id, reviewer: moved.to.reviewerId, items: moved.items, reason },
      }
      const [json] = await presentCertifications(ctx, [moved.from])
      return json
    },
  )

  api.post(
    '/v3/certifications/:id/sign-off',
    { schema: { params: idParams, querystring: signOffQuery } },
    async (request) => {
      const wait = request.query.wait !== 'false'
      const { cert, remediation, queued } = await signOffCertification(
        ctx.engine,
        actorOf(request),
        request.params.id,
        { wait },
      )
      // Not waited for: the remediation job runs now unless one is running, which takes it after.
      if (queued) {
        remediateInBackground(ctx.engine, (err) => request.log.error({ err }, 'remediation job failed'))
      }
      request.auditDetail = {
        action: 'CERTIFICATION_SIGNED_OFF',
        targetType: 'CERTIFICATION',
        targetId: cert.id,
        targetName: cert.name,
        after: { remediation, queued },
      }
      const [json] = await presentCertifications(ctx, [cert])
      // Provisio's own: what the sign-off's remediation did, at once (or that it is queued).
      return { ...json, remediation, remediationQueued: queued }
    },
  )
}
