import { withEngine } from '../../app/open-engine.js'
import { InputError } from '../../domain/errors.js'
import { createInvitation } from '../../engine/auth/invitations.js'
import { setIdentityPassword } from '../../engine/auth/passwords.js'
import { endIdentitySessions } from '../../engine/auth/sessions.js'
import { printJson } from '../print-table.js'
import { readSecret } from '../read-secret.js'

/**
 * `provisio password set IDENTITY`: the identity's local password, typed at the terminal (twice, not
 * echoed) or piped on standard input, never an argument. The identity's open sessions end.
 */
export async function passwordSetCommand(workspace: string, identity: string): Promise<void> {
  const password = await readSecret('new password')
  const change = await withEngine(workspace, (e) => setIdentityPassword(e, { identity, password }))
  const ended = change.sessionsEnded === 0 ? '' : `; ${change.sessionsEnded} open session(s) ended`
  process.stdout.write(`password set for ${change.identity.name} (${change.identity.id})${ended}\n`)
}

/**
 * `provisio invite IDENTITY`: a one-time link with which the person sets their own password, valid
 * `--hours` (signIn.invitationHours, 72 by default). The link is shown this once.
 */
export async function inviteCommand(
  workspace: string,
  identity: string,
  o: { hours?: string; json?: boolean },
): Promise<void> {
  const hours = o.hours === undefined ? undefined : Number(o.hours)
  if (o.hours !== undefined && !/^\d+$/.test(o.hours.trim())) {
    throw new InputError(`--hours must be a whole number of hours, not "${o.hours}"`)
  }
  const invitation = await withEngine(workspace, (e) =>
    createInvitation(e, { identity, createdBy: 'cli', ...(hours !== undefined ? { hours } : {}) }),
  )
  if (o.json) {
    return printJson({ identity: invitation.identity, url: invitation.url, expires: invitation.expires })
  }
  process.stdout.write(
    `invitation for ${invitation.identity.name} (${invitation.identity.id}), valid until ${invitation.expires}:\n` +
      `${invitation.url}\n`,
  )
  process.stderr.write('the link is shown this once; an earlier link for this identity no longer works\n')
}

/** `provisio sessions end IDENTITY`: signs a person out of every browser session. */
export async function sessionsEndCommand(workspace: string, identity: string): Promise<void> {
  const ended = await withEngine(workspace, (e) => endIdentitySessions(e, { identity }))
  process.stdout.write(
    `${ended.sessionsEnded} open session(s) of ${ended.identity.name} (${ended.identity.id}) ended\n`,
  )
}
