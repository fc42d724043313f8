import { z } from 'zod'
import { InputError } from '../../../domain/errors.js'
import type { Campaign } from '../../../domain/certifications/campaign.js'
import type { CampaignChange } from '../../../engine/certifications/change-campaign.js'
import { applyJsonPatch, type JsonPatch } from '../../http/json-patch.js'

/** What a PATCH may touch: the fields changeCampaign changes. */
const PATCHABLE = ['/name', '/description', '/deadline'] as const

const patched = z.strictObject({
  name: z.string(),
  description: z.string().nullable(),
  deadline: z.string().nullable(),
})

/**
 * The change a JSON Patch on a campaign asks for: only name, description and deadline (the engine checks
 * the campaign's status and the values). Any other path is refused naming it, never ignored, as is a value
 * of the wrong type.
 */
export function readCampaignPatch(campaign: Campaign, patch: JsonPatch): CampaignChange {
  patch.forEach((op, i) => {
    for (const path of [op.path, ...(op.from !== undefined ? [op.from] : [])]) {
      if (!(PATCHABLE as readonly string[]).includes(path)) {
        throw new InputError(
          `JSON Patch operation ${i}: path "${path}" cannot be changed here; patch ${PATCHABLE.join(', ')}`,
        )
      }
    }
  })
  // Removing the description or the deadline clears it (the engine's null); removing the name is refused below.
  const ops = patch.map((op) =>
    op.op === 'remove' && op.path !== '/name' ? { op: 'replace' as const, path: op.path, value: null } : op,
  )
  const before = { name: campaign.name, description: campaign.description, deadline: campaign.deadline }
  const after = patched.safeParse(applyJsonPatch(before, ops))
  if (!after.success) {
    const issue = after.error.issues[0]
    // A removed name leaves it undefined; a number for a deadline is the wrong type: either way, name it.
    throw new InputError(`/${issue?.path.join('/') ?? ''}: ${issue?.message ?? 'invalid value'}`)
  }
  const { name, description, deadline } = after.data
  return {
    ...(name !== before.name ? { name } : {}),
    ...(description !== before.description ? { description } : {}),
    ...(deadline !== before.deadline ? { deadline } : {}),
  }
}
