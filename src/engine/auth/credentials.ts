import { randomBytes } from 'node:crypto'
import { checkCapabilities, checkScopes } from '../../domain/auth/capabilities.js'
import { hashSecret } from '../../domain/auth/secret-hash.js'
import { ConflictError, InputError, NotFoundError } from '../../domain/errors.js'
import {
  findCredential,
  insertCredential,
  listCredentials as listStoredCredentials,
  revokeCredential as revokeStoredCredential,
  type ApiCredential,
  type ApiCredentialWrite,
} from '../../store/api-credentials.js'
import { findIdentity } from '../../store/identities.js'
import type { EngineContext } from '../engine-context.js'
import { credentialKey } from './tokens.js'
import { forgetCached } from './verification-cache.js'

export type { ApiCredential } from '../../store/api-credentials.js'

/** A new credential's id and secret: the secret is shown this once and stored only as a hash. */
export interface NewCredential {
  readonly clientId: string
  readonly clientSecret: string
}

function checkName(name: string): string {
  const trimmed = name.trim()
  if (trimmed === '') throw new InputError('a credential needs a name')
  if (trimmed.length > 128) throw new InputError('a credential name has at most 128 characters')
  return trimmed
}

async function create(
  ctx: EngineContext,
  c: Omit<ApiCredentialWrite, 'clientId' | 'secretHash'>,
): Promise<NewCredential> {
  // 128 bits of id, 256 bits of secret, hex as the reference's client ids and secrets are.
  const clientId = randomBytes(16).toString('hex')
  const clientSecret = randomBytes(32).toString('hex')
  const secretHash = await hashSecret(clientSecret)
  if (!(await insertCredential(ctx.db, { ...c, clientId, secretHash }, ctx.now()))) {
    throw new ConflictError(
      `identity ${c.ownerIdentityId} already has a personal access token named "${c.name}"`,
    )
  }
  return { clientId, clientSecret }
}

/** How long a personal access token is exchanged for access tokens unless said: six months, as the reference. */
export const PERSONAL_ACCESS_TOKEN_MONTHS = 6

/** The end date of a new personal access token: the one given (in the future), else six months on. */
function expiryOf(now: Date, given: string | undefined): Date {
  if (given === undefined) {
    const end = new Date(now)
    end.setUTCMonth(end.getUTCMonth() + PERSONAL_ACCESS_TOKEN_MONTHS)
    return end
  }
  const end = new Date(given)
  if (Number.isNaN(end.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(given)) {
    throw new InputError(`expirationDate: not an ISO-8601 date: ${JSON.stringify(given)}`)
  }
  if (end.getTime() <= now.getTime()) throw new InputError(`expirationDate: ${given} is not in the future`)
  return end
}

/**
 * A personal access token: a client id/secret pair that acts as its owner (`identity`: id or name). Its
 * name is unique among the owner's tokens in use. It expires on `expirationDate`, else in six months.
 */
export async function createPersonalAccessToken(
  ctx: EngineContext,
  options: { identity: string; name: string; scopes?: readonly string[]; expirationDate?: string },
): Promise<NewCredential> {
  const owner = await findIdentity(ctx.db, options.identity)
  if (!owner) throw new NotFoundError(`no identity with id or name "${options.identity}"`)
  return create(ctx, {
    expires: expiryOf(ctx.now(), options.expirationDate),
    kind: 'PERSONAL_ACCESS_TOKEN',
    name: checkName(options.name),
    ownerIdentityId: owner.id,
    scopes: checkScopes(options.scopes),
    // The owner's own capabilities are what a personal access token acts with; they are read when the
    // API authorises a request, not copied here.
    capabilities: [],
  })
}

/** An API client: a client id/secret pair for a program, with capabilities of its own and no identity. */
export async function createApiClient(
  ctx: EngineContext,
  options: { name: string; capabilities: readonly string[]; scopes?: readonly string[] },
): Promise<NewCredential> {
  return create(ctx, {
    expires: null,
    kind: 'API_CLIENT',
    name: checkName(options.name),
    ownerIdentityId: null,
    scopes: checkScopes(options.scopes),
    capabilities: checkCapabilities(options.capabilities),
  })
}

/** Every credential (never a secret), revoked ones included; a personal access token's owner when given. */
export async function listCredentials(
  ctx: EngineContext,
  filter: { owner?: string } = {},
): Promise<ApiCredential[]> {
  if (filter.owner === undefined) return listStoredCredentials(ctx.db)
  const owner = await findIdentity(ctx.db, filter.owner)
  if (!owner) throw new NotFoundError(`no identity with id or name "${filter.owner}"`)
  return listStoredCredentials(ctx.db, { owner: owner.id })
}

/** Revokes a credential: no new token is issued for it, and the tokens issued before stop verifying. */
export async function revokeCredential(ctx: EngineContext, clientId: string): Promise<ApiCredential> {
  const now = ctx.now()
  forgetCached(ctx.db, credentialKey(clientId))
  if (!(await revokeStoredCredential(ctx.db, clientId, now))) {
    const found = await findCredential(ctx.db, clientId)
    if (!found) throw new NotFoundError(`no credential with client id "${clientId}"`)
    throw new ConflictError(`credential ${clientId} was revoked already (${found.revoked})`)
  }
  const revoked = await findCredential(ctx.db, clientId)
  if (!revoked) throw new NotFoundError(`no credential with client id "${clientId}"`)
  return revoked
}

/** One credential (never its secret); NotFoundError when there is none. */
export async function getCredential(ctx: EngineContext, clientId: string): Promise<ApiCredential> {
  const found = await findCredential(ctx.db, clientId)
  if (!found) throw new NotFoundError(`no credential with client id "${clientId}"`)
  return found
}
