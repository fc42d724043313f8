import type { ObjectRef } from '../../domain/config/schema-primitives.js'
import { findGovernanceGroup } from '../../domain/config/workspace-config.js'
import type { EngineContext } from '../engine-context.js'

/** A governance group as approvals use it: its id, name and members (identities by id or name). */
export interface ApprovingGroup {
  readonly id: string
  readonly name: string
  readonly members: readonly ObjectRef[]
}

/** The governance group with this id or name, from the workspace's `governance-groups/`. */
export function governanceGroupOf(
  ctx: Pick<EngineContext, 'config'>,
  idOrName: string,
): ApprovingGroup | undefined {
  const found = findGovernanceGroup(ctx.config, idOrName)
  return found && { id: found.id ?? found.name, name: found.name, members: found.members ?? [] }
}

/** The ids of the governance groups an identity (by id and name) is a member of. */
export function groupsOfMember(
  ctx: Pick<EngineContext, 'config'>,
  identity: { id: string; name: string },
): string[] {
  return ctx.config.governanceGroups
    .filter((g) => (g.value.members ?? []).some((m) => m.id === identity.id || m.name === identity.name))
    .map((g) => g.value.id ?? g.value.name)
}
