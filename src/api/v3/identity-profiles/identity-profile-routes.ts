import { z } from 'zod'
import type { IdentityProfileConfig, LifecycleStateConfig } from '../../../domain/config/config-schemas.js'
import { applyJsonPatch, jsonPatchBody } from '../../http/json-patch.js'
import { NotFoundError } from '../../../domain/errors.js'
import { rawConfigObject } from '../../../engine/config/change-config.js'
import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import { collectionQuery } from '../../http/collection-query.js'
import { parseRequest } from '../../http/request-problems.js'
import { identityProfileV3Json, lifecycleStateV3Json } from '../../presenters/identity-profile-v3-json.js'
import { loadConfigRefs } from '../config-objects/config-refs.js'
import { objectById, writeObject } from '../config-objects/config-writes.js'
import { listPresented } from '../config-objects/list-presented.js'
import { idProblems, readFields, refuse, type Existing } from '../config-objects/read-fields.js'
import { newId } from '../../../domain/new-id.js'

const profileParams = z.strictObject({ identityProfileId: z.string().min(1).max(256) })
const stateParams = z.strictObject({
  identityProfileId: z.string().min(1).max(256),
  lifecycleStateId: z.string().min(1).max(256),
})

/** The reference's LifecycleState, strict; references, technical names and source lists are validate's. */
const lifecycleStateBody = z.strictObject({
  id: z.string().min(1).optional(),
  name: z.string(),
  technicalName: z.string(),
  description: z.string().nullable().optional(),
  enabled: z.boolean().nullable().optional(),
  emailNotificationOption: z
    .strictObject({
      notifyManagers: z.boolean().optional(),
      notifyAllAdmins: z.boolean().optional(),
      notifySpecificUsers: z.boolean().optional(),
      emailAddressList: z.array(z.string()).optional(),
    })
    .nullable()
    .optional(),
  accountActions: z
    .array(
      z.strictObject({
        action: z.enum(['ENABLE', 'DISABLE', 'DELETE']),
        sourceIds: z.array(z.string().min(1)).optional(),
        excludeSourceIds: z.array(z.string().min(1)).optional(),
        allSources: z.boolean().optional(),
      }),
    )
    .nullable()
    .optional(),
  accessProfileIds: z.array(z.string().min(1)).nullable().optional(),
  identityState: z.string().nullable().optional(),
  priority: z.number().int().nullable().optional(),
  accessActionConfiguration: z.strictObject({ removeAllAccessEnabled: z.boolean() }).nullable().optional(),
  identityCount: z.unknown().optional(),
  created: z.unknown().optional(),
  modified: z.unknown().optional(),
})

const STATE_FIELDS = {
  name: {},
  technicalName: {},
  description: {},
  enabled: {},
  emailNotificationOption: {},
  accountActions: {},
  accessProfileIds: {},
  identityState: {},
  priority: {},
  accessActionConfiguration: {},
}

