import { coerceError } from '../domain/errors.js'
import type { EngineContext } from '../engine/engine-context.js'
import { sendPendingNotifications } from '../engine/notifications/send-pending-notifications.js'

/**
 * Sends due notifications every `notifications.pollSeconds` (10 s by default) in `serve` and `worker`.
 * A timer rather than a queue job: the messages are rows claimed one by one, so any number of processes
 * may drain them at once without sending one twice. Does nothing while no SMTP server is configured.
 * Returns its stop, which resolves when a drain under way has finished (its messages recorded).
 */
export function startNotificationSender(
  engine: EngineContext,
  log: (line: string) => void,
): () => Promise<void> {
  let stopped = false
  let running: Promise<void> | undefined
  let timer: NodeJS.Timeout | undefined
  const tick = async (): Promise<void> => {
    if (stopped) return
    try {
      if (engine.config.settings.notifications?.smtp === undefined) return
      const s = await sendPendingNotifications(engine)
      if (s.sent + s.retrying + s.failed > 0) {
        log(`notifications: ${s.sent} sent, ${s.retrying} to try again, ${s.failed} failed`)
      }
    } catch (err) {
      log(`sending notifications failed: ${coerceError(err).message}`)
    } finally {
      // The period is read each time: a configuration published meanwhile applies.
      if (!stopped) timer = setTimeout(start, pollMs(engine))
    }
  }
  const start = (): void => {
    running = tick().finally(() => (running = undefined))
  }
  timer = setTimeout(start, 0)
  return async () => {
    stopped = true
    if (timer !== undefined) clearTimeout(timer)
    await running
  }
}

function pollMs(engine: EngineContext): number {
  return (engine.config.settings.notifications?.pollSeconds ?? 10) * 1000
}
