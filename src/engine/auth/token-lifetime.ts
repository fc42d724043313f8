import type { EngineContext } from '../engine-context.js'

/**
 * How long an access token lives unless `server.accessTokenValiditySeconds` says otherwise: 749 seconds,
 * the `expires_in` of the reference's documented token response (about 12 minutes).
 */
export const DEFAULT_TOKEN_SECONDS = 749

/** The longest the setting allows (the reference's maximum), and so the longest a retired key is kept. */
export const MAX_TOKEN_SECONDS = 43_200

export function tokenSeconds(ctx: EngineContext): number {
  return ctx.config.settings.server.accessTokenValiditySeconds ?? DEFAULT_TOKEN_SECONDS
}
