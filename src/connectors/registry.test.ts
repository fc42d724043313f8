import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { InputError } from '../domain/errors.js'
import { MemoryConnector } from './memory/memory-connector.js'
import { connectorRegistry, createConnector, registerConnector } from './registry.js'

const workspaceDir = (): string => mkdtempSync(join(tmpdir(), 'provisio-registry-'))

describe('connector registry', () => {
  it('builds a memory connector, its file relative to the workspace folder', async () => {
    const dir = workspaceDir()
    const connector = createConnector('memory', {
      sourceName: 'Test',
      connectorAttributes: { file: 'state/test.json', idAttribute: 'uid', entitlementAttributes: ['groups'] },
      workspaceDir: dir,
    })
    expect(connector).toBeInstanceOf(MemoryConnector)
    await connector.createAccount(null, { uid: 'u1', groups: ['g'] })
    expect(existsSync(join(dir, 'state/test.json'))).toBe(true)
    const entitlements = []
    for await (const e of connector.listEntitlements()) entitlements.push(e)
    expect(entitlements).toEqual([{ attribute: 'groups', value: 'g' }])
  })

  it('names the source and the bad setting', () => {
    const build = (): unknown =>
      createConnector('memory', {
        sourceName: 'Test',
        connectorAttributes: { latencyMs: -1 },
        workspaceDir: workspaceDir(),
      })
    expect(build).toThrow(InputError)
    expect(build).toThrow(/^source Test: connectorAttributes\.latencyMs: /)
  })

  it('lists the known types for an unknown one', () => {
    const build = (): unknown =>
      createConnector('ldapp', { sourceName: 'Dir', connectorAttributes: {}, workspaceDir: workspaceDir() })
    expect(build).toThrow(InputError)
    expect(build).toThrow(/unknown connector type ldapp \(known: .*memory.*\)/)
  })

  it('takes new types', () => {
    const made: string[] = []
    registerConnector('recording', (config) => {
      made.push(config.sourceName)
      return new MemoryConnector()
    })
    createConnector('recording', { sourceName: 'R', connectorAttributes: {}, workspaceDir: workspaceDir() })
    expect(made).toEqual(['R'])
    expect(connectorRegistry.has('recording')).toBe(true)
  })
})
