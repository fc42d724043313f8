import type { Entitlement } from '../../domain/model.js'

/**
 * An entitlement in the reference's shape: v3's `Entitlement` (an account's entitlements) and the beta and
 * v2024 `Entitlement` of `/entitlements`, which share their fields. Provisio keeps no privilege or segments
 * of entitlements; `modified` is when its requestability or owner last changed, else when it was first seen.
 */
export function entitlementV3Json(e: Entitlement): object {
  return {
    id: e.id,
    name: e.displayName ?? e.value,
    attribute: e.attribute,
    value: e.value,
    sourceSchemaObjectType: 'group',
    description: null,
    privileged: false,
    cloudGoverned: false,
    requestable: e.requestable,
    owner: e.ownerId === null ? null : { type: 'IDENTITY', id: e.ownerId, name: e.ownerName ?? e.ownerId },
    created: e.created,
    modified: e.modified,
    source: { id: e.sourceId, type: 'SOURCE', name: e.sourceName },
    attributes: {},
    segments: null,
    directPermissions: [],
  }
}
