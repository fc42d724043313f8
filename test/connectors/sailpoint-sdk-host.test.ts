import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { ConnectorError } from '../../src/domain/errors.js'
import { builtInConnectors } from '../../src/connectors/built-in-connectors.js'
import { SailPointSdkConnector } from '../../src/connectors/sailpoint-sdk/sailpoint-sdk-connector.js'
import { sailpointSdkSettings } from '../../src/connectors/sailpoint-sdk/sailpoint-sdk-settings.js'
import { InputError } from '../../src/domain/errors.js'
import { bundleSdkConnector } from '../support/bundle-sdk-connector.js'
import { startRestTarget, type RestTarget } from '../support/rest-target-server.js'
import { tempDir } from '../support/temp-workspace.js'
import { all } from '../../src/connectors/contract/connector-contract-suite.js'

const FIXTURES = join(import.meta.dirname, '../fixtures/sdk-connectors')

const opened: SailPointSdkConnector[] = []
const servers: RestTarget[] = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((c) => c.close()))
  await Promise.all(servers.splice(0).map((s) => s.stop()))
})

function connector(
  sourceName: string,
  attributes: Record<string, unknown>,
  env: Record<string, string | undefined> = {},
): SailPointSdkConnector {
  const c = new SailPointSdkConnector(sailpointSdkSettings(sourceName, attributes, FIXTURES), { env })
  opened.push(c)
  return c
}

async function rejection(p: Promise<unknown>): Promise<ConnectorError> {
  const err = await p.then(
    () => new Error('expected the operation to fail'),
    (e: unknown) => e,
  )
  if (!(err instanceof ConnectorError)) throw err
  return err
}

