import {
  appendFileSync,
  chmodSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, expectTypeOf, it } from 'vitest'
import { classifyError, type ErrorKind } from '../../domain/execution/classify-error.js'
import type { ConnectorAccount, ConnectorErrorKind } from '../connector.js'
import { ConnectorError } from '../../domain/errors.js'
import type { BreakMode, MemoryOperation } from './break-mode.js'
import { MEMORY_OPERATIONS } from './break-mode.js'
import { verifyPassword } from '../password-hash.js'
import { createMemoryConnector, type MemoryConnector } from './memory-connector.js'

const tempFile = (): string => join(mkdtempSync(join(tmpdir(), 'provisio-memory-')), 'state.json')
const fixedClock = (): Date => new Date('2025-03-01T09:00:00.000Z')
const journalLines = (file: string): Record<string, unknown>[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>)

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of items) out.push(item)
  return out
}

/** Runs `op` on a connector holding account `a` (and `b`, which `create` creates). */
function run(connector: MemoryConnector, op: MemoryOperation): Promise<unknown> {
  switch (op) {
    case 'create':
      return connector.createAccount('b', {})
    case 'update':
      return connector.updateAccount('a', [{ op: 'Set', attribute: 'mail', value: 'a@x' }])
    case 'delete':
      return connector.deleteAccount('a')
    case 'enable':
      return connector.enableAccount('a')
    case 'disable':
      return connector.disableAccount('a')
    case 'read':
      return connector.readAccount('a')
    case 'list':
      return collect(connector.listAccounts())
    case 'test':
      return connector.testConnection()
  }
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (e) {
    return e
  }
  throw new Error('expected the operation to fail')
}

const withA = (): MemoryConnector =>
  createMemoryConnector({
    initialAccounts: [{ nativeIdentity: 'a', attributes: { id: 'a' } }],
    now: fixedClock,
  })

