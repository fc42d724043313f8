import { ForbiddenError } from '../../domain/errors.js'
import type { RequestActor } from '../requests/access-request-actor.js'

/** Who acts on campaigns and certifications: the same actor as access requests (a person or an API client). */
export type CampaignActor = RequestActor

/** Campaign administrators: create, activate, complete, reassign, read every certification. */
export function isCampaignAdmin(actor: CampaignActor): boolean {
  return actor.capabilities.includes('ORG_ADMIN') || actor.capabilities.includes('CERT_ADMIN')
}

export function requireCampaignAdmin(actor: CampaignActor, what: string): void {
  if (!isCampaignAdmin(actor)) throw new ForbiddenError(`${what} needs ORG_ADMIN or CERT_ADMIN`)
}

/** Who decided, as recorded: the identity, or the API client that acted without one. */
export function actorName(actor: CampaignActor): string {
  return actor.identityId ?? `client:${actor.clientId}`
}
