import type { ApiCredential } from '../../engine/auth/credentials.js'

/** A personal access token in the v3 shape (GetPersonalAccessTokenResponse); never a secret. */
export function personalAccessTokenV3Json(
  c: ApiCredential,
  owner: { id: string; name: string } | null,
  accessTokenValiditySeconds: number,
): object {
  return {
    id: c.clientId,
    name: c.name,
    scope: c.scopes,
    owner: { type: 'IDENTITY', id: c.ownerIdentityId, name: owner?.name ?? null },
    created: c.created,
    lastUsed: c.lastUsed,
    managed: false,
    accessTokenValiditySeconds,
    ...(c.expires !== null ? { expirationDate: c.expires } : {}),
  }
}

/** An API client in the v3 shape (GetOAuthClientResponse), with Provisio's `capabilities`; never a secret. */
export function oauthClientV3Json(
  c: ApiCredential,
  accessTokenValiditySeconds: number,
  tenant: string,
): object {
  return {
    id: c.clientId,
    businessName: tenant,
    homepageUrl: '',
    name: c.name,
    description: c.name,
    accessTokenValiditySeconds,
    // Client credentials only: no refresh token, no redirect.
    refreshTokenValiditySeconds: 0,
    redirectUris: [],
    grantTypes: ['CLIENT_CREDENTIALS'],
    accessType: 'OFFLINE',
    type: 'CONFIDENTIAL',
    internal: false,
    enabled: c.revoked === null,
    strongAuthSupported: false,
    claimsSupported: false,
    created: c.created,
    modified: c.revoked ?? c.created,
    lastUsed: c.lastUsed,
    scope: c.scopes,
    capabilities: c.capabilities,
  }
}
