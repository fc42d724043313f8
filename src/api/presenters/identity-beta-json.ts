import type { Identity } from '../../domain/model.js'

/** What the presenter needs beyond the identity: its lifecycle state's identity state, and whether it manages anyone. */
export interface IdentityFacts {
  /** The configured state's `identityState` (null: ACTIVE); undefined when the state is not configured. */
  readonly identityState?: string | null
  readonly isManager: boolean
}

/**
 * An identity in the shape of the beta and v2024 `Identity` of `/identities`: `name` is its display
 * name and `alias` its unique name (Provisio's identity name), as the reference has them. `identityStatus`
 * follows the lifecycle state (an inactive state shows DISABLED); an identity whose authoritative
 * account is gone shows ERROR. Provisio's own fields come after the reference's.
 */
export function identityBetaJson(i: Identity, facts: IdentityFacts): object {
  const display = i.attributes['displayName']
  return {
    id: i.id,
    name: typeof display === 'string' && display !== '' ? display : i.name,
    created: i.created,
    modified: i.modified,
    alias: i.name,
    emailAddress: i.attributes['email'] ?? null,
    processingState: i.processingState,
    identityStatus:
      i.authoritativeAccountRemoved !== null
        ? 'ERROR'
        : facts.identityState === null ||
            facts.identityState === undefined ||
            facts.identityState === 'ACTIVE'
          ? 'ACTIVE'
          : 'DISABLED',
    managerRef:
      i.managerId === null ? null : { type: 'IDENTITY', id: i.managerId, name: i.managerName ?? undefined },
    isManager: facts.isManager,
    lastRefresh: i.modified,
    attributes: i.attributes,
    ...(i.lifecycleState !== null
      ? { lifecycleState: { stateName: i.lifecycleState, manuallyUpdated: false } }
      : {}),
    identityProfile: { name: i.identityProfile },
    processingError: i.processingError,
    authoritativeAccountRemoved: i.authoritativeAccountRemoved,
  }
}