/** `/v3/identity-profiles` (read) and their lifecycle states (read and write, through the profile's file). */
export function identityProfileRoutes(api: Api, ctx: ApiContext): void {
  const present = async (profiles: readonly IdentityProfileConfig[]) => {
    const refs = await loadConfigRefs(ctx, [])
    return profiles.map((p) => identityProfileV3Json(p, refs))
  }
  const presentStates = async (states: readonly LifecycleStateConfig[]) => {
    const refs = await loadConfigRefs(ctx, [])
    return states.map((s) => lifecycleStateV3Json(s, refs))
  }
  const profileOf = (id: string) => objectById(ctx.engine.config, 'identityProfiles', id)
  const stateOf = (profile: IdentityProfileConfig, id: string) => {
    const index = profile.lifecycleStates.findIndex((s) => s.id === id)
    if (index < 0) {
      throw new NotFoundError(`identity profile "${profile.name}" has no lifecycle state with id "${id}"`)
    }
    return { index, state: profile.lifecycleStates[index] as LifecycleStateConfig }
  }

  api.get('/v3/identity-profiles', { schema: { querystring: collectionQuery } }, async (request, reply) =>
    listPresented(
      reply,
      await present(ctx.engine.config.identityProfiles.map((p) => p.value)),
      request.query,
      {
        id: { type: 'string', operators: ['eq', 'ne', 'gt', 'ge', 'in', 'le', 'sw'] },
        name: {
          type: 'string',
          operators: ['eq', 'ne', 'gt', 'ge', 'in', 'le', 'sw'],
          caseInsensitive: true,
        },
        priority: { type: 'number', operators: ['eq', 'ne'] },
      },
      ['id', 'name', 'priority'],
    ),
  )

  api.get(
    '/v3/identity-profiles/:identityProfileId',
    { schema: { params: profileParams } },
    async (request) => {
      const [presented] = await present([profileOf(request.params.identityProfileId)])
      return presented
    },
  )

  api.get(
    '/v3/identity-profiles/:identityProfileId/lifecycle-states',
    { schema: { params: profileParams, querystring: collectionQuery } },
    async (request, reply) =>
      listPresented(
        reply,
        await presentStates(profileOf(request.params.identityProfileId).lifecycleStates),
        request.query,
        {
          id: { type: 'string', operators: ['eq', 'in'] },
          name: { type: 'string', operators: ['eq', 'sw', 'co'], caseInsensitive: true },
          technicalName: { type: 'string', operators: ['eq', 'in', 'sw'] },
          enabled: { type: 'boolean', operators: ['eq'] },
          priority: { type: 'number', operators: ['eq', 'lt', 'gt'] },
        },
        ['name', 'priority', 'technicalName', 'id'],
      ),
  )

  api.get(
    '/v3/identity-profiles/:identityProfileId/lifecycle-states/:lifecycleStateId',
    { schema: { params: stateParams } },
    async (request) => {
      const profile = profileOf(request.params.identityProfileId)
      const [presented] = await presentStates([stateOf(profile, request.params.lifecycleStateId).state])
      return presented
    },
  )

  /**
   * Writes the profile with its states changed by `change` (given the states as its file says them), records
   * the state before and after, and returns the state as the new configuration has it.
   */
  const writeStates = async (
    request: Parameters<typeof writeObject>[1],
    profileId: string,
    action: string,
    stateId: string,
    before: LifecycleStateConfig | undefined,
    change: (states: Record<string, unknown>[]) => number,
  ): Promise<LifecycleStateConfig | undefined> => {
    const profile = profileOf(profileId)
    const raw = (await rawConfigObject(ctx.engine, 'identityProfiles', profileId))?.value ?? profile
    const states = Array.isArray(raw['lifecycleStates'])
      ? [...(raw['lifecycleStates'] as Record<string, unknown>[])]
      : []
    const at = change(states)
    const { value } = await writeObject(
      ctx,
      request,
      'identityProfiles',
      { ...raw, lifecycleStates: states, id: profileId },
      { action, targetType: 'LIFECYCLE_STATE' },
      (path) => {
        const m = /^lifecycleStates\[(\d+)\]\.?(.*)$/.exec(path)
        if (!m || Number(m[1]) !== at) return undefined
        return m[2] ? `body.${m[2]}` : 'body'
      },
    )
    const after = value.lifecycleStates.find((s) => s.id === stateId)
    request.auditDetail = {
      action,
      targetType: 'LIFECYCLE_STATE',
      targetId: stateId,
      targetName: after?.name ?? before?.name ?? '',
      ...(before ? { before } : {}),
      ...(after ? { after } : {}),
    }
    return after
  }

  const presentOne = async (state: LifecycleStateConfig | undefined) =>
    state ? (await presentStates([state]))[0] : null

  api.post(
    '/v3/identity-profiles/:identityProfileId/lifecycle-states',
    { schema: { params: profileParams, body: lifecycleStateBody } },
    async (request, reply) => {
      const body = request.body as Record<string, unknown>
      const id = typeof body['id'] === 'string' ? body['id'] : newId()
      const state = { ...readFields(body, STATE_FIELDS, undefined), id }
      const after = await writeStates(
        request,
        request.params.identityProfileId,
        'LIFECYCLE_STATE_CREATED',
        id,
        undefined,
        (states) => {
          states.push(state)
          return states.length - 1
        },
      )
      return reply.status(201).send(await presentOne(after))
    },
  )

  const replaceState = async (
    request: Parameters<typeof writeObject>[1],
    params: { identityProfileId: string; lifecycleStateId: string },
    bodyOf: (presented: Record<string, unknown>) => Record<string, unknown>,
  ) => {
    const profile = profileOf(params.identityProfileId)
    const { index, state } = stateOf(profile, params.lifecycleStateId)
    const [presented] = await presentStates([state])
    const body = bodyOf(presented as Record<string, unknown>)
    refuse(idProblems(body, params.lifecycleStateId))
    const after = await writeStates(
      request,
      params.identityProfileId,
      'LIFECYCLE_STATE_UPDATED',
      params.lifecycleStateId,
      state,
      (states) => {
        const existing: Existing = {
          raw: states[index] ?? {},
          presented: presented as Record<string, unknown>,
        }
        // The id is written down: a state whose id was derived from its technical name keeps it when renamed.
        states[index] = { ...readFields(body, STATE_FIELDS, existing), id: params.lifecycleStateId }
        return index
      },
    )
    return presentOne(after)
  }

  api.put(
    '/v3/identity-profiles/:identityProfileId/lifecycle-states/:lifecycleStateId',
    { schema: { params: stateParams, body: lifecycleStateBody } },
    async (request) => replaceState(request, request.params, () => request.body as Record<string, unknown>),
  )

  api.patch(
    '/v3/identity-profiles/:identityProfileId/lifecycle-states/:lifecycleStateId',
    { schema: { params: stateParams, body: jsonPatchBody } },
    async (request) =>
      replaceState(request, request.params, (presented) =>
        parseRequest(lifecycleStateBody, applyJsonPatch(presented, request.body)),
      ),
  )

  api.delete(
    '/v3/identity-profiles/:identityProfileId/lifecycle-states/:lifecycleStateId',
    { schema: { params: stateParams } },
    async (request, reply) => {
      const { identityProfileId, lifecycleStateId } = request.params
      const { index, state } = stateOf(profileOf(identityProfileId), lifecycleStateId)
      await writeStates(
        request,
        identityProfileId,
        'LIFECYCLE_STATE_DELETED',
        lifecycleStateId,
        state,
        (states) => {
          states.splice(index, 1)
          return -1
        },
      )
      return reply.status(202).send({ type: 'LIFECYCLE_STATE', id: lifecycleStateId, name: state.name })
    },
  )
}