describe('MemoryConnector operations', () => {
  it('creates, reads, lists, updates, disables, enables and deletes accounts', async () => {
    const c = createMemoryConnector({ now: fixedClock })
    await c.testConnection()
    expect(await c.createAccount('alice', { mail: 'alice@x', groups: ['g1'] })).toEqual({
      nativeIdentity: 'alice',
      attributes: { id: 'alice', mail: 'alice@x', groups: ['g1'] },
      disabled: false,
    })
    expect((await c.readAccount('alice')).attributes['mail']).toBe('alice@x')
    expect((await c.disableAccount('alice')).disabled).toBe(true)
    expect((await c.readAccount('alice')).disabled).toBe(true)
    expect((await c.enableAccount('alice')).disabled).toBe(false)
    const updated = await c.updateAccount('alice', [{ op: 'Set', attribute: 'mail', value: 'a@y' }])
    expect(updated.attributes['mail']).toBe('a@y')
    expect((await collect(c.listAccounts())).map((a) => a.nativeIdentity)).toEqual(['alice'])
    await c.deleteAccount('alice')
    expect(await collect(c.listAccounts())).toEqual([])
  })

  it('takes the id of a system-assigned account from the id attribute', async () => {
    const c = createMemoryConnector({ idAttribute: 'uid' })
    expect((await c.createAccount(null, { uid: 'u1', cn: 'U One' })).nativeIdentity).toBe('u1')
    const noId = await failure(c.createAccount(null, { cn: 'nobody' }))
    expect(noId).toBeInstanceOf(ConnectorError)
    expect(classifyError(noId)).toMatchObject({ kind: 'TERMINAL', code: 'SCHEMA' })
  })

  it('refuses a second account with the same id, and operations on a missing one', async () => {
    const c = withA()
    expect(classifyError(await failure(c.createAccount('a', {})))).toMatchObject({ kind: 'ALREADY_EXISTS' })
    for (const op of [
      () => c.readAccount('zz'),
      () => c.updateAccount('zz', []),
      () => c.deleteAccount('zz'),
      () => c.enableAccount('zz'),
      () => c.disableAccount('zz'),
    ]) {
      expect(classifyError(await failure(op()))).toEqual({
        kind: 'NOT_FOUND',
        message: 'account zz not found',
        code: 'NOT_FOUND',
      })
    }
  })

  it('adds values idempotently, removes them if present, and sets attributes', async () => {
    const c = createMemoryConnector({
      initialAccounts: [{ nativeIdentity: 'a', attributes: { groups: 'g1' } }],
    })
    const after = await c.updateAccount('a', [
      { op: 'Add', attribute: 'groups', value: 'g2' },
      { op: 'Add', attribute: 'groups', value: 'g2' },
      { op: 'Add', attribute: 'groups', value: ['g1', 'g3'] },
      { op: 'Remove', attribute: 'groups', value: 'g3' },
      { op: 'Remove', attribute: 'groups', value: 'absent' },
      { op: 'Add', attribute: 'roles', value: 'r1' },
      { op: 'Set', attribute: 'title', value: 'Engineer' },
      { op: 'Set', attribute: 'tags', value: ['x', 'y'] },
    ])
    expect(after.attributes).toEqual({
      groups: ['g1', 'g2'],
      roles: ['r1'],
      title: 'Engineer',
      tags: ['x', 'y'],
    })
    const cleared = await c.updateAccount('a', [
      { op: 'Remove', attribute: 'roles', value: 'r1' },
      { op: 'Set', attribute: 'title', value: null },
    ])
    expect(cleared.attributes).toEqual({ groups: ['g1', 'g2'], tags: ['x', 'y'] })
  })

  it('applies no change of an update that holds an invalid one', async () => {
    const c = withA()
    const bad = { op: 'Replace', attribute: 'x', value: 1 } as unknown as {
      op: 'Set'
      attribute: string
      value: unknown
    }
    const err = await failure(c.updateAccount('a', [{ op: 'Set', attribute: 'mail', value: 'm' }, bad]))
    expect(classifyError(err)).toMatchObject({ kind: 'TERMINAL', code: 'SCHEMA' })
    expect((await c.readAccount('a')).attributes).toEqual({ id: 'a' })
    expect(c.operationLog()).toEqual([])
  })

  it('hands out copies: changing a returned account does not change the system', async () => {
    const c = withA()
    const read = await c.readAccount('a')
    ;(read.attributes as Record<string, unknown>)['id'] = 'changed'
    expect((await c.readAccount('a')).attributes['id']).toBe('a')
  })

  it('lists configured entitlements and the entitlement values accounts hold, once each', async () => {
    const c = createMemoryConnector({
      entitlementAttributes: ['groups', 'roles'],
      entitlements: [{ attribute: 'groups', value: 'admins', displayName: 'Administrators' }],
      initialAccounts: [
        { nativeIdentity: 'a', attributes: { groups: ['admins', 'dev'], roles: 'r1', other: 'x' } },
        { nativeIdentity: 'b', attributes: { groups: ['dev', 'ops'] } },
      ],
    })
    expect(await collect(c.listEntitlements())).toEqual([
      { attribute: 'groups', value: 'admins', displayName: 'Administrators' },
      { attribute: 'groups', value: 'dev' },
      { attribute: 'roles', value: 'r1' },
      { attribute: 'groups', value: 'ops' },
    ])
  })

  it('is not used after close', async () => {
    const c = withA()
    await c.close()
    await expect(c.readAccount('a')).rejects.toThrow('closed')
  })
})

