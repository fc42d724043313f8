import type { LifecycleStateConfig } from '../domain/config/config-schemas.js'
import { InputError } from '../domain/errors.js'
import { LIFECYCLE_ATTRIBUTE } from '../domain/identity/compile-identity-profile.js'
import type { Identity } from '../domain/model.js'
import { setIdentityLifecycleState } from '../store/identity-processing.js'
import { enqueueIdentities } from '../store/queues.js'
import { applyPlan } from './apply-plan.js'
import type { EngineContext } from './engine-context.js'
import { findIdentity } from './queries/get-identity.js'

export interface LifecycleStateSet {
  readonly before: Identity
  readonly identity: Identity
  readonly state: LifecycleStateConfig
  /**
   * The account activities the new state's plan wrote (its account actions and access); empty when
   * provisioning is `review`: the identity is then queued for the next `apply`.
   */
  readonly activityIds: readonly string[]
}

/**
 * Sets an identity's lifecycle state by hand (the reference's `set-lifecycle-state`), to one of its
 * identity profile's enabled states, named by id or technical name; then re-plans the identity: applied
 * at once when the workspace's provisioning is `automatic`, queued for the next apply when it is `review`.
 * The state holds until processing computes another from changed source data (or the identity is
 * processed again on request). NotFoundError for an unknown identity; InputError naming `lifecycleStateId`
 * for a state the profile does not have or has not enabled.
 */
export async function setLifecycleState(
  ctx: EngineContext,
  identityIdOrName: string,
  lifecycleStateId: string,
): Promise<LifecycleStateSet> {
  const before = await findIdentity(ctx, identityIdOrName)
  const profile = ctx.config.identityProfiles.find((p) => p.value.name === before.identityProfile)?.value
  const states = profile?.lifecycleStates ?? []
  const state = states.find((s) => s.id === lifecycleStateId || s.technicalName === lifecycleStateId)
  if (!state) {
    throw new InputError(
      `lifecycleStateId: the identity profile "${before.identityProfile}" has no lifecycle state "${lifecycleStateId}"` +
        (states.length > 0
          ? `; it has ${states.map((s) => `${s.technicalName} (${s.id ?? 'no id'})`).join(', ')}`
          : ''),
    )
  }
  if (!state.enabled) {
    throw new InputError(`lifecycleStateId: the lifecycle state "${state.technicalName}" is not enabled`)
  }
  await ctx.db.transaction(async (tx) => {
    // The attribute keeps its place among the others (the profile's mapping order).
    const attributes = { ...before.attributes, [LIFECYCLE_ATTRIBUTE]: state.technicalName }
    await setIdentityLifecycleState(
      tx,
      before.id,
      { technicalName: state.technicalName, attributes },
      ctx.now(),
    )
    await enqueueIdentities(tx, [before.id], ['plan'])
  })
  const activityIds =
    ctx.config.settings.provisioning === 'automatic'
      ? (await applyPlan(ctx, { identityIds: [before.id] })).activityIds
      : []
  return { before, identity: await findIdentity(ctx, before.id), state, activityIds }
}
