import { resolve } from 'node:path'
import { serveAccessToken } from '../forward-to-serve.js'
import { readLocalApiAccess } from '../../app/local-api-access.js'
import { withEngine } from '../../app/open-engine.js'
import {
  ForbiddenError,
  InputError,
  NotFoundError,
  SystemError,
  WorkspaceInUseError,
} from '../../domain/errors.js'
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
  const change = await withEngine(workspace, (e) => setIdentityPassword(e, { identity, password })).catch(
    (err: unknown) => {
      if (err instanceof WorkspaceInUseError) return setThroughServe(workspace, identity, password, err)
      throw err
    },
  )
  const ended = change.sessionsEnded === 0 ? '' : `; ${change.sessionsEnded} open session(s) ended`
  process.stdout.write(`password set for ${change.identity.name} (${change.identity.id})${ended}\n`)
}

/**
 * While `serve` holds the embedded database, the password goes to its API with the administrator client
 * it left for this machine's CLI (the command line is not handed over as it is for other commands: the
 * password was read here, from this process's terminal or pipe).
 */
async function setThroughServe(
  workspace: string,
  identity: string,
  password: string,
  inUse: WorkspaceInUseError,
): Promise<{ identity: { id: string; name: string }; sessionsEnded: number }> {
  const access = readLocalApiAccess(resolve(workspace))
  if (access === undefined || access.pid !== inUse.holderPid) throw inUse
  const access_token = await serveAccessToken(access)
  if (access_token === undefined) throw inUse
  const res = await fetch(`${access.url}/provisio/v1/identities/${encodeURIComponent(identity)}/password`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${access_token}` },
    body: JSON.stringify({ password }),
  })
  const body = (await res.json()) as {
    identity: { id: string; name: string }
    sessionsEnded: number
    messages?: { text: string }[]
  }
  if (res.ok) return body
  const text = body.messages?.[0]?.text ?? `status ${res.status}`
  if (res.status === 400) throw new InputError(text)
  if (res.status === 404) throw new NotFoundError(text)
  if (res.status === 403) throw new ForbiddenError(text)
  throw new SystemError('provisio serve', new Error(text))
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
