import { countIdentitiesAndAccounts } from '../../store/counts.js'
import type { EngineContext } from '../engine-context.js'

/** How many identities and accounts there are. */
export async function countStore(ctx: EngineContext): Promise<{ identities: number; accounts: number }> {
  return countIdentitiesAndAccounts(ctx.db)
}
