import type { GovernanceGroupConnection } from '../../domain/config/governance-group-connections.js'
import type { GovernanceGroupConfig } from '../../domain/config/governance-group-schema.js'
import type { Identity } from '../../domain/model.js'
import { identityRefJson, type ConfigRefs } from './config-refs.js'

/**
 * A governance group in the reference's shape (beta `WorkgroupDto`). Provisio keeps no creation or change
 * dates of configuration objects (their published versions do), so `created` and `modified` are left out.
 */
export function governanceGroupJson(
  g: GovernanceGroupConfig,
  refs: ConfigRefs,
  connectionCount: number,
): Record<string, unknown> {
  return {
    id: g.id,
    name: g.name,
    description: g.description ?? null,
    ...(g.owner !== undefined ? { owner: identityRefJson(refs, g.owner) } : {}),
    memberCount: g.members.length,
    connectionCount,
  }
}

/**
 * A member as the reference lists them (`{type: IDENTITY, id, name, email}`): the identity it names, or as
 * the workspace names it when no identity has that id or name (yet).
 */
export function governanceGroupMemberJson(
  member: { readonly id?: string | undefined; readonly name?: string | undefined },
  identity: Identity | undefined,
): Record<string, unknown> {
  if (!identity) {
    return {
      type: 'IDENTITY',
      ...(member.id !== undefined ? { id: member.id } : {}),
      ...(member.name !== undefined ? { name: member.name } : {}),
    }
  }
  const email = identity.attributes['email']
  return { type: 'IDENTITY', id: identity.id, name: identity.name, ...(email ? { email } : {}) }
}

/** A connection as the reference's `WorkgroupConnectionDto`: the object and how it uses the group. */
export function governanceGroupConnectionJson(c: GovernanceGroupConnection): Record<string, unknown> {
  return {
    object: { type: c.type, id: c.id, name: c.name, description: c.description ?? null },
    connectionType: c.connectionType,
  }
}
