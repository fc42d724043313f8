import { InputError, NotFoundError } from '../domain/errors.js'
import { loadIdentitiesById } from '../store/identities.js'
import { forgetIdentityInputs } from '../store/identity-processing.js'
import { enqueueIdentities } from '../store/queues.js'
import type { EngineContext } from './engine-context.js'
import { processIdentities, type ProcessResult } from './process-identities.js'

/**
 * Processes identities again on request (the reference's `POST /identities/process` and an identity
 * profile's `process-identities`): their attributes and lifecycle state are computed anew even though their
 * source data did not change (a time-based transform may say otherwise now), then they are planned — and,
 * with `automatic` provisioning, applied. Runs before it returns. InputError naming `identityIds` for ids
 * without an identity; NotFoundError for an unknown identity profile.
 */
export async function reprocessIdentities(
  ctx: EngineContext,
  which: { readonly identityIds: readonly string[] } | { readonly identityProfile: string },
): Promise<{ readonly identityIds: readonly string[]; readonly result: ProcessResult }> {
  let ids: string[]
  if ('identityIds' in which) {
    const unique = [...new Set(which.identityIds)]
    const found = new Set((await loadIdentitiesById(ctx.db, unique)).map((i) => i.id))
    const missing = unique.filter((id) => !found.has(id))
    if (missing.length > 0) {
      throw new InputError(`identityIds: no identity with id ${missing.map((m) => `"${m}"`).join(', ')}`)
    }
    ids = await forgetIdentityInputs(ctx.db, { ids: unique })
  } else {
    const profile = ctx.config.identityProfiles.find(
      (p) => p.value.id === which.identityProfile || p.value.name === which.identityProfile,
    )?.value
    if (!profile) throw new NotFoundError(`no identity profile with id "${which.identityProfile}"`)
    ids = await forgetIdentityInputs(ctx.db, { profile: profile.name })
  }
  await enqueueIdentities(ctx.db, ids, ['process', 'plan'])
  return { identityIds: ids, result: await processIdentities(ctx) }
}
