import type { Db } from '../../store/db.js'
import type { EngineContext } from '../engine-context.js'
import { remediateSignedOff } from './remediate-signed-off.js'

/** Per store: whether a background run is going, and whether another was asked for meanwhile. */
const running = new WeakMap<Db, { again: boolean }>()

/**
 * Runs the remediation job behind a sign-off that did not wait (serve's API), one run at a time per store:
 * asked for while one runs, it runs once more after it, taking everything queued meanwhile in one pass.
 * A run that fails leaves its certifications queued for the campaign timer; `onError` is told.
 */
export function remediateInBackground(ctx: EngineContext, onError: (err: unknown) => void): void {
  const state = running.get(ctx.db)
  if (state) {
    state.again = true
    return
  }
  const mine = { again: false }
  running.set(ctx.db, mine)
  void (async () => {
    try {
      do {
        mine.again = false
        await remediateSignedOff(ctx)
      } while (mine.again)
    } catch (err) {
      onError(err)
    } finally {
      running.delete(ctx.db)
    }
  })()
}
