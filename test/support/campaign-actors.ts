import type { CampaignActor } from '../../src/engine/certifications/campaign-actor.js'

/** A campaign administrator acting as an API client (no identity of its own). */
export const CERT_ADMIN: CampaignActor = {
  identityId: null,
  clientId: 'cert-admin',
  capabilities: ['CERT_ADMIN'],
}

/** A person signed in without capabilities: a reviewer acting on their own certifications. */
export const personActor = (identityId: string): CampaignActor => ({
  identityId,
  clientId: `pat-${identityId}`,
  capabilities: [],
})
