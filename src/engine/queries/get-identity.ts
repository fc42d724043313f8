import { NotFoundError } from '../../domain/errors.js'
import type { Account, Identity } from '../../domain/model.js'
import { listAccounts } from '../../store/accounts.js'
import { findIdentity as findStored } from '../../store/identities.js'
import type { EngineContext } from '../engine-context.js'

/** An identity by id or name; NotFoundError when there is none. */
export async function findIdentity(ctx: EngineContext, idOrName: string): Promise<Identity> {
  const identity = await findStored(ctx.db, idOrName)
  if (!identity) throw new NotFoundError(`no identity with id or name "${idOrName}"`)
  return identity
}

/** An identity by id or name, with its accounts. */
export async function getIdentity(
  ctx: EngineContext,
  idOrName: string,
): Promise<{ readonly identity: Identity; readonly accounts: Account[] }> {
  const identity = await findIdentity(ctx, idOrName)
  return { identity, accounts: await listAccounts(ctx.db, { identityIds: [identity.id] }) }
}

/** An identity by id or name, or undefined. */
export async function findIdentityOrNone(
  ctx: EngineContext,
  idOrName: string,
): Promise<Identity | undefined> {
  return findStored(ctx.db, idOrName)
}