describe('MemoryConnector break modes', () => {
  const outcomes: [BreakMode, ErrorKind, string | undefined, RegExp][] = [
    ['NETWORK', 'RETRYABLE', 'ECONNREFUSED', /^connect ECONNREFUSED 127\.0\.0\.1:389$/],
    ['HOST_UNREACHABLE', 'RETRYABLE', 'EHOSTUNREACH', /^connect EHOSTUNREACH /],
    ['TIMEOUT', 'RETRYABLE', 'ETIMEDOUT', /^connect ETIMEDOUT /],
    ['SCHEMA', 'TERMINAL', 'SCHEMA', /^schema violation: /],
    ['ALREADY_EXISTS', 'ALREADY_EXISTS', 'ALREADY_EXISTS', /already exists/],
    ['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND', /not found/],
    ['GENERIC', 'TERMINAL', undefined, /^internal error/],
  ]

  describe.each(outcomes)('%s', (mode, kind, code, message) => {
    it.each(MEMORY_OPERATIONS)(`makes %s fail as ${kind}, and applies nothing`, async (op) => {
      const c = withA()
      c.setBreakMode(op, mode)
      const classified = classifyError(await failure(run(c, op)))
      expect(classified.kind).toBe(kind)
      expect(classified.code).toBe(code)
      expect(classified.message).toMatch(message)
      expect(c.accounts()).toEqual([{ nativeIdentity: 'a', attributes: { id: 'a' }, disabled: false }])
      expect(c.operationLog()).toEqual([])
    })
  })

  it('fails network modes with errors shaped like Node socket errors', async () => {
    const c = withA()
    c.setBreakMode('read', 'NETWORK')
    expect(await failure(c.readAccount('a'))).toMatchObject({ code: 'ECONNREFUSED', syscall: 'connect' })
  })

  it('breaks only the operation it is set on', async () => {
    const c = withA()
    c.setBreakMode('update', 'NETWORK')
    await expect(c.readAccount('a')).resolves.toMatchObject({ nativeIdentity: 'a' })
    await expect(run(c, 'update')).rejects.toThrow('ECONNREFUSED')
  })

  it('breaks list for entitlements too', async () => {
    const c = withA()
    c.setBreakMode('list', 'TIMEOUT')
    await expect(collect(c.listEntitlements())).rejects.toThrow('ETIMEDOUT')
  })

  it('breaks every operation with *, and an operation set afterwards differs', async () => {
    const c = withA()
    c.setBreakMode('*', 'HOST_UNREACHABLE')
    c.setBreakMode('read', 'NONE')
    expect(Object.keys(c.breakModes()).sort()).toEqual(MEMORY_OPERATIONS.filter((o) => o !== 'read').sort())
    await expect(c.readAccount('a')).resolves.toMatchObject({ nativeIdentity: 'a' })
    await expect(c.testConnection()).rejects.toThrow('EHOSTUNREACH')
  })

  it('uses a given message, so a source pattern can be tested', async () => {
    const c = withA()
    c.setBreakMode('create', 'GENERIC', { message: 'ORA-12541: TNS:no listener' })
    const err = await failure(run(c, 'create'))
    expect(classifyError(err).kind).toBe('TERMINAL')
    expect(classifyError(err, ['ORA-12541'])).toEqual({
      kind: 'RETRYABLE',
      message: 'ORA-12541: TNS:no listener',
    })
  })

  it('switches while running: fail, then succeed once the mode is cleared', async () => {
    const c = withA()
    c.setBreakMode('update', 'NETWORK')
    await expect(run(c, 'update')).rejects.toThrow('ECONNREFUSED')
    c.setBreakMode('update', 'SCHEMA')
    await expect(run(c, 'update')).rejects.toThrow('schema violation')
    c.clearBreakModes()
    await expect(run(c, 'update')).resolves.toMatchObject({ attributes: { mail: 'a@x' } })
    expect(c.breakModes()).toEqual({})
  })

  it('SLOW waits at least its latency, then succeeds', async () => {
    const c = withA()
    c.setBreakMode('read', 'SLOW', { latencyMs: 60 })
    const started = performance.now()
    await expect(c.readAccount('a')).resolves.toMatchObject({ nativeIdentity: 'a' })
    expect(performance.now() - started).toBeGreaterThanOrEqual(60)
  })

  it('SLOW updates are applied and logged', async () => {
    const c = withA()
    c.setBreakMode('update', 'SLOW', { latencyMs: 5 })
    await run(c, 'update')
    expect(c.operationLog().map((e) => e.op)).toEqual(['update'])
  })

  it('waits the connector latency before every operation', async () => {
    const c = createMemoryConnector({ latencyMs: 30 })
    const started = performance.now()
    await c.testConnection()
    expect(performance.now() - started).toBeGreaterThanOrEqual(30)
  })
})

