import { afterEach, describe, expect, it } from 'vitest'
import type { ConnectorAccount } from '../../src/connectors/connector.js'
import { ScimConnector, type ScimConnectorOptions } from '../../src/connectors/scim/scim-connector.js'
import { scimSettings } from '../../src/connectors/scim/scim-connector-attributes.js'
import { classifyError } from '../../src/domain/execution/classify-error.js'
import { InputError } from '../../src/domain/errors.js'
import {
  SCIM_TOKEN,
  startScimServer,
  type ScimServer,
  type ScimServerOptions,
} from '../../bench/scim-server.js'
import { all } from '../../src/connectors/contract/connector-contract-suite.js'

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

let servers: ScimServer[] = []
afterEach(async () => {
  await Promise.all(servers.map((s) => s.stop()))
  servers = []
})

async function server(options: ScimServerOptions = {}): Promise<ScimServer> {
  const s = await startScimServer(options)
  servers.push(s)
  return s
}

function connector(
  s: ScimServer,
  attributes: Record<string, unknown> = {},
  options: ScimConnectorOptions = {},
): ScimConnector {
  const settings = scimSettings('SCIM', {
    baseUrl: s.url,
    auth: { type: 'bearer', token: '${env:TEST_SCIM_TOKEN}' },
    ...attributes,
  })
  return new ScimConnector(settings, { env: { TEST_SCIM_TOKEN: SCIM_TOKEN }, ...options })
}

async function failure(p: Promise<unknown>): Promise<Error & { kind?: string; code?: string }> {
  try {
    await p
  } catch (err) {
    return err as Error
  }
  throw new Error('expected the operation to fail')
}

const userNamed = (s: ScimServer, userName: string) => s.users().find((u) => u['userName'] === userName)
const membersOf = (s: ScimServer, groupId: string): unknown[] =>
  ((s.groups().find((g) => g['id'] === groupId)?.['members'] as { value: string }[]) ?? []).map(
    (m) => m.value,
  )

