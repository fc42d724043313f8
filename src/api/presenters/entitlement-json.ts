import type { Entitlement } from '../../domain/model.js'

/** An entitlement as `entitlements --json` prints it. */
export function entitlementJson(e: Entitlement): object {
  return {
    id: e.id,
    sourceId: e.sourceId,
    sourceName: e.sourceName,
    attribute: e.attribute,
    value: e.value,
    displayName: e.displayName,
    requestable: e.requestable,
    ownerId: e.ownerId,
    ownerName: e.ownerName,
    created: e.created,
    modified: e.modified,
  }
}
