import type {
  AccessProfileConfig,
  EntitlementRefConfig,
  RoleConfig,
  RoleEntitlementRefConfig,
} from '../../domain/config/config-schemas.js'
import { identityRefJson, objectRefJson, type ConfigRefs } from './config-refs.js'

/**
 * An entitlement reference in the reference's shape (`EntitlementRef`: type, id, name), keeping what
 * Provisio names it by (its source, attribute and value), which a v3 client may ignore and send back.
 */
function entitlementRefJson(
  e: EntitlementRefConfig | RoleEntitlementRefConfig,
  refs: ConfigRefs,
): Record<string, unknown> {
  return {
    type: 'ENTITLEMENT',
    ...(e.id !== undefined ? { id: e.id } : {}),
    name: e.name ?? e.value ?? null,
    ...(e.source !== undefined ? { source: objectRefJson('SOURCE', e.source, (k) => refs.source(k)) } : {}),
    ...(e.attribute !== undefined ? { attribute: e.attribute } : {}),
    ...(e.value !== undefined ? { value: e.value } : {}),
  }
}

/** The request and revocation settings, as the reference has them; absent when not configured. */
function requestConfigs(o: AccessProfileConfig | RoleConfig): Record<string, unknown> {
  return {
    ...(o.accessRequestConfig !== undefined ? { accessRequestConfig: o.accessRequestConfig } : {}),
    ...(o.revocationRequestConfig !== undefined
      ? { revocationRequestConfig: o.revocationRequestConfig }
      : {}),
  }
}

/** An access profile in the reference's shape (`AccessProfile`); Provisio's field names are the reference's. */
export function accessProfileV3Json(a: AccessProfileConfig, refs: ConfigRefs): Record<string, unknown> {
  return {
    id: a.id,
    name: a.name,
    description: a.description ?? null,
    enabled: a.enabled,
    ...(a.owner !== undefined ? { owner: identityRefJson(refs, a.owner) } : {}),
    source: objectRefJson('SOURCE', a.source, (k) => refs.source(k)),
    entitlements: a.entitlements.map((e) => entitlementRefJson(e, refs)),
    requestable: a.requestable,
    ...requestConfigs(a),
    segments: a.segments ?? null,
    provisioningCriteria: a.provisioningCriteria ?? null,
  }
}

/** A role in the reference's shape (`Role`); Provisio's field names are the reference's. */
export function roleV3Json(r: RoleConfig, refs: ConfigRefs): Record<string, unknown> {
  return {
    id: r.id,
    name: r.name,
    description: r.description ?? null,
    ...(r.owner !== undefined ? { owner: identityRefJson(refs, r.owner) } : {}),
    accessProfiles: r.accessProfiles.map((ap) =>
      objectRefJson('ACCESS_PROFILE', ap, (k) => refs.accessProfile(k)),
    ),
    entitlements: r.entitlements.map((e) => entitlementRefJson(e, refs)),
    membership: r.membership ?? null,
    enabled: r.enabled,
    requestable: r.requestable,
    ...requestConfigs(r),
    segments: r.segments ?? null,
    dimensional: false,
  }
}