describe('SCIM connector', () => {
  it('lists users page by page until totalResults', async () => {
    const s = await server()
    const c = connector(s, { pageSize: 3 })
    for (let i = 1; i <= 7; i++) await c.createAccount(`user${i}`, {})
    const listed = await all(c.listAccounts())
    expect(listed.map((a) => a.nativeIdentity).sort()).toEqual(
      ['user1', 'user2', 'user3', 'user4', 'user5', 'user6', 'user7'].sort(),
    )
    expect(s.requests.filter((r) => r.startsWith('GET /Users?'))).toEqual([
      'GET /Users?startIndex=1&count=3',
      'GET /Users?startIndex=4&count=3',
      'GET /Users?startIndex=7&count=3',
    ])
  })

  it('escapes quotes and backslashes in filter values', async () => {
    const s = await server()
    const c = connector(s)
    const odd = 'o"brien\\x'
    await c.createAccount(odd, {})
    await c.createAccount('alice', {})
    expect((await c.readAccount(odd)).nativeIdentity).toBe(odd)
    // Unescaped, this value would widen the filter to every user.
    const widened = await failure(c.readAccount('nobody" or userName pr "'))
    expect(classifyError(widened).kind).toBe('NOT_FOUND')
  })

  it('maps account attributes to SCIM paths, extension attributes and the work email included', async () => {
    const s = await server()
    const c = connector(s)
    const created = await c.createAccount('jdoe', {
      uid: 'jdoe',
      givenName: 'John',
      familyName: 'Doe',
      mail: 'jdoe@example.com',
      employeeNumber: '1042',
      title: 'Engineer',
      password: 'Initial-Secret-1',
    })
    const stored = userNamed(s, 'jdoe') as Record<string, unknown>
    expect(stored['name']).toEqual({ givenName: 'John', familyName: 'Doe' })
    expect(stored['emails']).toEqual([{ type: 'work', value: 'jdoe@example.com' }])
    expect(stored[ENTERPRISE]).toEqual({ employeeNumber: '1042' })
    expect(stored['title']).toBe('Engineer')
    expect(created.attributes).toMatchObject({
      uid: 'jdoe',
      mail: 'jdoe@example.com',
      employeeNumber: '1042',
      title: 'Engineer',
      id: stored['id'],
    })
    expect(created.attributes).not.toHaveProperty('password')

    // No work email yet: it is added, then replaced, then removed with the value that held it.
    await c.createAccount('nomail', {})
    await c.updateAccount('nomail', [{ op: 'Set', attribute: 'mail', value: 'first@example.com' }])
    const replaced = await c.updateAccount('nomail', [
      { op: 'Set', attribute: 'mail', value: 'second@example.com' },
      { op: 'Set', attribute: 'department', value: 'Sales' },
    ])
    expect(replaced.attributes).toMatchObject({ mail: 'second@example.com', department: 'Sales' })
    const cleared = await c.updateAccount('nomail', [{ op: 'Set', attribute: 'mail', value: null }])
    expect(cleared.attributes).not.toHaveProperty('mail')
    expect(userNamed(s, 'nomail')?.['emails'] ?? []).toEqual([])
  })

  it('keeps group membership on the Groups: join, leave and set', async () => {
    const s = await server()
    const c = connector(s)
    const [staff, admins, ops] = [s.addGroup('staff'), s.addGroup('admins'), s.addGroup('ops')]
    const created = await c.createAccount('member', { groups: [staff] })
    const id = created.attributes['id']
    expect(membersOf(s, staff)).toEqual([id])
    await c.updateAccount('member', [
      { op: 'Add', attribute: 'groups', value: [admins, ops] },
      { op: 'Remove', attribute: 'groups', value: staff },
    ])
    expect(membersOf(s, staff)).toEqual([])
    expect(membersOf(s, admins)).toEqual([id])
    expect(membersOf(s, ops)).toEqual([id])
    const set = await c.updateAccount('member', [{ op: 'Set', attribute: 'groups', value: [staff, ops] }])
    expect([...(set.attributes['groups'] as string[])].sort()).toEqual([staff, ops].sort())
    expect(membersOf(s, admins)).toEqual([])
    expect(membersOf(s, staff)).toEqual([id])
  })

  it('finds the groups of a server that does not show them on the User', async () => {
    const s = await server({ userGroups: false })
    const c = connector(s)
    const staff = s.addGroup('staff')
    await c.createAccount('quiet', { groups: [staff] })
    await c.createAccount('loner', {})
    expect((await c.readAccount('quiet')).attributes['groups']).toEqual([staff])
    const listed = new Map(
      (await all(c.listAccounts())).map((a) => [a.nativeIdentity, a.attributes['groups']]),
    )
    expect(Object.fromEntries(listed)).toEqual({ quiet: [staff], loner: [] })
  })

  it('lists groups as entitlements by id, with their display names', async () => {
    const s = await server()
    const staff = s.addGroup('Staff')
    expect(await all(connector(s).listEntitlements())).toEqual([
      {
        attribute: 'groups',
        value: staff,
        displayName: 'Staff',
        attributes: { id: staff, displayName: 'Staff' },
      },
    ])
  })

  it('a group that does not exist is a terminal failure, not a missing account', async () => {
    const s = await server()
    const c = connector(s)
    await c.createAccount('joiner', {})
    const err = await failure(
      c.updateAccount('joiner', [{ op: 'Add', attribute: 'groups', value: 'no-such-group' }]),
    )
    expect(classifyError(err)).toMatchObject({ kind: 'TERMINAL', code: 'SCIM_GROUP_NOT_FOUND' })
  })

  it('disables and enables through active', async () => {
    const s = await server()
    const c = connector(s)
    await c.createAccount('toggled', {})
    expect((await c.disableAccount('toggled')).disabled).toBe(true)
    expect(userNamed(s, 'toggled')?.['active']).toBe(false)
    expect((await c.enableAccount('toggled')).disabled).toBe(false)
    expect(userNamed(s, 'toggled')?.['active']).toBe(true)
  })

  it('waits out a 429 for its Retry-After, then succeeds', async () => {
    const s = await server()
    const waits: number[] = []
    const c = connector(s, {}, { sleep: async (ms) => void waits.push(ms) })
    await c.createAccount('patient', {})
    s.failNext(2, 429, '7')
    expect((await c.readAccount('patient')).nativeIdentity).toBe('patient')
    expect(waits).toEqual([7000, 7000])
  })

  it('a 429 that outlasts the retries, or asks for too long a wait, is retryable with code HTTP_429', async () => {
    const s = await server()
    const waits: number[] = []
    const c = connector(s, { rateLimitRetries: 1 }, { sleep: async (ms) => void waits.push(ms) })
    s.failNext(2, 429, '1')
    const exhausted = await failure(c.readAccount('anyone'))
    expect(classifyError(exhausted)).toMatchObject({ kind: 'RETRYABLE', code: 'HTTP_429' })
    expect(waits).toEqual([1000])
    s.failNext(1, 429, '3600')
    const tooLong = await failure(c.readAccount('anyone'))
    expect(classifyError(tooLong)).toMatchObject({ kind: 'RETRYABLE', code: 'HTTP_429' })
    expect(tooLong.message).toContain('retry after 3600')
    expect(waits).toEqual([1000])
  })

  it('a 503 is retryable and not retried inside the call', async () => {
    const s = await server()
    const c = connector(s)
    s.failNext(1, 503)
    const err = await failure(c.readAccount('anyone'))
    expect(classifyError(err)).toMatchObject({ kind: 'RETRYABLE', code: 'HTTP_503' })
    expect(s.requests).toHaveLength(1)
  })

  it('a server that does not answer in time is retryable with code ETIMEDOUT', async () => {
    const s = await server()
    s.stallNext(1)
    const err = await failure(connector(s, { timeoutMs: 200 }).readAccount('anyone'))
    expect(classifyError(err)).toMatchObject({ kind: 'RETRYABLE', code: 'ETIMEDOUT' })
  })

  it('refused credentials are terminal, with the server detail and without the token', async () => {
    const s = await server()
    const token = 'wrong-token-7f3a9c'
    const c = new ScimConnector(
      scimSettings('SCIM', { baseUrl: s.url, auth: { type: 'bearer', token: '${env:T}' } }),
      { env: { T: token } },
    )
    for (const attempt of [() => c.testConnection(), () => c.readAccount('anyone')]) {
      const err = await failure(attempt())
      expect(classifyError(err)).toMatchObject({ kind: 'TERMINAL', code: 'HTTP_401' })
      expect(err.message).toContain('invalid credentials')
      expect(JSON.stringify({ ...err, message: err.message, stack: err.stack })).not.toContain(token)
    }
  })

  it('authenticates with HTTP basic credentials', async () => {
    const s = await server({ basic: { username: 'svc-provisio', password: 'basic-pw-51c2' } })
    const settings = scimSettings('SCIM', {
      baseUrl: s.url,
      auth: { type: 'basic', username: 'svc-provisio', password: '${env:P}' },
    })
    const good = new ScimConnector(settings, { env: { P: 'basic-pw-51c2' } })
    await good.testConnection()
    await good.createAccount('via-basic', { mail: 'b@example.com' })
    expect((await good.readAccount('via-basic')).attributes['mail']).toBe('b@example.com')
    const bad = new ScimConnector(settings, { env: { P: 'not-the-password-99' } })
    const err = await failure(bad.readAccount('via-basic'))
    expect(classifyError(err)).toMatchObject({ kind: 'TERMINAL', code: 'HTTP_401' })
    expect(err.message).not.toContain('not-the-password-99')
  })

  it('a missing endpoint (a wrong baseUrl) is terminal, so a delete is not taken for done', async () => {
    const s = await server()
    const c = connector(s, { baseUrl: `${s.url}/wrong` })
    const err = await failure(c.deleteAccount('anyone'))
    expect(classifyError(err)).toMatchObject({ kind: 'TERMINAL', code: 'HTTP_404' })
  })

  it('an unreachable server is retryable with the socket error code', async () => {
    const s = await server()
    await s.stop()
    const err = await failure(connector(s).readAccount('anyone'))
    expect(classifyError(err)).toMatchObject({ kind: 'RETRYABLE', code: 'ECONNREFUSED' })
  })

  it('a second user with the same userName is ALREADY_EXISTS', async () => {
    const s = await server()
    const c = connector(s)
    await c.createAccount('twice', {})
    const err = await failure(c.createAccount('TWICE', {}))
    expect(classifyError(err)).toMatchObject({ kind: 'ALREADY_EXISTS', code: 'HTTP_409' })
    expect(err.message).toContain('already taken')
  })

  it('names the bad field of invalid settings', () => {
    const bad = (attributes: Record<string, unknown>) => () =>
      scimSettings('SCIM', {
        baseUrl: 'https://scim.example.com',
        auth: { type: 'bearer', token: 't' },
        ...attributes,
      })
    expect(bad({ attributeMap: { mail: 'emails[type eq "work"]' } })).toThrow(InputError)
    expect(bad({ attributeMap: { mail: 'emails[type eq "work"]' } })).toThrow(
      /connectorAttributes\.attributeMap\.mail/,
    )
    expect(bad({ baseUrl: 'ftp://x' })).toThrow(/connectorAttributes\.baseUrl/)
    expect(bad({ auth: { type: 'basic', username: 'u' } })).toThrow(/connectorAttributes\.auth\.password/)
    expect(bad({ idAttribute: 'emails[type eq "work"].value' })).toThrow(/connectorAttributes\.idAttribute/)
  })
})

describe('SCIM connector with the SCIM id as nativeIdentity', () => {
  it('creates with a server-assigned id and reads by it', async () => {
    const s = await server()
    const c = connector(s, { idAttribute: 'id' })
    const created: ConnectorAccount = await c.createAccount(null, { uid: 'assigned' })
    expect(created.nativeIdentity).toBe(userNamed(s, 'assigned')?.['id'])
    expect((await c.readAccount(created.nativeIdentity)).attributes['uid']).toBe('assigned')
    expect(classifyError(await failure(c.readAccount('no-such-id'))).kind).toBe('NOT_FOUND')
  })
})
