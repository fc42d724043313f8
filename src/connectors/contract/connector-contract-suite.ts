import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Connector, ConnectorAccount } from '../connector.js'
import { classifyError } from '../../domain/execution/classify-error.js'

/** What a connector's contract test needs: a fresh system, and a way to make it unreachable. */
export interface ContractSubject {
  readonly connector: Connector
  /** Makes the system unreachable (stops the server; a memory system breaks its network). */
  readonly stop: () => Promise<void>
  readonly cleanup?: () => Promise<void>
  /** The account attribute that holds entitlements (groups), and a value the system accepts. */
  readonly groups: { readonly attribute: string; readonly values: readonly [string, string] }
}

/** Every item of a connector's list. */
export async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of items) out.push(item)
  return out
}

/** How the engine classifies the failure an operation must end in. */
export async function failure(p: Promise<unknown>): Promise<ReturnType<typeof classifyError>> {
  try {
    await p
  } catch (err) {
    return classifyError(err)
  }
  throw new Error('expected the operation to fail')
}

/**
 * The one contract every connector passes (the in-memory one included): create, read, update with
 * Add/Remove/Set, enable/disable, delete, list, entitlements, not-found, already-exists, and an
 * unreachable system classified retryable.
 */
export function connectorContract(name: string, subject: () => Promise<ContractSubject>): void {
  describe(`connector contract: ${name}`, () => {
    let s: ContractSubject
    beforeEach(async () => {
      s = await subject()
    })
    afterEach(async () => {
      await s.connector.close().catch(() => undefined)
      await s.cleanup?.()
    })

    const attrs = (a: ConnectorAccount, key: string): string[] => {
      const v = a.attributes[key]
      return v === undefined || v === null ? [] : (Array.isArray(v) ? v : [v]).map(String)
    }

    it('tests its connection', async () => {
      await expect(s.connector.testConnection()).resolves.toBeUndefined()
    })

    it('creates, reads, updates with Add/Remove/Set, and lists an account', async () => {
      const { attribute, values } = s.groups
      const created = await s.connector.createAccount('contract.user', {
        uid: 'contract.user',
        mail: 'contract.user@example.com',
        [attribute]: [values[0]],
      })
      expect(created.nativeIdentity).toBe('contract.user')
      const read = await s.connector.readAccount('contract.user')
      expect(attrs(read, 'mail')).toEqual(['contract.user@example.com'])
      const updated = await s.connector.updateAccount('contract.user', [
        { op: 'Add', attribute, value: values[1] },
        { op: 'Remove', attribute, value: values[0] },
        { op: 'Set', attribute: 'mail', value: 'renamed@example.com' },
      ])
      expect(attrs(updated, attribute)).toEqual([values[1]])
      const again = await s.connector.readAccount('contract.user')
      expect(attrs(again, 'mail')).toEqual(['renamed@example.com'])
      expect(attrs(again, attribute)).toEqual([values[1]])
      const listed = await all(s.connector.listAccounts())
      expect(listed.map((a) => a.nativeIdentity)).toContain('contract.user')
    })

    it('disables and enables an account', async () => {
      await s.connector.createAccount('toggled', { uid: 'toggled' })
      expect((await s.connector.disableAccount('toggled')).disabled).toBe(true)
      expect((await s.connector.readAccount('toggled')).disabled).toBe(true)
      expect((await s.connector.enableAccount('toggled')).disabled).toBe(false)
    })

    it('deletes an account; reading it then is NOT_FOUND', async () => {
      await s.connector.createAccount('gone', { uid: 'gone' })
      await s.connector.deleteAccount('gone')
      expect((await failure(s.connector.readAccount('gone'))).kind).toBe('NOT_FOUND')
      expect(
        (await failure(s.connector.updateAccount('gone', [{ op: 'Set', attribute: 'mail', value: 'x' }])))
          .kind,
      ).toBe('NOT_FOUND')
    })

    it('refuses to create an account twice: ALREADY_EXISTS', async () => {
      await s.connector.createAccount('twice', { uid: 'twice' })
      expect((await failure(s.connector.createAccount('twice', { uid: 'twice' }))).kind).toBe(
        'ALREADY_EXISTS',
      )
    })

    it('lists the entitlements accounts hold', async () => {
      const { attribute, values } = s.groups
      await s.connector.createAccount('member', { uid: 'member', [attribute]: [values[0]] })
      const entitlements = await all(s.connector.listEntitlements())
      expect(entitlements.map((e) => e.value)).toContain(values[0])
    })

    it('an unreachable system is a retryable failure', async () => {
      await s.stop()
      expect((await failure(s.connector.readAccount('anyone'))).kind).toBe('RETRYABLE')
    })
  })
}
