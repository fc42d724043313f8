import { rotateTaskSecrets } from '../../engine/manual-tasks.js'
import { SECRETS_KEY_ENV, SECRETS_KEY_FILE } from '../../engine/secrets/secrets-key-ring.js'
import { withEngine } from '../../app/open-engine.js'

/** `provisio keys rotate`: pending tasks' secrets sealed again with a new key (see docs/execution.md). */
export async function keysRotateCommand(workspace: string): Promise<void> {
  const r = await withEngine(workspace, (e) => rotateTaskSecrets(e))
  const where = r.newKey ? `a new key in ${SECRETS_KEY_FILE}` : `the first key of ${SECRETS_KEY_ENV}`
  const removed = r.keysRemoved > 0 ? `; ${r.keysRemoved} old key(s) removed from ${SECRETS_KEY_FILE}` : ''
  process.stdout.write(
    `re-encrypted the secrets of ${r.resealed} pending task(s) with ${where} (${r.keyId})${removed}\n`,
  )
}
