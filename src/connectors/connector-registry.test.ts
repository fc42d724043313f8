import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { SourceConfig } from '../domain/config/config-schemas.js'
import { ConnectorError, InputError } from '../domain/errors.js'
import { builtInConnectors } from './built-in-connectors.js'
import { isRecordFileReader } from './connector.js'
import type { ConnectorConfig } from './connector-registry.js'
import { DelimitedFileConnector } from './delimited/delimited-file-connector.js'
import { MemoryConnector } from './memory/memory-connector.js'

const workspaceDir = (): string => mkdtempSync(join(tmpdir(), 'provisio-registry-'))

const schemas: SourceConfig['schemas'] = [
  {
    name: 'account',
    identityAttribute: 'id',
    displayAttribute: 'name',
    attributes: [
      { name: 'id', type: 'STRING', isMulti: false, isEntitlement: false },
      { name: 'name', type: 'STRING', isMulti: false, isEntitlement: false },
      { name: 'groups', type: 'STRING', isMulti: true, isEntitlement: true },
    ],
  },
] as SourceConfig['schemas']

const config = (sourceName: string, connectorAttributes: Record<string, unknown>): ConnectorConfig => ({
  sourceName,
  connectorAttributes,
  schemas,
  workspaceDir: workspaceDir(),
})

describe('connector registry', () => {
  it('builds a memory connector, its file relative to the workspace folder', async () => {
    const c = config('Test', {
      file: 'state/test.json',
      idAttribute: 'uid',
      entitlementAttributes: ['groups'],
    })
    const connector = builtInConnectors().create('memory', c)
    expect(connector).toBeInstanceOf(MemoryConnector)
    await connector.createAccount(null, { uid: 'u1', groups: ['g'] })
    expect(existsSync(join(c.workspaceDir, 'state/test.json'))).toBe(true)
    const entitlements = []
    for await (const e of connector.listEntitlements()) entitlements.push(e)
    expect(entitlements).toEqual([{ attribute: 'groups', value: 'g' }])
  })

  it('names the source and the bad setting', () => {
    const build = (): unknown => builtInConnectors().create('memory', config('Test', { latencyMs: -1 }))
    expect(build).toThrow(InputError)
    expect(build).toThrow(/^source Test: connectorAttributes\.latencyMs: /)
  })

  it('refuses an unknown type clearly, naming the source and every known type', () => {
    const build = (): unknown => builtInConnectors().create('ldapp', config('Dir', {}))
    expect(build).toThrow(InputError)
    expect(build).toThrow(
      'source Dir: unknown connector type ldapp (known: delimited-file, ldap, memory, sailpoint-sdk, scim, sql)',
    )
  })

  it('reads a delimited file through the registry: read-only, its provisioning manual', async () => {
    const connectors = builtInConnectors()
    expect(connectors.provisioning('delimited-file')).toBe('manual')
    expect(connectors.provisioning('ldap')).toBe('connector')
    const c = config('HR', { file: 'data/hr.csv' })
    const connector = connectors.create('delimited-file', c)
    expect(connector).toBeInstanceOf(DelimitedFileConnector)
    await expect(connector.testConnection()).rejects.toThrow(/source "HR": file not found: .*hr\.csv/)

    mkdirSync(join(c.workspaceDir, 'data'))
    writeFileSync(join(c.workspaceDir, 'data/hr.csv'), 'id,name,groups\n1,Ada,a|b\n2,"Bob\n')
    await connector.testConnection()
    const listed = []
    for await (const a of connector.listAccounts()) listed.push(a)
    expect(listed).toEqual([
      { nativeIdentity: '1', attributes: { id: '1', name: 'Ada', groups: ['a', 'b'] } },
    ])
    // Aggregation reads the file whole: the row it could not read too.
    expect(isRecordFileReader(connector)).toBe(true)
    if (!isRecordFileReader(connector)) return
    const read = await connector.readRecordFile()
    expect(read.accounts.map((a) => a.nativeIdentity)).toEqual(['1'])
    expect(read.errors).toHaveLength(1)
    expect(await connector.readAccount('1')).toMatchObject({ nativeIdentity: '1' })
    await expect(connector.readAccount('9')).rejects.toMatchObject({ kind: 'NOT_FOUND' })

    const write = connector.createAccount('3', { id: '3' })
    await expect(write).rejects.toBeInstanceOf(ConnectorError)
    await expect(connector.deleteAccount('1')).rejects.toMatchObject({
      kind: 'TERMINAL',
      code: 'READ_ONLY',
      message: 'source "HR" is a delimited file: it is only read, its provisioning is manual',
    })
  })

  it('checks a delimited file’s settings when it is built', () => {
    const build = (): unknown =>
      builtInConnectors().create('delimited-file', config('HR', { delimiter: ';;' }))
    expect(build).toThrow(InputError)
    expect(build).toThrow(/^source HR: connectorAttributes\.file: .*; connectorAttributes\.delimiter: /)
  })

  it('takes new types and substitutes known ones, leaving the registry it came from alone', () => {
    const made: string[] = []
    const base = builtInConnectors()
    const extended = base.with('recording', (c) => {
      made.push(c.sourceName)
      return new MemoryConnector()
    })
    extended.create('recording', config('R', {}))
    expect(made).toEqual(['R'])
    expect(extended.has('recording')).toBe(true)
    expect(extended.provisioning('recording')).toBe('connector')
    expect(base.has('recording')).toBe(false)

    const substituted = base.with('memory', () => new MemoryConnector(), { provisioning: 'manual' })
    expect(substituted.provisioning('memory')).toBe('manual')
    expect(substituted.settingsSchema('memory')).toBeUndefined()
    expect(base.settingsSchema('memory')).toBeDefined()
  })
})
