import { ConflictError } from '../errors.js'
import type { SourceAccount } from '../model.js'
import { hashText, stableStringify } from '../stable-hash.js'

/** What the store already holds for an account of the source. */
export interface StoredAccountRef {
  readonly id: string
  readonly hash: string
  readonly identityId: string | null
}

/** An account as read, with its content hash and its attributes already serialised (stored as is). */
export interface HashedAccount {
  readonly account: SourceAccount
  readonly hash: string
  readonly attributesJson: string
}

export interface AccountDiff {
  readonly created: HashedAccount[]
  readonly updated: (HashedAccount & { readonly id: string; readonly identityId: string | null })[]
  readonly unchanged: number
  /** Stored accounts the source no longer reports. */
  readonly deleted: (StoredAccountRef & { readonly nativeIdentity: string })[]
}

export function hashAccount(a: SourceAccount): { hash: string; attributesJson: string } {
  const attributesJson = stableStringify(a.attributes)
  const flags = `${a.disabled ? 1 : 0}${a.locked ? 1 : 0}`
  return { hash: hashText(`${a.displayName ?? ''}\u0000${flags}\u0000${attributesJson}`), attributesJson }
}

/**
 * Compares what a source reports now with what is stored. A full aggregation that would delete
 * more than `deleteThreshold` percent of the stored accounts is refused: a truncated or wrong file
 * must not wipe out a source.
 */
export function diffAccounts(
  incoming: readonly SourceAccount[],
  stored: ReadonlyMap<string, StoredAccountRef>,
  deleteThreshold: number,
  sourceName: string,
): AccountDiff {
  const created: HashedAccount[] = []
  const updated: AccountDiff['updated'] = []
  let unchanged = 0
  const present = new Set<string>()
  for (const account of incoming) {
    present.add(account.nativeIdentity)
    const { hash, attributesJson } = hashAccount(account)
    const existing = stored.get(account.nativeIdentity)
    if (!existing) created.push({ account, hash, attributesJson })
    else if (existing.hash !== hash) {
      updated.push({ account, hash, attributesJson, id: existing.id, identityId: existing.identityId })
    } else unchanged++
  }
  const deleted: AccountDiff['deleted'] = []
  for (const [nativeIdentity, ref] of stored) {
    if (!present.has(nativeIdentity)) deleted.push({ ...ref, nativeIdentity })
  }
  if (stored.size > 0 && deleted.length > 0) {
    const percent = (deleted.length / stored.size) * 100
    if (percent > deleteThreshold) {
      throw new ConflictError(
        `aggregation of source "${sourceName}" stopped: it would delete ${deleted.length} of ${stored.size} accounts ` +
          `(${percent.toFixed(1)}%), more than the source's deleteThreshold of ${deleteThreshold}%; nothing was changed`,
      )
    }
  }
  return { created, updated, unchanged, deleted }
}
