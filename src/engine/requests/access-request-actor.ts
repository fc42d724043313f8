import type { Capability } from '../../domain/auth/capabilities.js'

/**
 * Who acts on access requests: a person (their identity) through a token, a session or the CLI, or an
 * API client without an identity, with the capabilities their credential carries.
 */
export interface RequestActor {
  /** The acting identity; null for an API client without user context. */
  readonly identityId: string | null
  /** The credential's client id (`cli` for the command line on this machine). */
  readonly clientId: string
  readonly capabilities: readonly Capability[]
}

export function isOrgAdmin(actor: RequestActor): boolean {
  return actor.capabilities.includes('ORG_ADMIN')
}
