import { decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose'
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuthenticationError, ConflictError, InputError, NotFoundError } from '../src/domain/errors.js'
import {
  createApiClient,
  createPersonalAccessToken,
  listCredentials,
  revokeCredential,
} from '../src/engine/auth/credentials.js'
import { rotateSigningKey } from '../src/engine/auth/signing-keys.js'
import { DEFAULT_TOKEN_SECONDS, MAX_TOKEN_SECONDS } from '../src/engine/auth/token-lifetime.js'
import { BAD_CLIENT_MESSAGE, issueToken, verifyToken } from '../src/engine/auth/tokens.js'
import type { EngineContext } from '../src/engine/engine-context.js'
import { rotateTaskSecrets } from '../src/engine/manual-tasks.js'
import { SECRETS_KEY_FILE } from '../src/engine/secrets/secrets-key-ring.js'
import { listSigningKeys } from '../src/store/auth-signing-keys.js'
import { insertIdentities } from '../src/store/identity-processing.js'
import type { Store } from '../src/store/open-store.js'
import { databases } from './support/databases.js'
import { demoWorkspace, engineContext } from './support/temp-workspace.js'
import { identityRow } from './support/identity-rows.js'

// The key ring comes from the workspace's key file only, whatever the environment of the test run.
const NO_ENV = {}

async function authError(p: Promise<unknown>): Promise<string> {
  const err: unknown = await p.then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(AuthenticationError)
  return (err as Error).message
}

