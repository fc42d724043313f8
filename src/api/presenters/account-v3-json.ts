import type { Account } from '../../domain/model.js'

/**
 * An account in the v3 API's shape (`Account` of the reference's OpenAPI document). `hasEntitlements`:
 * whether any of its entitlement attributes holds a value; the caller knows which attributes those are.
 */
export function accountV3Json(a: Account, entitlementAttributes: readonly string[] = []): object {
  const hasEntitlements = entitlementAttributes.some((name) => {
    const v = a.attributes[name]
    return Array.isArray(v) ? v.length > 0 : v !== null && v !== undefined && v !== ''
  })
  return {
    id: a.id,
    name: a.displayName ?? a.nativeIdentity,
    created: a.created,
    modified: a.modified,
    sourceId: a.sourceId,
    sourceName: a.sourceName,
    identityId: a.identityId,
    identity: a.identityId === null ? null : { type: 'IDENTITY', id: a.identityId },
    attributes: a.attributes,
    authoritative: a.authoritative,
    description: null,
    disabled: a.disabled,
    locked: a.locked,
    nativeIdentity: a.nativeIdentity,
    uuid: null,
    systemAccount: false,
    isMachine: false,
    uncorrelated: a.identityId === null,
    manuallyCorrelated: a.manuallyCorrelated,
    hasEntitlements,
    connectionType: 'direct',
    features: null,
    origin: 'AGGREGATED',
  }
}
