import { setTimeout as sleep } from 'node:timers/promises'
import type {
  AttributeChange,
  Attributes,
  Connector,
  ConnectorAccount,
  ConnectorEntitlement,
} from '../connector.js'
import { ConnectorError } from '../connector.js'
import { applyAttributeChanges } from './apply-attribute-changes.js'
import type { BreakMode, BreakModeOptions, BreakModeSetting, MemoryOperation } from './break-mode.js'
import { BREAK_MODES, DEFAULT_SLOW_LATENCY_MS, MEMORY_OPERATIONS, breakModeError } from './break-mode.js'
import type { MemoryLogEntry, MemoryStateFile } from './memory-state-file.js'
import {
  emptyMemoryState,
  readMemoryStateFile,
  stateFileVersion,
  writeMemoryStateFile,
} from './memory-state-file.js'

export interface MemoryConnectorOptions {
  /** A JSON file holding the state, shared with other processes; without it the state lives in memory. */
  readonly file?: string
  /** The attribute `createAccount(null, attributes)` takes the account id from (default `id`). */
  readonly idAttribute?: string
  /** Account attributes whose values are entitlements (e.g. `groups`). */
  readonly entitlementAttributes?: readonly string[]
  /** Entitlements the system has even when no account holds them. */
  readonly entitlements?: readonly ConnectorEntitlement[]
  /** Accounts the system starts with when there is no state file yet. */
  readonly initialAccounts?: readonly ConnectorAccount[]
  /** A delay before every operation, to stand in for a remote system (default 0). */
  readonly latencyMs?: number
  /** The clock stamped on log entries. */
  readonly now?: () => Date
}

type WriteOperation = MemoryLogEntry['op']

interface StoredAccount {
  attributes: Attributes
  disabled: boolean
}

/**
 * A system held in memory, for tests and demos: accounts, entitlements, break modes that make operations
 * fail like a real system does, and a log of every operation it applied. With a `file`, the state is kept
 * in that file, which is the source of truth: every operation first re-reads it when another process has
 * changed it (e.g. switched a break mode), then writes it back. File I/O is synchronous on purpose: an
 * operation's read, change and write then run without another operation of this process in between.
 */
export class MemoryConnector implements Connector {
  readonly #file: string | undefined
  readonly #idAttribute: string
  readonly #entitlementAttributes: readonly string[]
  readonly #configuredEntitlements: readonly ConnectorEntitlement[] | undefined
  readonly #latencyMs: number
  readonly #now: () => Date
  #accounts = new Map<string, StoredAccount>()
  #entitlements: ConnectorEntitlement[] = []
  #log: MemoryLogEntry[] = []
  #breakModes: Partial<Record<MemoryOperation, BreakModeSetting>> = {}
  #fileVersion = 'absent'
  #closed = false

