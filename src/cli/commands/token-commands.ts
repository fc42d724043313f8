import { credentialJson } from '../../api/presenters/credential-json.js'
import { withEngine } from '../../app/open-engine.js'
import { InputError } from '../../domain/errors.js'
import {
  createApiClient,
  createPersonalAccessToken,
  listCredentials,
  revokeCredential,
  type NewCredential,
} from '../../engine/auth/credentials.js'
import { formatTable, printJson } from '../print-table.js'

export interface TokenCreateOptions {
  readonly identity?: string
  readonly name?: string
  readonly scope?: readonly string[]
  readonly apiClient?: boolean
  readonly capability?: readonly string[]
  readonly expires?: string
  readonly json?: boolean
}

/**
 * `provisio token create --identity ID --name N`: a personal access token (or with `--api-client`, an API
 * client with `--capability`s). The secret is printed this once; only its hash is kept.
 */
export async function tokenCreateCommand(workspace: string, o: TokenCreateOptions): Promise<void> {
  if (o.name === undefined) throw new InputError('--name is required')
  const name = o.name
  if (o.apiClient === true && o.identity !== undefined) {
    throw new InputError('an API client has no identity: give --identity or --api-client, not both')
  }
  if (o.apiClient !== true && o.identity === undefined) {
    throw new InputError('give --identity ID (a personal access token) or --api-client')
  }
  if (o.apiClient !== true && o.capability !== undefined) {
    throw new InputError(
      "a personal access token acts with its owner's capabilities: --capability is for --api-client",
    )
  }
  if (o.apiClient === true && o.expires !== undefined) {
    throw new InputError('--expires is for a personal access token: revoke an API client to end it')
  }
  const scopes = o.scope === undefined ? {} : { scopes: o.scope }
  const expires = o.expires === undefined ? {} : { expirationDate: o.expires }
  const created: NewCredential = await withEngine(workspace, (e) =>
    o.identity === undefined
      ? createApiClient(e, { name, capabilities: o.capability ?? [], ...scopes })
      : createPersonalAccessToken(e, { identity: o.identity, name, ...scopes, ...expires }),
  )
  process.stderr.write('the client secret is shown this once: keep it now, it cannot be shown again\n')
  if (o.json) return printJson({ clientId: created.clientId, clientSecret: created.clientSecret })
  process.stdout.write(`client id:     ${created.clientId}\nclient secret: ${created.clientSecret}\n`)
}

/** `provisio token list`: every credential, revoked ones too; never a secret. */
export async function tokenListCommand(
  workspace: string,
  o: { identity?: string; json?: boolean },
): Promise<void> {
  const rows = await withEngine(workspace, (e) =>
    listCredentials(e, o.identity === undefined ? {} : { owner: o.identity }),
  )
  if (o.json) return printJson(rows.map(credentialJson))
  if (rows.length === 0) {
    process.stdout.write('no credentials\n')
    return
  }
  const table = formatTable(
    [
      'CLIENT ID',
      'KIND',
      'NAME',
      'OWNER',
      'SCOPE',
      'CAPABILITIES',
      'CREATED',
      'EXPIRES',
      'LAST USED',
      'REVOKED',
    ],
    rows.map((c) => [
      c.clientId,
      c.kind === 'API_CLIENT' ? 'api client' : 'personal',
      c.name,
      c.ownerIdentityId ?? '',
      c.scopes.join(' '),
      c.capabilities.join(','),
      c.created,
      c.expires ?? '',
      c.lastUsed ?? '',
      c.revoked ?? '',
    ]),
  )
  process.stdout.write(table + '\n')
}

/** `provisio token revoke CLIENT_ID`: no new token for it, and its tokens stop verifying. */
export async function tokenRevokeCommand(workspace: string, clientId: string): Promise<void> {
  const revoked = await withEngine(workspace, (e) => revokeCredential(e, clientId))
  process.stdout.write(`revoked ${revoked.clientId} (${revoked.name}); its access tokens no longer verify\n`)
}
