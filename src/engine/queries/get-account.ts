import { NotFoundError } from '../../domain/errors.js'
import type { Account } from '../../domain/model.js'
import { findAccount } from '../../store/accounts.js'
import type { EngineContext } from '../engine-context.js'

/** An account by id; NotFoundError when there is none. */
export async function getAccount(ctx: EngineContext, id: string): Promise<Account> {
  const account = await findAccount(ctx.db, id)
  if (!account) throw new NotFoundError(`no account with id "${id}"`)
  return account
}
