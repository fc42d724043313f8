import { removeAccounts, saveProvisionedAccounts } from '../../store/account-provisioning.js'
import { recordOutcomes } from '../../store/activity-claims.js'
import { enqueueIdentities } from '../../store/queues.js'
import type { EngineContext } from '../engine-context.js'
import type { AttemptResult } from './attempt-result.js'

/** One wave's outcomes, the accounts they changed, and who must be planned again: together or not at all. */
export async function recordResults(ctx: EngineContext, results: readonly AttemptResult[]): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    await recordOutcomes(
      tx,
      results.map((r) => r.outcome),
      ctx.now(),
    )
    await saveProvisionedAccounts(
      tx,
      results.flatMap((r) => (r.saved ? [r.saved] : [])),
    )
    await removeAccounts(
      tx,
      results.flatMap((r) => (r.removed ? [r.removed] : [])),
    )
    await enqueueIdentities(
      tx,
      results.flatMap((r) => (r.replan ? [r.replan] : [])),
      ['plan'],
    )
  })
}
