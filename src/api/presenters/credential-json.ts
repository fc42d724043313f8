import type { ApiCredential } from '../../engine/auth/credentials.js'

/**
 * A personal access token or API client as `token list --json` prints it (and the API's listings will):
 * the reference's names (`id`, `scope`, `owner`, `lastUsed`) with what Provisio adds. Never a secret.
 */
export function credentialJson(c: ApiCredential): object {
  return {
    id: c.clientId,
    kind: c.kind,
    name: c.name,
    owner: c.ownerIdentityId === null ? null : { type: 'IDENTITY', id: c.ownerIdentityId },
    scope: c.scopes,
    capabilities: c.capabilities,
    created: c.created,
    expires: c.expires,
    lastUsed: c.lastUsed,
    revoked: c.revoked,
  }
}