describe('MemoryConnector log', () => {
  it('holds the applied operations only, in order', async () => {
    const c = createMemoryConnector({ now: fixedClock })
    await c.createAccount('a', { groups: ['g1'] })
    c.setBreakMode('update', 'NETWORK')
    await failure(c.updateAccount('a', [{ op: 'Add', attribute: 'groups', value: 'g2' }]))
    c.clearBreakModes()
    await c.updateAccount('a', [{ op: 'Add', attribute: 'groups', value: 'g2' }])
    await failure(c.createAccount('a', {}))
    await c.readAccount('a')
    await c.disableAccount('a')
    await c.enableAccount('a')
    await c.deleteAccount('a')
    await failure(c.deleteAccount('a'))
    const at = '2025-03-01T09:00:00.000Z'
    expect(c.operationLog()).toEqual([
      { seq: 1, op: 'create', nativeIdentity: 'a', attributes: { id: 'a', groups: ['g1'] }, at },
      {
        seq: 2,
        op: 'update',
        nativeIdentity: 'a',
        changes: [{ op: 'Add', attribute: 'groups', value: 'g2' }],
        at,
      },
      { seq: 3, op: 'disable', nativeIdentity: 'a', at },
      { seq: 4, op: 'enable', nativeIdentity: 'a', at },
      { seq: 5, op: 'delete', nativeIdentity: 'a', at },
    ])
  })
})

