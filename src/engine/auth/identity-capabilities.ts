import type { Capability } from '../../domain/auth/capabilities.js'
import type { EngineContext } from '../engine-context.js'

/** The capabilities the configuration grants an identity, named in `capabilities:` by its id or its name. */
export function capabilitiesOf(ctx: EngineContext, identity: { id: string; name: string }): Capability[] {
  const granted = ctx.config.settings.capabilities
  return [...new Set([...(granted[identity.id] ?? []), ...(granted[identity.name] ?? [])])]
}
