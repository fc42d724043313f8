import { rotateSigningKey } from '../../engine/auth/signing-keys.js'
import { rotateTaskSecrets } from '../../engine/manual-tasks.js'
import { SECRETS_KEY_ENV, SECRETS_KEY_FILE } from '../../engine/secrets/secrets-key-ring.js'
import { withEngine } from '../../app/open-engine.js'

/**
 * `provisio keys rotate [--secrets] [--signing]`: pending tasks' secrets sealed again with a new key (see
 * docs/execution.md), and a new key signing the API's access tokens (docs/authentication.md); both when
 * neither flag is given. The secrets first: the new signing key is then sealed with the new secrets key.
 */
export async function keysRotateCommand(
  workspace: string,
  o: { secrets?: boolean; signing?: boolean } = {},
): Promise<void> {
  const both = o.secrets !== true && o.signing !== true
  await withEngine(workspace, async (e) => {
    if (both || o.secrets === true) {
      const r = await rotateTaskSecrets(e)
      const where = r.newKey ? `a new key in ${SECRETS_KEY_FILE}` : `the first key of ${SECRETS_KEY_ENV}`
      const removed =
        r.keysRemoved > 0 ? `; ${r.keysRemoved} old key(s) removed from ${SECRETS_KEY_FILE}` : ''
      process.stdout.write(
        `re-encrypted the secrets of ${r.resealed} pending task(s) with ${where} (${r.keyId})${removed}\n`,
      )
    }
    if (both || o.signing === true) {
      const r = await rotateSigningKey(e)
      const retired =
        r.retired.length > 0 ? `; ${r.retired.join(', ')} retired (verifies until its tokens expire)` : ''
      const deleted = r.deleted.length > 0 ? `; ${r.deleted.length} expired key(s) deleted` : ''
      process.stdout.write(`access tokens are signed with a new key (${r.kid})${retired}${deleted}\n`)
    }
  })
}
