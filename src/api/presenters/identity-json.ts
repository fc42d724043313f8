import type { Account, Identity } from '../../domain/model.js'
import { accountJson } from './account-json.js'

/** An identity as `identities --json` prints it (and the API's identity resource will). */
export function identityJson(i: Identity): object {
  return {
    id: i.id,
    name: i.name,
    identityProfile: i.identityProfile,
    attributes: i.attributes,
    lifecycleState: i.lifecycleState,
    managerId: i.managerId,
    ...(i.managerName !== undefined ? { managerName: i.managerName } : {}),
    authoritativeAccountRemoved: i.authoritativeAccountRemoved,
    processingState: i.processingState,
    processingError: i.processingError,
    created: i.created,
    modified: i.modified,
  }
}

/** An identity with its accounts: the stable `identity --json` shape. */
export function identityDetailJson(i: Identity, accounts: readonly Account[]): object {
  return { ...identityJson(i), accounts: accounts.map(accountJson) }
}