describe('MemoryConnector state file', () => {
  it('is shared by two connectors on one file', async () => {
    const file = tempFile()
    const first = createMemoryConnector({ file, entitlementAttributes: ['groups'] })
    await first.createAccount('a', { groups: ['g1'] })
    await first.disableAccount('a')

    const second = createMemoryConnector({ file, entitlementAttributes: ['groups'] })
    const expected: ConnectorAccount = {
      nativeIdentity: 'a',
      attributes: { id: 'a', groups: ['g1'] },
      disabled: true,
    }
    expect(await second.readAccount('a')).toEqual(expected)
    expect(second.operationLog().map((e) => [e.seq, e.op])).toEqual([
      [1, 'create'],
      [2, 'disable'],
    ])

    // The second continues the sequence; the first sees its change without being told to reload.
    await second.updateAccount('a', [{ op: 'Add', attribute: 'groups', value: 'g2' }])
    expect((await first.readAccount('a')).attributes['groups']).toEqual(['g1', 'g2'])
    expect(first.operationLog().at(-1)).toMatchObject({ seq: 3, op: 'update' })
    expect(await collect(first.listEntitlements())).toEqual([
      { attribute: 'groups', value: 'g1' },
      { attribute: 'groups', value: 'g2' },
    ])
  })

  it('carries break modes switched by another connector on the file', async () => {
    const file = tempFile()
    const engine = createMemoryConnector({ file, initialAccounts: [{ nativeIdentity: 'a', attributes: {} }] })
    const controller = createMemoryConnector({ file })
    controller.setBreakMode('read', 'NETWORK')
    await expect(engine.readAccount('a')).rejects.toThrow('ECONNREFUSED')
    controller.clearBreakModes()
    await expect(engine.readAccount('a')).resolves.toMatchObject({ nativeIdentity: 'a' })
  })

  it('appends one JSON line per applied operation and break-mode change, leaving no other files', async () => {
    const file = tempFile()
    const c = createMemoryConnector({ file, now: fixedClock })
    await c.createAccount('a', { mail: 'a@x' })
    c.setBreakMode('delete', 'TIMEOUT')
    await failure(c.deleteAccount('a'))
    c.clearBreakModes()
    await c.deleteAccount('a')
    const at = '2025-03-01T09:00:00.000Z'
    expect(journalLines(file)).toEqual([
      { type: 'header', format: 'provisio-memory-connector', version: 2, entitlements: [], accounts: [] },
      {
        type: 'op',
        entry: { seq: 1, op: 'create', nativeIdentity: 'a', attributes: { id: 'a', mail: 'a@x' }, at },
        account: { attributes: { id: 'a', mail: 'a@x' }, disabled: false },
      },
      { type: 'breakMode', ops: ['delete'], setting: { mode: 'TIMEOUT' } },
      { type: 'clearBreakModes' },
      { type: 'op', entry: { seq: 2, op: 'delete', nativeIdentity: 'a', at }, account: null },
    ])
    expect(readdirSync(join(file, '..'))).toEqual(['state.json'])
  })

  it('is readable by its owner only and holds a hash of a password, never the password', async () => {
    const file = tempFile()
    const c = createMemoryConnector({ file, now: fixedClock })
    const created = await c.createAccount('a', { mail: 'a@x', password: 'Clear-Text-1!' })
    await c.updateAccount('a', [{ op: 'Set', attribute: 'password', value: 'Clear-Text-2!' }])
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const text = readFileSync(file, 'utf8')
    expect(text).not.toContain('Clear-Text-')
    expect(verifyPassword(created.attributes['password'] as string, 'Clear-Text-1!')).toBe(true)
    const now = (await c.readAccount('a')).attributes['password'] as string
    expect(now).toMatch(/^\{SSHA512\}/)
    expect(verifyPassword(now, 'Clear-Text-2!')).toBe(true)
    expect(verifyPassword(now, 'Clear-Text-1!')).toBe(false)
    // A file from before, readable by others, becomes the owner's only at its next change.
    chmodSync(file, 0o644)
    const later = createMemoryConnector({ file, now: fixedClock })
    await later.disableAccount('a')
    expect(statSync(file).mode & 0o777).toBe(0o600)
  })

  it('is replayed by a new connector: accounts, log and break modes', async () => {
    const file = tempFile()
    const first = createMemoryConnector({ file, now: fixedClock })
    await first.createAccount('a', { groups: ['g1'] })
    await first.createAccount('b', {})
    await first.updateAccount('a', [{ op: 'Add', attribute: 'groups', value: 'g2' }])
    await first.disableAccount('b')
    await first.deleteAccount('a')
    first.setBreakMode('*', 'NETWORK')
    first.setBreakMode('read', 'SLOW', { latencyMs: 5 })
    first.setBreakMode('test', 'NONE')

    const second = createMemoryConnector({ file })
    expect(second.accounts()).toEqual(first.accounts())
    expect(second.accounts()).toEqual([{ nativeIdentity: 'b', attributes: { id: 'b' }, disabled: true }])
    expect(second.operationLog()).toEqual(first.operationLog())
    expect(second.operationLog().map((e) => e.op)).toEqual([
      'create',
      'create',
      'update',
      'disable',
      'delete',
    ])
    expect(second.breakModes()).toEqual(first.breakModes())
    expect(second.breakModes()['read']).toEqual({ mode: 'SLOW', latencyMs: 5 })
    expect(second.breakModes()['test']).toBeUndefined()
  })

  it('keeps the break modes two connectors switch without having seen each other', () => {
    const file = tempFile()
    const one = createMemoryConnector({ file })
    const two = createMemoryConnector({ file })
    one.setBreakMode('read', 'NETWORK')
    two.setBreakMode('update', 'TIMEOUT')
    expect(one.breakModes()).toEqual({ read: { mode: 'NETWORK' }, update: { mode: 'TIMEOUT' } })
  })

  it('refuses to create an account another connector on the file created first, even after a SLOW wait', async () => {
    const file = tempFile()
    const slow = createMemoryConnector({ file })
    const fast = createMemoryConnector({ file })
    slow.setBreakMode('create', 'SLOW', { latencyMs: 50 })
    const late = failure(slow.createAccount('x', { from: 'slow' }))
    fast.clearBreakModes()
    await fast.createAccount('x', { from: 'fast' })
    expect(classifyError(await late)).toMatchObject({ kind: 'ALREADY_EXISTS' })
    expect(slow.operationLog().map((e) => [e.op, e.nativeIdentity])).toEqual([['create', 'x']])
    expect((await slow.readAccount('x')).attributes).toEqual({ id: 'x', from: 'fast' })
  })

  it('ignores an incomplete last line, and cuts it off before the next append', async () => {
    const file = tempFile()
    const c = createMemoryConnector({ file, now: fixedClock })
    await c.createAccount('a', {})
    await c.createAccount('b', {})
    // What a process killed in the middle of writing a line leaves.
    const torn = '{"type":"op","entry":{"seq":3,"op":"create","nativeIdentity":"c"'
    appendFileSync(file, torn)

    const reader = createMemoryConnector({ file })
    expect(reader.accounts().map((a) => a.nativeIdentity)).toEqual(['a', 'b'])
    expect(c.accounts().map((a) => a.nativeIdentity)).toEqual(['a', 'b'])
    expect(readFileSync(file, 'utf8').endsWith(torn)).toBe(true)

    await reader.createAccount('d', {})
    expect(readFileSync(file, 'utf8')).not.toContain(torn)
    expect(journalLines(file).map((l) => l['type'])).toEqual(['header', 'op', 'op', 'op'])
    for (const connector of [c, reader, createMemoryConnector({ file })]) {
      expect(connector.operationLog().map((e) => [e.seq, e.nativeIdentity])).toEqual([
        [1, 'a'],
        [2, 'b'],
        [3, 'd'],
      ])
    }
  })

  it('keeps configured entitlements and initial accounts', async () => {
    const file = tempFile()
    createMemoryConnector({
      file,
      entitlements: [{ attribute: 'groups', value: 'admins' }],
      initialAccounts: [{ nativeIdentity: 'a', attributes: { id: 'a' } }],
    })
    const later = createMemoryConnector({
      file,
      initialAccounts: [{ nativeIdentity: 'ignored', attributes: {} }],
    })
    expect(later.accounts().map((a) => a.nativeIdentity)).toEqual(['a'])
    expect(await collect(later.listEntitlements())).toEqual([{ attribute: 'groups', value: 'admins' }])

    createMemoryConnector({ file, entitlements: [{ attribute: 'groups', value: 'ops' }] })
    expect(await collect(later.listEntitlements())).toEqual([{ attribute: 'groups', value: 'ops' }])
  })

  it('reloads on request', async () => {
    const file = tempFile()
    const c = createMemoryConnector({ file })
    await c.createAccount('a', {})
    const header = readFileSync(file, 'utf8').split('\n')[0] as string
    writeFileSync(file, `${header}\n`)
    c.reload()
    expect(c.accounts()).toEqual([])
    expect(c.operationLog()).toEqual([])
  })

  it('starts over when the file is replaced', async () => {
    const file = tempFile()
    const c = createMemoryConnector({ file })
    await c.createAccount('a', {})
    const other = join(file, '..', 'other.json')
    await createMemoryConnector({ file: other }).createAccount('z', {})
    renameSync(other, file)
    expect(c.accounts().map((a) => a.nativeIdentity)).toEqual(['z'])
  })

  it('reads a state file of version 1, and turns it into a journal at the first change', async () => {
    const file = tempFile()
    const at = '2025-03-01T09:00:00.000Z'
    const v1 = {
      version: 1,
      accounts: [{ nativeIdentity: 'a', attributes: { id: 'a', groups: ['g1'] }, disabled: false }],
      entitlements: [{ attribute: 'groups', value: 'admins' }],
      log: [{ seq: 1, op: 'create', nativeIdentity: 'a', attributes: { id: 'a', groups: ['g1'] }, at }],
      breakModes: { delete: { mode: 'TIMEOUT' } },
    }
    writeFileSync(file, JSON.stringify(v1, null, 2) + '\n')
    const reader = createMemoryConnector({ file, now: fixedClock })
    expect(reader.accounts()).toEqual(v1.accounts)
    expect(reader.operationLog()).toEqual(v1.log)
    expect(reader.breakModes()).toEqual(v1.breakModes)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(v1)

    const writer = createMemoryConnector({ file, now: fixedClock })
    await writer.createAccount('b', {})
    expect(journalLines(file).map((l) => l['type'])).toEqual(['header', 'op'])
    for (const c of [reader, writer, createMemoryConnector({ file })]) {
      expect(c.operationLog().map((e) => [e.seq, e.nativeIdentity])).toEqual([
        [1, 'a'],
        [2, 'b'],
      ])
      expect(c.breakModes()).toEqual(v1.breakModes)
      expect(await collect(c.listEntitlements())).toEqual(v1.entitlements)
    }
  })

  it('refuses a file that is not a state file', () => {
    const file = tempFile()
    writeFileSync(file, JSON.stringify({ version: 2 }))
    expect(() => createMemoryConnector({ file })).toThrow(/not a memory connector state file/)
    // The format before the journal: one JSON document.
    writeFileSync(file, JSON.stringify({ version: 1, accounts: [], log: [] }, null, 2) + '\n')
    expect(() => createMemoryConnector({ file })).toThrow(/line 1: not a memory connector state file/)
  })

  it('refuses a journal with a bad line, naming it', async () => {
    const file = tempFile()
    await createMemoryConnector({ file }).createAccount('a', {})
    appendFileSync(file, '{"type":"op"}\n')
    expect(() => createMemoryConnector({ file })).toThrow(/line 3: not a memory connector journal record/)
  })
})

it('reports the same error kinds as the connector contract', () => {
  expectTypeOf<ConnectorErrorKind>().toEqualTypeOf<ErrorKind>()
})
