import { readLocalApiAccess, type LocalApiAccess } from '../app/local-api-access.js'
import { commandOf } from './brief-command.js'
import { OWN_PROCESS_COMMANDS } from './program.js'

/** The arguments without the workspace option: the serving process runs on its own workspace. */
export function withoutWorkspace(argv: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string
    if (a === '-w' || a === '--workspace') i++
    else if (!a.startsWith('--workspace=')) out.push(a)
  }
  return out
}

/**
 * When `serve` (process `holderPid`) holds the workspace's embedded database, hands the command to its API
 * (`POST /provisio/v1/cli`) with the administrator client it left in `.provisio/serve-api.json`, prints
 * what the command printed there, and returns its exit code. Undefined when there is no such way in.
 */
export async function forwardToServe(
  workspaceDir: string,
  holderPid: number,
  argv: readonly string[],
): Promise<number | undefined> {
  const access = readLocalApiAccess(workspaceDir)
  const args = withoutWorkspace(argv)
  if (access === undefined || access.pid !== holderPid || OWN_PROCESS_COMMANDS.has(commandOf(args) ?? '')) {
    return undefined
  }
  const access_token = await serveAccessToken(access).catch(() => undefined)
  if (access_token === undefined) return undefined
  const run = await fetch(`${access.url}/provisio/v1/cli`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${access_token}` },
    body: JSON.stringify({ argv: args }),
  })
  const answer = (await run.json()) as { exitCode?: number; stdout?: string; stderr?: string }
  if (!run.ok || typeof answer.exitCode !== 'number') return undefined
  process.stdout.write(answer.stdout ?? '')
  process.stderr.write(answer.stderr ?? '')
  return answer.exitCode
}

/** An access token for the administrator client `serve` left for this machine's CLI; undefined if refused. */
export async function serveAccessToken(access: LocalApiAccess): Promise<string | undefined> {
  const token = await fetch(`${access.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: access.clientId,
      client_secret: access.clientSecret,
    }).toString(),
  })
  if (!token.ok) return undefined
  return ((await token.json()) as { access_token: string }).access_token
}
