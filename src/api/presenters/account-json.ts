import type { Account } from '../../domain/model.js'

/** An account as `accounts --json` prints it. */
export function accountJson(a: Account): object {
  return {
    id: a.id,
    sourceId: a.sourceId,
    sourceName: a.sourceName,
    nativeIdentity: a.nativeIdentity,
    displayName: a.displayName,
    identityId: a.identityId,
    authoritative: a.authoritative,
    attributes: a.attributes,
    disabled: a.disabled,
    locked: a.locked,
    manuallyCorrelated: a.manuallyCorrelated,
    created: a.created,
    modified: a.modified,
  }
}
