/** What identity processing reads for the identities it re-builds: their accounts, as transforms see them. */
import { accountEntitlements } from '../domain/config/account-entitlements.js'
import { entitlementAttributesOf, findSource } from '../domain/config/workspace-config.js'
import type { BuiltIdentity, CompiledIdentityProfile } from '../domain/identity/compile-identity-profile.js'
import type { Account } from '../domain/model.js'
import type { TransformAccount } from '../domain/transforms/transform-types.js'
import { loadAccountsOf } from '../store/account-processing.js'
import type { Db } from '../store/db.js'
import { loadIdentityAttributesByName } from '../store/identities.js'
import { ensureSource } from '../store/sources.js'
import type { EngineContext } from './engine-context.js'

/** One identity to (re)build: its authoritative account and the hash of its inputs. */
export interface WorkItem {
  readonly identityId: string
  readonly isNew: boolean
  readonly accountId: string
  readonly nativeIdentity: string
  readonly inputsHash: string
  accounts: Account[]
  built?: BuiltIdentity
  managerId: string | null
}

/** The ids of the sources whose accounts are inputs of the profile (null: all of them). */
export async function inputSourceIds(
  ctx: EngineContext,
  compiled: CompiledIdentityProfile,
  authId: string,
): Promise<ReadonlySet<string> | null> {
  if (compiled.sourcesRead === 'all') return null
  const ids = new Set([authId])
  for (const name of compiled.sourcesRead) {
    const source = findSource(ctx.config, name)
    if (source) ids.add(await ensureSource(ctx.db, source.name, source.id))
  }
  return ids
}

/**
 * Loads the input accounts of every work item. When most identities are re-built, one scan of the
 * input sources is far cheaper than many lookups by identity.
 */
export async function attachAccounts(
  db: Db,
  work: readonly WorkItem[],
  inputSources: ReadonlySet<string> | null,
  population: number,
): Promise<void> {
  if (work.length === 0) return
  const byIdentity = new Map(work.map((w) => [w.identityId, w]))
  const accounts =
    work.length > population / 4
      ? await loadAccountsOf(db, { sourceIds: inputSources })
      : await loadAccountsOf(db, { sourceIds: inputSources, identityIds: [...byIdentity.keys()] })
  for (const a of accounts) {
    if (a.identityId !== null) byIdentity.get(a.identityId)?.accounts.push(a)
  }
}

/**
 * How transforms see an account: its source's entitlement attributes give its `entitlements`
 * (read by `accountFilter`).
 */
export function transformAccountMapper(ctx: EngineContext): (a: Account) => TransformAccount {
  const entitlementAttributes = new Map(
    ctx.config.sources.map(({ value: s }) => [s.name, entitlementAttributesOf(s)]),
  )
  return (a) => {
    const entitlements = accountEntitlements(entitlementAttributes.get(a.sourceName) ?? [], a.attributes).map(
      (e) => e.value,
    )
    return {
      sourceName: a.sourceName,
      sourceId: a.sourceId,
      nativeIdentity: a.nativeIdentity,
      displayName: a.displayName,
      created: a.created,
      entitlements,
      attributes: a.attributes,
    }
  }
}

/** The stored attributes of the identities `getReferenceIdentityAttribute` names by uid (identity name). */
export async function referencedIdentities(
  db: Db,
  uids: readonly string[],
): Promise<((uid: string) => Record<string, string | null> | undefined) | undefined> {
  if (uids.length === 0) return undefined
  const byName = await loadIdentityAttributesByName(db, uids)
  return (uid) => byName.get(uid)
}
