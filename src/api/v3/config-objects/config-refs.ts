import type { ObjectRef } from '../../../domain/config/schema-primitives.js'
import type { Located, WorkspaceConfig } from '../../../domain/config/workspace-config.js'
import { findIdentityOrNone } from '../../../engine/queries/get-identity.js'
import type { ApiContext } from '../../api-context.js'
import type { ConfigRefs } from '../../presenters/config-refs.js'

/**
 * The references the presenters resolve, for these owners: identities are looked up in the store once each
 * (by id, else by name), configured objects in the configuration the engine runs with.
 */
export async function loadConfigRefs(
  ctx: ApiContext,
  owners: readonly (ObjectRef | undefined)[],
): Promise<ConfigRefs> {
  const identities = new Map<string, { id: string; name: string } | undefined>()
  for (const ref of owners) {
    const key = ref?.id ?? ref?.name
    if (key === undefined || identities.has(key)) continue
    const found = await findIdentityOrNone(ctx.engine, key)
    identities.set(key, found ? { id: found.id, name: found.name } : undefined)
  }
  const config = ctx.engine.config
  return {
    identity: (ref) => identities.get(ref.id ?? ref.name ?? '') ?? {},
    source: (key) => byNameOrId(config.sources, key),
    accessProfile: (key) => byNameOrId(config.accessProfiles, key),
  }
}

function byNameOrId(
  objects: WorkspaceConfig['sources'] | WorkspaceConfig['accessProfiles'],
  key: string,
): { id: string; name: string } | undefined {
  const found = (objects as readonly Located<{ id?: string; name: string }>[]).find(
    (o) => o.value.id === key || o.value.name === key,
  )
  return found ? { id: found.value.id ?? '', name: found.value.name } : undefined
}
