import { listRequestItems, markAnnounced } from '../../store/access-requests.js'
import type { EngineContext } from '../engine-context.js'
import { notify, outcomeMessage } from './request-notifications.js'
import { statusesOf } from './request-status.js'

/** The states in which an approved item's provisioning has ended. */
const FINAL = new Set(['REQUEST_COMPLETED', 'PROVISIONING_FAILED', 'NOT_ALL_ITEMS_PROVISIONED'])

/**
 * Tells the requester and the recipient of each approved item whose provisioning has ended how it ended
 * (REQUEST_COMPLETED, or REQUEST_FAILED with the connected system's message), once: the message and the
 * mark that it was told are written together, and a second run at the same time finds the mark. Items
 * still provisioning, retrying or waiting for their start date are left for a later run. Returns how many
 * were announced.
 */
export async function announceRequestOutcomes(ctx: EngineContext, batch = 500): Promise<number> {
  const waiting = (await listRequestItems(ctx.db, { unannounced: true })).map((i) => i.id)
  let announced = 0
  for (let at = 0; at < waiting.length; at += batch) {
    const items = await listRequestItems(ctx.db, { ids: waiting.slice(at, at + batch), unannounced: true })
    const now = ctx.now()
    for (const s of await statusesOf(ctx, items)) {
      if (!FINAL.has(s.state)) continue
      const failed = s.activities.find((a) => a.status === 'FAILED' || a.status === 'UNVERIFIABLE')
      await ctx.db.transaction(async (tx) => {
        if (!(await markAnnounced(tx, s.item.id, s.state, now))) return
        await notify(ctx, tx, [outcomeMessage(s.item, s.state, failed?.errors.at(-1)?.message ?? null)])
        announced++
      })
    }
  }
  return announced
}
