import type { Identity } from '../../domain/model.js'

/** An identity as the reference's auth user (`/auth-users/{id}`): who signs in, with what capabilities. */
export function authUserJson(i: Identity, tenant: string, capabilities: readonly string[]): object {
  const a = i.attributes
  return {
    tenant,
    id: i.id,
    uid: i.name,
    profile: i.identityProfile,
    identificationNumber: a['employeeNumber'] ?? null,
    email: a['email'] ?? null,
    phone: a['phone'] ?? null,
    workPhone: a['workPhone'] ?? null,
    personalEmail: null,
    firstname: a['firstname'] ?? null,
    lastname: a['lastname'] ?? null,
    displayName: a['displayName'] ?? i.name,
    alias: i.name,
    capabilities: [...capabilities],
  }
}