describe.each(databases)('authentication on $name', (database) => {
  let store: Store
  let ctx: EngineContext
  let clock = new Date('2026-12-01T10:00:00.000Z')
  const at = (seconds: number) => {
    clock = new Date(clock.getTime() + seconds * 1000)
  }

  beforeAll(async () => {
    const ws = await demoWorkspace()
    store = await database.open()
    ctx = engineContext(ws.config, store, () => clock)
    await insertIdentities(store.db, [identityRow('id-ada', 'ada')])
  })
  afterAll(async () => {
    await store.close()
  })

  const issue = (c: { clientId: string; clientSecret: string }) => issueToken(ctx, c, NO_ENV)

  it('issues a signed token for a personal access token, and verifies it to its owner', async () => {
    const pat = await createPersonalAccessToken(ctx, { identity: 'ada', name: 'laptop' })
    expect(pat.clientId).toMatch(/^[0-9a-f]{32}$/)
    expect(pat.clientSecret).toMatch(/^[0-9a-f]{64}$/)
    const r = await issue(pat)
    expect(r).toMatchObject({
      token_type: 'bearer',
      expires_in: DEFAULT_TOKEN_SECONDS,
      scope: 'sp:scopes:all',
      identity_id: 'id-ada',
      internal: false,
      strong_auth: false,
      claims_supported: false,
    })
    const [current] = await listSigningKeys(store.db)
    expect(decodeProtectedHeader(r.access_token)).toMatchObject({ alg: 'ES256', kid: current?.kid })
    const claims = decodeJwt(r.access_token)
    const iat = clock.getTime() / 1000
    expect(claims).toMatchObject({
      iss: 'provisio',
      sub: pat.clientId,
      identity_id: 'id-ada',
      jti: r.jti,
      iat,
    })
    expect(claims.exp).toBe(iat + DEFAULT_TOKEN_SECONDS)
    expect(await verifyToken(ctx, r.access_token)).toEqual({
      clientId: pat.clientId,
      identityId: 'id-ada',
      capabilities: [],
      scopes: ['sp:scopes:all'],
    })
    const [listed] = (await listCredentials(ctx, { owner: 'ada' })).filter((c) => c.clientId === pat.clientId)
    expect(listed).toMatchObject({
      kind: 'PERSONAL_ACCESS_TOKEN',
      name: 'laptop',
      lastUsed: clock.toISOString(),
    })
  })

  it('an API client has its capabilities and no identity; unknown capabilities are refused', async () => {
    const client = await createApiClient(ctx, { name: 'etl', capabilities: ['SOURCE_ADMIN'] })
    const r = await issue(client)
    expect(r.identity_id).toBeUndefined()
    expect(await verifyToken(ctx, r.access_token)).toEqual({
      clientId: client.clientId,
      identityId: null,
      capabilities: ['SOURCE_ADMIN'],
      scopes: ['sp:scopes:all'],
    })
    await expect(createApiClient(ctx, { name: 'x', capabilities: ['ROOT'] })).rejects.toThrow(InputError)
  })

  it('a missing owner, a name taken by the owner: NotFoundError, ConflictError', async () => {
    await expect(createPersonalAccessToken(ctx, { identity: 'nobody', name: 'n' })).rejects.toThrow(
      NotFoundError,
    )
    await createPersonalAccessToken(ctx, { identity: 'id-ada', name: 'ci' })
    await expect(createPersonalAccessToken(ctx, { identity: 'ada', name: 'ci' })).rejects.toThrow(
      ConflictError,
    )
  })

  it('a wrong secret and an unknown client fail alike', async () => {
    const pat = await createPersonalAccessToken(ctx, { identity: 'ada', name: 'guess' })
    const wrong = await authError(issue({ clientId: pat.clientId, clientSecret: 'f'.repeat(64) }))
    const unknown = await authError(issue({ clientId: 'f'.repeat(32), clientSecret: pat.clientSecret }))
    expect(wrong).toBe(BAD_CLIENT_MESSAGE)
    expect(unknown).toBe(wrong)
  })

  it('a revoked credential gets no token, and its earlier tokens stop verifying; its name is free again', async () => {
    const pat = await createPersonalAccessToken(ctx, { identity: 'ada', name: 'old' })
    const { access_token } = await issue(pat)
    await verifyToken(ctx, access_token)
    expect((await revokeCredential(ctx, pat.clientId)).revoked).toBe(clock.toISOString())
    expect(await authError(issue(pat))).toBe(BAD_CLIENT_MESSAGE)
    await authError(verifyToken(ctx, access_token))
    await expect(revokeCredential(ctx, pat.clientId)).rejects.toThrow(ConflictError)
    await expect(revokeCredential(ctx, 'nope')).rejects.toThrow(NotFoundError)
    await createPersonalAccessToken(ctx, { identity: 'ada', name: 'old' })
  })

  it('a personal access token is exchanged until its end date: six months unless said', async () => {
    const pat = await createPersonalAccessToken(ctx, { identity: 'ada', name: 'six months' })
    const [stored] = (await listCredentials(ctx, { owner: 'ada' })).filter((c) => c.clientId === pat.clientId)
    const end = new Date(clock)
    end.setUTCMonth(end.getUTCMonth() + 6)
    expect(stored?.expires).toBe(end.toISOString())
    const soon = new Date(clock.getTime() + 60_000).toISOString()
    const short = await createPersonalAccessToken(ctx, {
      identity: 'ada',
      name: 'a minute',
      expirationDate: soon,
    })
    await issue(short)
    at(61)
    expect(await authError(issue(short))).toBe(BAD_CLIENT_MESSAGE)
    await issue(pat)
    await expect(
      createPersonalAccessToken(ctx, {
        identity: 'ada',
        name: 'past',
        expirationDate: '2020-01-01T00:00:00Z',
      }),
    ).rejects.toThrow(/not in the future/)
    await expect(
      createPersonalAccessToken(ctx, { identity: 'ada', name: 'bad', expirationDate: 'tomorrow' }),
    ).rejects.toThrow(/ISO-8601/)
  })

  it('a token expires by the context clock', async () => {
    const pat = await createPersonalAccessToken(ctx, { identity: 'ada', name: 'short' })
    const { access_token, expires_in } = await issue(pat)
    at(expires_in - 1)
    await verifyToken(ctx, access_token)
    at(1)
    expect(await authError(verifyToken(ctx, access_token))).toBe('the access token has expired')
  })

  it('after a rotation the old key verifies what it signed, new tokens name the new key; old keys go in time', async () => {
    const pat = await createPersonalAccessToken(ctx, { identity: 'ada', name: 'rotation' })
    const before = await issue(pat)
    const oldKid = decodeProtectedHeader(before.access_token).kid
    at(60)
    const rotation = await rotateSigningKey(ctx, NO_ENV)
    expect(rotation.retired).toEqual([oldKid])
    const after = await issue(pat)
    expect(decodeProtectedHeader(after.access_token).kid).toBe(rotation.kid)
    expect(rotation.kid).not.toBe(oldKid)
    await verifyToken(ctx, before.access_token)
    await verifyToken(ctx, after.access_token)
    // A retired key keeps only its public half.
    const old = (await listSigningKeys(store.db)).find((k) => k.kid === oldKid)
    expect(old).toMatchObject({ privateJwkSealed: null, retiredAt: clock.toISOString() })
    // Once every token it signed has expired, a retired key is deleted by the next rotation.
    at(MAX_TOKEN_SECONDS + 1)
    const next = await rotateSigningKey(ctx, NO_ENV)
    expect(next.deleted).toContain(oldKid)
    expect(await authError(verifyToken(ctx, before.access_token))).toBe('invalid access token')
    await verifyToken(ctx, (await issue(pat)).access_token)
  })

  it('refuses a tampered token, one signed by a foreign key, an unsigned one', async () => {
    const pat = await createPersonalAccessToken(ctx, { identity: 'ada', name: 'forged' })
    const { access_token } = await issue(pat)
    const [header, payload, signature] = access_token.split('.') as [string, string, string]
    const claims = decodeJwt(access_token)
    const widened = Buffer.from(JSON.stringify({ ...claims, authorities: ['ORG_ADMIN'] })).toString(
      'base64url',
    )
    await authError(verifyToken(ctx, `${header}.${widened}.${signature}`))
    await authError(verifyToken(ctx, 'not a token'))

    const kid = decodeProtectedHeader(access_token).kid ?? ''
    const { privateKey } = await generateKeyPair('ES256')
    const foreign = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
      .sign(privateKey)
    await authError(verifyToken(ctx, foreign))
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', kid })).toString('base64url')}.${payload}.`
    await authError(verifyToken(ctx, none))
    const unknownKid = await new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: 'no-such-key' })
      .sign(privateKey)
    await authError(verifyToken(ctx, unknownKid))
  })

  it('stores no secret in clear: credentials as scrypt hashes, private keys sealed', async () => {
    const pat = await createPersonalAccessToken(ctx, { identity: 'ada', name: 'stored' })
    await issue(pat)
    const rows = await store.db.query<{ secret_hash: string }>('SELECT * FROM api_credentials')
    expect(JSON.stringify(rows)).not.toContain(pat.clientSecret)
    for (const r of rows) expect(r.secret_hash).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/)
    const keys = await store.db.query<{ private_jwk_sealed: Record<string, unknown> | null }>(
      'SELECT private_jwk_sealed FROM auth_signing_keys WHERE retired_at IS NULL',
    )
    expect(keys).toHaveLength(1)
    expect(Object.keys(keys[0]?.private_jwk_sealed ?? {}).sort()).toEqual(['alg', 'ct', 'iv', 'kid', 'tag'])
  })

  it('rotating the secrets key keeps the key that seals the signing key', async () => {
    const pat = await createPersonalAccessToken(ctx, { identity: 'ada', name: 'keys' })
    await issue(pat)
    await rotateTaskSecrets(ctx, NO_ENV)
    await rotateTaskSecrets(ctx, NO_ENV)
    await verifyToken(ctx, (await issue(pat)).access_token)
  })

  it('without the secrets key that sealed the signing key, issuing says so; a signing rotation recovers', async () => {
    const pat = await createPersonalAccessToken(ctx, { identity: 'ada', name: 'lost key' })
    const earlier = (await issue(pat)).access_token
    rmSync(join(ctx.config.dir, SECRETS_KEY_FILE))
    await expect(issue(pat)).rejects.toThrow(/signing key .* cannot be opened/)
    await rotateSigningKey(ctx, NO_ENV)
    await verifyToken(ctx, (await issue(pat)).access_token)
    // Verifying needs only the public keys.
    await verifyToken(ctx, earlier)
  })
})
