import { ConflictError, InputError } from '../domain/errors.js'
import type { Account } from '../domain/model.js'
import { setManualCorrelation } from '../store/accounts.js'
import { findIdentity } from '../store/identities.js'
import { enqueueIdentities } from '../store/queues.js'
import { withdrawOvertaken } from './correlate-accounts.js'
import type { EngineContext } from './engine-context.js'
import { getAccount } from './queries/get-account.js'

/**
 * Manual correlation (the reference's `PATCH /accounts/{id}` of `identityId`): links an account to an
 * identity, or to none (`null`), and marks it manually correlated, so correlation rules leave it as the
 * person set it. Both identities are processed and planned again: the one that lost the account may get a
 * new one, and the one that gained it has its pending create on the source withdrawn. An authoritative
 * account is its identity's origin and is not moved (ConflictError). NotFoundError for an unknown
 * account; InputError (naming `identityId`) for an unknown identity.
 */
export async function correlateAccount(
  ctx: EngineContext,
  accountId: string,
  identityIdOrName: string | null,
): Promise<{ readonly before: Account; readonly after: Account }> {
  const before = await getAccount(ctx, accountId)
  if (before.authoritative) {
    throw new ConflictError(
      `account "${before.nativeIdentity}" on "${before.sourceName}" is authoritative: it makes its identity and cannot be correlated to another`,
    )
  }
  let identityId: string | null = null
  if (identityIdOrName !== null) {
    const identity = await findIdentity(ctx.db, identityIdOrName)
    if (!identity) throw new InputError(`identityId: no identity with id "${identityIdOrName}"`)
    identityId = identity.id
  }
  const now = ctx.now()
  await ctx.db.transaction(async (tx) => {
    await setManualCorrelation(tx, accountId, identityId, now)
    await enqueueIdentities(tx, [before.identityId, identityId], ['process', 'plan'])
    if (identityId !== null) await withdrawOvertaken(tx, before.sourceId, now, [identityId])
  })
  return { before, after: await getAccount(ctx, accountId) }
}