  constructor(options: MemoryConnectorOptions = {}) {
    this.#file = options.file
    this.#idAttribute = options.idAttribute ?? 'id'
    this.#entitlementAttributes = [...(options.entitlementAttributes ?? [])]
    this.#configuredEntitlements = options.entitlements?.map((e) => cloneJson(e))
    this.#latencyMs = checkLatency(options.latencyMs ?? 0)
    this.#now = options.now ?? (() => new Date())
    const loaded = this.#file === undefined ? undefined : this.#load()
    if (loaded === undefined) {
      this.#restore(emptyMemoryState())
      for (const account of options.initialAccounts ?? []) {
        this.#accounts.set(account.nativeIdentity, {
          attributes: cloneJson(account.attributes),
          disabled: account.disabled ?? false,
        })
      }
      // Written now, so that a process that switches a break mode before the first operation does not
      // replace the file with one that lacks these accounts.
      if (this.#file !== undefined && (options.initialAccounts?.length ?? 0) > 0) this.#persist()
    }
  }

  async testConnection(): Promise<void> {
    await this.#enter('test')
  }

  async *listAccounts(): AsyncIterable<ConnectorAccount> {
    await this.#enter('list')
    // A snapshot: the caller may update accounts while it iterates.
    const accounts = [...this.#accounts].map(([id, stored]) => toAccount(id, stored))
    yield* accounts
  }

  async readAccount(nativeIdentity: string): Promise<ConnectorAccount> {
    await this.#enter('read', nativeIdentity)
    return toAccount(nativeIdentity, this.#existing(nativeIdentity))
  }

  async createAccount(nativeIdentity: string | null, attributes: Attributes): Promise<ConnectorAccount> {
    const id = nativeIdentity ?? idOf(attributes[this.#idAttribute])
    await this.#enter('create', id)
    if (id === undefined) {
      throw new ConnectorError(
        'TERMINAL',
        `schema violation: no account id: attribute ${this.#idAttribute} is missing or empty`,
        { code: 'SCHEMA' },
      )
    }
    if (this.#accounts.has(id)) {
      throw new ConnectorError('ALREADY_EXISTS', `account ${id} already exists`, { code: 'ALREADY_EXISTS' })
    }
    // The id is also an attribute, as it is on a real system's account, unless the caller set it otherwise.
    const stored = { attributes: { [this.#idAttribute]: id, ...cloneJson(attributes) }, disabled: false }
    this.#apply('create', id, stored, { attributes: stored.attributes })
    return toAccount(id, stored)
  }

  async updateAccount(
    nativeIdentity: string,
    changes: readonly AttributeChange[],
  ): Promise<ConnectorAccount> {
    await this.#enter('update', nativeIdentity)
    const current = this.#existing(nativeIdentity)
    const copied = cloneJson([...changes])
    const stored = { ...current, attributes: applyAttributeChanges(current.attributes, copied) }
    this.#apply('update', nativeIdentity, stored, { changes: copied })
    return toAccount(nativeIdentity, stored)
  }

  async deleteAccount(nativeIdentity: string): Promise<void> {
    await this.#enter('delete', nativeIdentity)
    this.#existing(nativeIdentity)
    this.#apply('delete', nativeIdentity, undefined)
  }

  async enableAccount(nativeIdentity: string): Promise<ConnectorAccount> {
    await this.#enter('enable', nativeIdentity)
    return this.#setDisabled('enable', nativeIdentity, false)
  }

  async disableAccount(nativeIdentity: string): Promise<ConnectorAccount> {
    await this.#enter('disable', nativeIdentity)
    return this.#setDisabled('disable', nativeIdentity, true)
  }

  /** The configured entitlements, then every other value of an entitlement attribute an account holds. */
  async *listEntitlements(): AsyncIterable<ConnectorEntitlement> {
    await this.#enter('list')
    const seen = new Set<string>()
    const out: ConnectorEntitlement[] = []
    const add = (e: ConnectorEntitlement): void => {
      const key = `${e.attribute}\u0000${e.value}`
      if (seen.has(key)) return
      seen.add(key)
      out.push(e)
    }
    for (const e of this.#entitlements) add(cloneJson(e))
    for (const { attributes } of this.#accounts.values()) {
      for (const attribute of this.#entitlementAttributes) {
        const values = attributes[attribute]
        for (const value of Array.isArray(values) ? (values as unknown[]) : [values]) {
          const id = idOf(value)
          if (id !== undefined) add({ attribute, value: id })
        }
      }
    }
    yield* out
  }

  async close(): Promise<void> {
    this.#closed = true
  }

  /** Makes `op` (or every operation, `*`) behave as `mode` from now on, in every process sharing the file. */
  setBreakMode(op: MemoryOperation | '*', mode: BreakMode, options: BreakModeOptions = {}): void {
    if (op !== '*' && !MEMORY_OPERATIONS.includes(op)) throw new RangeError(`unknown operation ${op}`)
    if (!BREAK_MODES.includes(mode)) throw new RangeError(`unknown break mode ${mode}`)
    if (options.latencyMs !== undefined) checkLatency(options.latencyMs)
    this.#refresh()
    const setting: BreakModeSetting = { ...options, mode }
    for (const o of op === '*' ? MEMORY_OPERATIONS : [op]) {
      if (mode === 'NONE') delete this.#breakModes[o]
      else this.#breakModes[o] = setting
    }
    this.#persist()
  }

  /** Every operation works again. */
  clearBreakModes(): void {
    this.#refresh()
    this.#breakModes = {}
    this.#persist()
  }

  /** The break mode of each operation that has one. */
  breakModes(): Partial<Record<MemoryOperation, BreakModeSetting>> {
    this.#refresh()
    return cloneJson(this.#breakModes)
  }

  /** Every operation applied so far, oldest first. */
  operationLog(): readonly MemoryLogEntry[] {
    this.#refresh()
    return cloneJson(this.#log)
  }

  /** The accounts as they are now, without going through break modes (for assertions). */
  accounts(): ConnectorAccount[] {
    this.#refresh()
    return [...this.#accounts].map(([id, stored]) => toAccount(id, stored))
  }

  /** Re-reads the state file (operations do so by themselves when it changed). */
  reload(): void {
    if (this.#file === undefined) return
    this.#restore(this.#load() ?? emptyMemoryState())
  }

  /** The gate every operation passes: latency, other processes' changes, then the break mode. */
  async #enter(op: MemoryOperation, nativeIdentity?: string): Promise<void> {
    if (this.#closed) throw new Error('the memory connector is closed')
    if (this.#latencyMs > 0) await sleepAtLeast(this.#latencyMs)
    this.#refresh()
    const setting = this.#breakModes[op]
    if (setting === undefined) return
    const error = breakModeError(setting, op, nativeIdentity)
    if (error !== undefined) throw error
    if (setting.mode === 'SLOW') {
      await sleepAtLeast(setting.latencyMs ?? DEFAULT_SLOW_LATENCY_MS)
      // Another process may have written the file while this operation waited.
      this.#refresh()
    }
  }

  #existing(nativeIdentity: string): StoredAccount {
    const stored = this.#accounts.get(nativeIdentity)
    if (stored === undefined) {
      throw new ConnectorError('NOT_FOUND', `account ${nativeIdentity} not found`, { code: 'NOT_FOUND' })
    }
    return stored
  }

  #setDisabled(op: WriteOperation, nativeIdentity: string, disabled: boolean): ConnectorAccount {
    const stored = { ...this.#existing(nativeIdentity), disabled }
    this.#apply(op, nativeIdentity, stored)
    return toAccount(nativeIdentity, stored)
  }

  /** Records an applied operation: the account's new state (undefined: deleted), the log, the file. */
  #apply(
    op: WriteOperation,
    nativeIdentity: string,
    stored: StoredAccount | undefined,
    detail: Pick<MemoryLogEntry, 'changes' | 'attributes'> = {},
  ): void {
    if (stored === undefined) this.#accounts.delete(nativeIdentity)
    else this.#accounts.set(nativeIdentity, stored)
    const seq = (this.#log.at(-1)?.seq ?? 0) + 1
    this.#log.push({ seq, op, nativeIdentity, ...cloneJson(detail), at: this.#now().toISOString() })
    try {
      this.#persist()
    } catch (e) {
      // The operation failed, so it must not look applied: go back to what the file holds.
      this.reload()
      throw e
    }
  }

  #refresh(): void {
    if (this.#file !== undefined && stateFileVersion(this.#file) !== this.#fileVersion) this.reload()
  }

  #load(): MemoryStateFile | undefined {
    const file = this.#file as string
    const version = stateFileVersion(file)
    const state = readMemoryStateFile(file)
    this.#fileVersion = version
    if (state !== undefined) this.#restore(state)
    return state
  }

  #restore(state: MemoryStateFile): void {
    this.#accounts = new Map(
      state.accounts.map((a) => [a.nativeIdentity, { attributes: a.attributes, disabled: a.disabled }]),
    )
    // Entitlements given to this connector are configuration: they win over whatever the file holds.
    this.#entitlements = cloneJson([...(this.#configuredEntitlements ?? state.entitlements)])
    this.#log = state.log
    this.#breakModes = state.breakModes
  }

  #persist(): void {
    if (this.#file === undefined) return
    const state: MemoryStateFile = {
      version: 1,
      accounts: [...this.#accounts].map(([nativeIdentity, s]) => ({ nativeIdentity, ...s })),
      entitlements: this.#entitlements,
      log: this.#log,
      breakModes: this.#breakModes,
    }
    writeMemoryStateFile(this.#file, state)
    this.#fileVersion = stateFileVersion(this.#file)
  }
}

export function createMemoryConnector(options: MemoryConnectorOptions = {}): MemoryConnector {
  return new MemoryConnector(options)
}

function toAccount(nativeIdentity: string, stored: StoredAccount): ConnectorAccount {
  return { nativeIdentity, attributes: cloneJson(stored.attributes), disabled: stored.disabled }
}

/** An id or entitlement value from an attribute: a non-empty string, or a number written as one. */
function idOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value
  return typeof value === 'number' || typeof value === 'bigint' ? String(value) : undefined
}

// Values are copied through JSON, in memory as in the file, so a test sees the same values either way and
// no caller holds a reference into the connector's state.
function cloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T
}

function checkLatency(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0) {
    throw new RangeError(`latency must be 0 or more milliseconds, got ${ms}`)
  }
  return ms
}

// A timer may fire a fraction of a millisecond early; a SLOW operation promises at least its latency.
async function sleepAtLeast(ms: number): Promise<void> {
  const end = performance.now() + ms
  for (let left = ms; left > 0; left = end - performance.now()) await sleep(Math.ceil(left))
}
