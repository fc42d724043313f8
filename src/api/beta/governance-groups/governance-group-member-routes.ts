import { z } from 'zod'
import type { GovernanceGroupMember } from '../../../domain/config/governance-group-schema.js'
import type { Identity } from '../../../domain/model.js'
import { rawConfigObject } from '../../../engine/config/change-config.js'
import { findIdentityOrNone } from '../../../engine/queries/get-identity.js'
import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import { collectionQuery, type CollectionQuery } from '../../http/collection-query.js'
import { governanceGroupMemberJson } from '../../presenters/governance-group-json.js'
import { objectById, writeObject } from '../../v3/config-objects/config-writes.js'
import { listPresented } from '../../v3/config-objects/list-presented.js'

const idParams = z.strictObject({ workgroupId: z.string().min(1).max(256) })

/** The reference's `BulkWorkgroupMembersRequestInner`: an identity by id (the name is optional). */
const membersBody = z
  .array(
    z
      .strictObject({
        type: z.literal('IDENTITY').optional(),
        id: z.string().min(1).max(256).optional(),
        name: z.string().min(1).max(256).optional(),
      })
      .refine((m) => m.id !== undefined || m.name !== undefined, 'needs the id (or name) of an identity'),
  )
  .min(1)
  .max(100)

const membersQuery = collectionQuery.pick({ limit: true, offset: true, count: true, sorters: true })

/** One item's outcome, as the reference's 207 answers list them. */
interface ItemStatus {
  readonly id: string
  readonly status: number
  readonly description: string
}

/** The identity each member names (by id, else name), undefined where none has that id or name yet. */
async function resolveMembers(
  ctx: ApiContext,
  members: readonly GovernanceGroupMember[],
): Promise<(Identity | undefined)[]> {
  const out: (Identity | undefined)[] = []
  for (const m of members) {
    const found = m.id !== undefined ? await findIdentityOrNone(ctx.engine, m.id) : undefined
    out.push(found ?? (m.name !== undefined ? await findIdentityOrNone(ctx.engine, m.name) : undefined))
  }
  return out
}

/**
 * A governance group's members: listed as the identities they name, added and removed in bulk (each item
 * answered on its own: 201 added, 204 removed, 404 no such identity or not a member, 409 already a member).
 * A change is written to the group's YAML through the configuration repository and published.
 */
export function governanceGroupMemberRoutes(api: Api, ctx: ApiContext, path: string): void {
  api.get(
    `${path}/:workgroupId/members`,
    { schema: { params: idParams, querystring: membersQuery } },
    async (request, reply) => {
      const group = objectById(ctx.engine.config, 'governanceGroups', request.params.workgroupId)
      const identities = await resolveMembers(ctx, group.members)
      const presented = group.members.map((m, i) => governanceGroupMemberJson(m, identities[i]))
      return listPresented(
        reply,
        presented,
        request.query as CollectionQuery,
        { id: { type: 'string', operators: ['eq'] }, name: { type: 'string', operators: ['eq'] } },
        ['name', 'id'],
      )
    },
  )

  /** Writes the group's members anew: those of its file kept as written, `added` appended, `removed` gone. */
  const writeMembers = async (
    request: Parameters<typeof writeObject>[1],
    id: string,
    change: { added: readonly Record<string, unknown>[]; removed: ReadonlySet<number> },
    action: string,
  ): Promise<void> => {
    const before = objectById(ctx.engine.config, 'governanceGroups', id)
    const raw = (await rawConfigObject(ctx.engine, 'governanceGroups', id))?.value ?? before
    const members = Array.isArray(raw['members']) ? (raw['members'] as unknown[]) : []
    await writeObject(
      ctx,
      request,
      'governanceGroups',
      { ...raw, id, members: [...members.filter((_, i) => !change.removed.has(i)), ...change.added] },
      { action, targetType: 'GOVERNANCE_GROUP', before },
    )
  }

  api.post(
    `${path}/:workgroupId/members/bulk-add`,
    { schema: { params: idParams, body: membersBody } },
    async (request, reply) => {
      const id = request.params.workgroupId
      const group = objectById(ctx.engine.config, 'governanceGroups', id)
      const held = new Set((await resolveMembers(ctx, group.members)).map((i) => i?.id))
      const results: ItemStatus[] = []
      const added: Record<string, unknown>[] = []
      for (const item of request.body) {
        const key = item.id ?? item.name ?? ''
        const identity = await findIdentityOrNone(ctx.engine, key)
        if (!identity) {
          results.push({ id: key, status: 404, description: `no identity with id or name "${key}"` })
        } else if (held.has(identity.id)) {
          results.push({ id: identity.id, status: 409, description: `${identity.name} is already a member` })
        } else {
          held.add(identity.id)
          added.push({ type: 'IDENTITY', id: identity.id, name: identity.name })
          results.push({ id: identity.id, status: 201, description: `${identity.name} added` })
        }
      }
      if (added.length > 0) {
        await writeMembers(request, id, { added, removed: new Set() }, 'GOVERNANCE_GROUP_MEMBERS_ADDED')
      }
      return reply.status(207).send(results)
    },
  )

  api.post(
    `${path}/:workgroupId/members/bulk-delete`,
    { schema: { params: idParams, body: membersBody } },
    async (request, reply) => {
      const id = request.params.workgroupId
      const group = objectById(ctx.engine.config, 'governanceGroups', id)
      const identities = await resolveMembers(ctx, group.members)
      const results: ItemStatus[] = []
      const removed = new Set<number>()
      for (const item of request.body) {
        const key = item.id ?? item.name ?? ''
        const identity = await findIdentityOrNone(ctx.engine, key)
        // A member is matched by the identity it names, or as written when it names none (yet).
        const index = group.members.findIndex(
          (m, i) =>
            !removed.has(i) &&
            ((identity !== undefined && identities[i]?.id === identity.id) || m.id === key || m.name === key),
        )
        if (index < 0) results.push({ id: key, status: 404, description: `"${key}" is not a member` })
        else {
          removed.add(index)
          results.push({ id: identity?.id ?? key, status: 204, description: 'removed' })
        }
      }
      if (removed.size > 0) {
        await writeMembers(request, id, { added: [], removed }, 'GOVERNANCE_GROUP_MEMBERS_REMOVED')
      }
      return reply.status(207).send(results)
    },
  )
}
