import { DEFAULT_SCOPES } from '../../domain/auth/capabilities.js'
import { scopesBeyond } from '../../domain/auth/scopes.js'
import { ForbiddenError } from '../../domain/errors.js'
import type { Principal } from '../../engine/auth/tokens.js'

/**
 * A credential made over the API gets no scope its maker's token lacks: else a token limited to making
 * personal access tokens would make one of sp:scopes:all, and scopes would widen. `wanted` is the create
 * body's `scope` (none: the default, sp:scopes:all).
 */
export function refuseWiderScopes(principal: Principal, wanted: readonly string[] | null | undefined): void {
  const asked = wanted == null || wanted.length === 0 ? DEFAULT_SCOPES : wanted
  const beyond = scopesBeyond(principal.scopes, asked)
  if (beyond.length > 0) {
    throw new ForbiddenError(
      `this token's scopes (${principal.scopes.join(', ')}) do not include ${beyond.join(', ')}: a credential it makes cannot have more`,
    )
  }
}