describe('sailpoint-sdk connector host', () => {
  it('is registered as sailpoint-sdk, and names a bad setting by its path', () => {
    const build = (connectorAttributes: Record<string, unknown>) =>
      builtInConnectors().create('sailpoint-sdk', {
        sourceName: 'Probe',
        connectorAttributes,
        schemas: [],
        workspaceDir: FIXTURES,
      })
    expect(() => build({ module: 'no-such-connector' })).toThrow(InputError)
    expect(() => build({ module: 'no-such-connector' })).toThrow(
      /source Probe: connectorAttributes\.module: no connector at no-such-connector/,
    )
    expect(() => build({ module: 'probe', timeoutMs: -1 })).toThrow(/connectorAttributes\.timeoutMs/)
    expect(build({ module: 'probe' })).toBeInstanceOf(SailPointSdkConnector)
  })

  it('gives two sources with different configurations only their own, when invoked concurrently', async () => {
    const a = connector('Source A', { module: 'probe', config: { label: 'a', delayMs: 20 } })
    const b = connector('Source B', { module: 'probe', config: { label: 'b', delayMs: 5 } })
    const reads = await Promise.all(
      Array.from({ length: 10 }, (_, i) => [a.readAccount(`a${i}`), b.readAccount(`b${i}`)]).flat(),
    )
    for (const read of reads) {
      const label = read.nativeIdentity.charAt(0)
      const { factoryLabel, before, after, env, source } = read.attributes
      expect({ factoryLabel, before, after, env }).toEqual({
        factoryLabel: label,
        before: label,
        after: label,
        env: label,
      })
      expect(source).toBe(label === 'a' ? 'Source A' : 'Source B')
    }
    const threads = new Set(
      reads.map((r) => `${r.nativeIdentity.charAt(0)}:${String(r.attributes['threadId'])}`),
    )
    // One long-lived worker per source, serving all of that source's invocations.
    expect(threads.size).toBe(2)
  })

  it('talks to each source own system with its own token, concurrently', async () => {
    const bundle = await bundleSdkConnector(join(FIXTURES, 'rest-users'))
    const one = await startRestTarget({ token: 'token-one', groups: ['staff'] })
    const two = await startRestTarget({ token: 'token-two', groups: ['staff'] })
    servers.push(one, two)
    const c1 = connector('One', { module: bundle, config: { baseUrl: one.url, token: 'token-one' } })
    const c2 = connector('Two', { module: bundle, config: { baseUrl: two.url, token: 'token-two' } })
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => [
        c1.createAccount(`one.${i}`, { mail: `one.${i}@example.com` }),
        c2.createAccount(`two.${i}`, { mail: `two.${i}@example.com` }),
      ]).flat(),
    )
    expect([...one.users.keys()].every((id) => id.startsWith('one.'))).toBe(true)
    expect([...two.users.keys()].every((id) => id.startsWith('two.'))).toBe(true)
    expect([one.users.size, two.users.size]).toEqual([8, 8])
    expect([...one.tokensSeen]).toEqual(['token-one'])
    expect([...two.tokensSeen]).toEqual(['token-two'])
  })

  it('sees none of the engine environment but the basics and what passEnv names', async () => {
    const c = connector(
      'Probe',
      { module: 'probe', config: { label: 'p' }, passEnv: ['PROBE_EXTRA'] },
      { PATH: '/usr/bin', OTHER_SOURCE_PASSWORD: 'not-yours', PROBE_EXTRA: 'yes' },
    )
    const keys = (await c.readAccount('me')).attributes['envKeys'] as string[]
    expect(keys.sort()).toEqual(['CONNECTOR_CONFIG', 'PATH', 'PROBE_EXTRA'])
  })

  it.each(['plain build', 'ncc bundle'])(
    'reports an InvalidConfigurationError as TERMINAL naming the source (%s)',
    async (kind) => {
      const module =
        kind === 'plain build' ? 'rest-users' : await bundleSdkConnector(join(FIXTURES, 'rest-users'))
      const c = connector('REST Users', { module, config: { baseUrl: 'http://127.0.0.1:9' } })
      const err = await rejection(c.testConnection())
      expect(err.kind).toBe('TERMINAL')
      expect(err.code).toBe('INVALID_CONFIGURATION')
      expect(err.message).toBe(
        'source REST Users: the connector refused its configuration: token must be provided in the source configuration',
      )
    },
  )

  it('reports a command the connector has no handler for as TERMINAL naming the command', async () => {
    const err = await rejection(connector('Probe', { module: 'probe' }).deleteAccount('anyone'))
    expect(err).toMatchObject({ kind: 'TERMINAL', code: 'UNSUPPORTED_COMMAND' })
    expect(err.message).toBe('source Probe: the connector does not support std:account:delete')
  })

  it('resolves a secret reference for the connector and keeps its value out of errors', async () => {
    const secret = 'probe-secret-4711'
    const c = connector(
      'Probe',
      { module: 'probe', config: { token: '${env:PROBE_TOKEN}' } },
      { PROBE_TOKEN: secret },
    )
    expect((await c.readAccount('me')).attributes['token']).toBe(secret)
    const err = await rejection(c.readAccount('leak'))
    expect(err.message).toBe('token ******** was refused')
    expect(
      JSON.stringify({ message: err.message, cause: String(err.cause), stack: err.stack }),
    ).not.toContain(secret)
    const unset = await rejection(
      connector('Probe', { module: 'probe', config: { token: '${env:PROBE_UNSET}' } }).readAccount('me'),
    )
    expect(unset).toMatchObject({ kind: 'TERMINAL', code: 'SECRET_UNAVAILABLE' })
    expect(unset.message).toBe(
      'source Probe: connectorAttributes.config.token: environment variable PROBE_UNSET is not set',
    )
  })

  it('streams a list of thousands of accounts as the connector sends them', async () => {
    const gateFile = join(tempDir(), 'first-account-received')
    const c = connector('Probe', { module: 'probe', config: { label: 'many', count: 5000, gateFile } })
    const ids = new Set<string>()
    // The probe sends one account, then waits for this file: a host that held the records back until the
    // command ended would leave it waiting, and the list would fail.
    for await (const account of c.listAccounts()) {
      if (ids.size === 0) writeFileSync(gateFile, '')
      ids.add(account.nativeIdentity)
    }
    expect(ids.size).toBe(5000)
    expect(ids.has('many-0') && ids.has('many-4999')).toBe(true)
  })

  it('stops reading a list when the engine stops, and serves the next command', async () => {
    const c = connector('Probe', { module: 'probe', config: { label: 'x', count: 3000 } })
    let read = 0
    for await (const _account of c.listAccounts()) if (++read === 10) break
    expect(read).toBe(10)
    expect((await all(c.listAccounts())).length).toBe(3000)
    expect((await c.readAccount('after')).nativeIdentity).toBe('after')
  })

  it('times a command by what the connector sends, not by how fast the engine reads', async () => {
    // The probe sends 500 accounts every 150 ms for 1.8 s, never silent for the 1 s timeout, while this
    // reader spends 2.5 s on its first account.
    const c = connector('Probe', {
      module: 'probe',
      config: { label: 's', count: 6000, paceMs: 150 },
      timeoutMs: 1000,
    })
    let read = 0
    for await (const _account of c.listAccounts()) if (read++ === 0) await setTimeout(2500)
    expect(read).toBe(6000)
  })

  it('stops a command that hangs: RETRYABLE, and its worker thread is terminated', async () => {
    // The limit is per command, and the first one also starts the thread and loads the connector: on a
    // loaded machine that alone took over 0.3 s, so the limit leaves room for it (the hang waits it out).
    const c = connector('Probe', { module: 'probe', config: { label: 'h' }, timeoutMs: 3000 })
    const before = (await c.readAccount('first')).attributes['threadId']
    const err = await rejection(c.readAccount('hang'))
    expect(err).toMatchObject({ kind: 'RETRYABLE', code: 'CONNECTOR_TIMEOUT' })
    expect(err.message).toMatch(/^source Probe: std:account:read sent nothing for 3 s/)
    // The rejection comes once the thread is gone; the next command gets a new one.
    expect(c.threadId).toBeUndefined()
    const after = (await c.readAccount('next')).attributes['threadId']
    expect(after).not.toBe(before)
  })

  it('reports a worker thread that crashes as RETRYABLE, and starts a new one', async () => {
    const c = connector('Probe', { module: 'probe', config: { label: 'c' } })
    const err = await rejection(c.readAccount('crash'))
    expect(err).toMatchObject({ kind: 'RETRYABLE', code: 'CONNECTOR_WORKER_CRASHED' })
    expect(err.message).toContain('the probe crashed its thread')
    expect((await c.readAccount('next')).nativeIdentity).toBe('next')
  })

  it('classifies a refused connection as RETRYABLE, with the socket error code', async () => {
    const server = await startRestTarget({ token: 't' })
    const c = connector('REST Users', { module: 'rest-users', config: { baseUrl: server.url, token: 't' } })
    await c.testConnection()
    await server.stop()
    const err = await rejection(c.readAccount('anyone'))
    expect(err).toMatchObject({ kind: 'RETRYABLE', code: 'ECONNREFUSED', message: 'fetch failed' })
  })
})
