import { z } from 'zod'
import { governanceGroupConnections } from '../../../domain/config/governance-group-connections.js'
import { ConfigError, NotFoundError } from '../../../domain/errors.js'
import type { ApiContext } from '../../api-context.js'
import type { Api } from '../../build-api.js'
import { governanceGroupConnectionJson, governanceGroupJson } from '../../presenters/governance-group-json.js'
import { configObjectRoutes } from '../../v3/config-objects/config-object-routes.js'
import { objectById, removeObject } from '../../v3/config-objects/config-writes.js'
import { idProblems, readFields, refuse, type Existing } from '../../v3/config-objects/read-fields.js'
import { ownerBody, ownerIn } from '../../v3/sources/source-body.js'
import { governanceGroupMemberRoutes } from './governance-group-member-routes.js'

/** The reference's `WorkgroupDto`, strict; its counts and dates are read-only (accepted, not written). */
const workgroupBody = z.strictObject({
  id: z.string().min(1).optional(),
  name: z.string(),
  description: z.string().nullable().optional(),
  owner: ownerBody
    .extend({ displayName: z.unknown().optional(), emailAddress: z.unknown().optional() })
    .nullable()
    .optional(),
  memberCount: z.unknown().optional(),
  connectionCount: z.unknown().optional(),
  created: z.unknown().optional(),
  modified: z.unknown().optional(),
})

/** The Provisio governance group a v3 body describes; its members are kept (they change through bulk-add). */
function readWorkgroupBody(
  body: Record<string, unknown>,
  existing: Existing | undefined,
): Record<string, unknown> {
  refuse(existing ? idProblems(body, String(existing.presented['id'])) : [])
  return readFields(body, { name: {}, description: {}, owner: { read: ownerIn } }, existing)
}

const idParams = z.strictObject({ workgroupId: z.string().min(1).max(256) })
const bulkDeleteBody = z.strictObject({ ids: z.array(z.string().min(1).max(256)).min(1).max(100) })

/**
 * `/beta/workgroups` (and `/v2024`): governance groups, the workspace's `governance-groups/` folder. Listed,
 * read, created, patched (name, description, owner: JSON Patch, as the reference) and deleted like the
 * other configuration objects, through the configuration repository; members change through
 * `…/members/bulk-add` and `bulk-delete` (governance-group-member-routes.ts). A group an approval step
 * names cannot be deleted.
 */
export function governanceGroupRoutes(api: Api, ctx: ApiContext): void {
  for (const base of ['/beta', '/v2024']) {
    const path = `${base}/workgroups`
    // Before the generic routes: `bulk-delete` is not an id.
    api.post(`${path}/bulk-delete`, { schema: { body: bulkDeleteBody } }, async (request, reply) => {
      const results: { id: string; status: number; description: string }[] = []
      const deleted: unknown[] = []
      for (const id of request.body.ids) {
        try {
          const before = objectById(ctx.engine.config, 'governanceGroups', id)
          await removeObject(ctx, request, 'governanceGroups', id, {
            action: 'GOVERNANCE_GROUP_DELETED',
            targetType: 'GOVERNANCE_GROUP',
          })
          deleted.push(before)
          results.push({ id, status: 204, description: 'deleted' })
        } catch (err) {
          if (err instanceof NotFoundError) results.push({ id, status: 404, description: err.message })
          else if (err instanceof ConfigError) {
            const why = err.problems.map((p) => `${p.file}: ${p.path}: ${p.message}`).join('; ')
            results.push({ id, status: 409, description: `in use: ${why}` })
          } else throw err
        }
      }
      // One audit record for the call, with every group it deleted.
      request.auditDetail = {
        action: 'GOVERNANCE_GROUPS_BULK_DELETED',
        targetType: 'GOVERNANCE_GROUP',
        before: deleted,
      }
      return reply.status(207).send(results)
    })

    configObjectRoutes(api, ctx, {
      folder: 'governanceGroups',
      path,
      targetType: 'GOVERNANCE_GROUP',
      body: workgroupBody,
      present: (g, refs) =>
        governanceGroupJson(g, refs, governanceGroupConnections(ctx.engine.config, g).length),
      owners: (g) => [g.owner],
      read: readWorkgroupBody,
      filters: {
        id: { type: 'string', operators: ['eq', 'in', 'sw'] },
        name: { type: 'string', operators: ['eq', 'sw', 'in'] },
        // Sorted by, not filtered by, in the reference.
        description: { type: 'string', operators: [] },
      },
      sorters: ['name', 'id', 'description'],
      update: 'patch',
    })

    api.get(`${path}/:workgroupId/connections`, { schema: { params: idParams } }, async (request) => {
      const group = objectById(ctx.engine.config, 'governanceGroups', request.params.workgroupId)
      return governanceGroupConnections(ctx.engine.config, group).map(governanceGroupConnectionJson)
    })

    governanceGroupMemberRoutes(api, ctx, path)
  }
}
