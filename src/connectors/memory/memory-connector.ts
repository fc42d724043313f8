import { setTimeout as sleep } from 'node:timers/promises'
import type {
  AttributeChange,
  Attributes,
  Connector,
  ConnectorAccount,
  ConnectorEntitlement,
} from '../connector.js'
import { ConnectorError } from '../../domain/errors.js'
import { applyAttributeChanges } from '../apply-attribute-changes.js'
import { hashPassword, isPasswordHash } from '../password-hash.js'
import type { BreakMode, BreakModeOptions, BreakModeSetting, MemoryOperation } from './break-mode.js'
import { BREAK_MODES, DEFAULT_SLOW_LATENCY_MS, MEMORY_OPERATIONS, breakModeError } from './break-mode.js'
import type { JournalChange, MemoryLogEntry, MemoryState, StoredAccount } from './memory-state-file.js'
import { MemoryJournal, applyJournalRecord, emptyMemoryState, journalHeader } from './memory-state-file.js'

export interface MemoryConnectorOptions {
  /**
   * A file holding the state (a journal of JSON lines), shared with other processes; without it the state
   * lives in memory.
   */
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

/** What a write operation does to the account it is on: its new state (undefined: deleted), and the log's detail. */
interface AccountChange {
  readonly stored: StoredAccount | undefined
  readonly detail?: Pick<MemoryLogEntry, 'changes' | 'attributes'>
}

/**
 * A system held in memory, for tests and demos: accounts, entitlements, break modes that make operations
 * fail like a real system does, and a log of every operation it applied.
 *
 * With a `file`, the state lives in that file, shared with other processes: a journal of every change
 * (memory-state-file.ts). Before every operation the connector reads what any process appended since its
 * last look. A change (an account written, a break mode switched) is checked and appended under a lock
 * beside the file, after catching up, so that two processes never both create one account or lose each
 * other's changes. File I/O is synchronous on purpose: the lock is held for microseconds, never across an
 * await, and latency (the connector's or a SLOW break mode's) is spent before the lock is taken.
 */
export class MemoryConnector implements Connector {
  readonly #journal: MemoryJournal | undefined
  readonly #idAttribute: string
  readonly #entitlementAttributes: readonly string[]
  readonly #configuredEntitlements: readonly ConnectorEntitlement[] | undefined
  readonly #latencyMs: number
  readonly #now: () => Date
  #state: MemoryState = emptyMemoryState()
  #closed = false

  constructor(options: MemoryConnectorOptions = {}) {
    this.#journal = options.file === undefined ? undefined : new MemoryJournal(options.file)
    this.#idAttribute = options.idAttribute ?? 'id'
    this.#entitlementAttributes = [...(options.entitlementAttributes ?? [])]
    this.#configuredEntitlements = options.entitlements?.map((e) => cloneJson(e))
    this.#latencyMs = checkLatency(options.latencyMs ?? 0)
    this.#now = options.now ?? (() => new Date())
    const initialAccounts = new Map(
      (options.initialAccounts ?? []).map((a) => [
        a.nativeIdentity,
        { attributes: cloneJson(a.attributes), disabled: a.disabled ?? false },
      ]),
    )
    const journal = this.#journal
    if (journal === undefined) {
      this.#state.accounts = initialAccounts
      return
    }
    this.#catchUp()
    // What this connector is given is written at once, for other processes: without a journal yet, the
    // initial accounts start it (so that a process that switches a break mode before the first operation
    // does not start one that lacks them), and configured entitlements replace the file's.
    const configured = this.#configuredEntitlements
    const needed = (): 'start' | 'entitlements' | undefined => {
      if (!journal.started) return initialAccounts.size > 0 || configured !== undefined ? 'start' : undefined
      return configured !== undefined && !sameJson(configured, this.#state.entitlements)
        ? 'entitlements'
        : undefined
    }
    if (needed() === undefined) return
    // Checked again under the lock: another process may have done it meanwhile.
    this.#locked(() => {
      const need = needed()
      if (need === 'start') this.#start(initialAccounts)
      else if (need === 'entitlements') {
        this.#append({ type: 'entitlements', entitlements: cloneJson([...(configured ?? [])]) })
      }
    })
  }

  async testConnection(): Promise<void> {
    await this.#enter('test')
  }

  async *listAccounts(): AsyncIterable<ConnectorAccount> {
    await this.#enter('list')
    // A snapshot: the caller may update accounts while it iterates.
    const accounts = [...this.#state.accounts].map(([id, stored]) => toAccount(id, stored))
    yield* accounts
  }

  async readAccount(nativeIdentity: string): Promise<ConnectorAccount> {
    await this.#enter('read', nativeIdentity)
    return toAccount(nativeIdentity, existing(this.#state.accounts.get(nativeIdentity), nativeIdentity))
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
    // The id is also an attribute, as it is on a real system's account, unless the caller set it otherwise.
    const created = hashPasswords({ [this.#idAttribute]: id, ...cloneJson(attributes) })
    const stored = this.#write('create', id, (current) => {
      if (current !== undefined) {
        throw new ConnectorError('ALREADY_EXISTS', `account ${id} already exists`, { code: 'ALREADY_EXISTS' })
      }
      return { stored: { attributes: created, disabled: false }, detail: { attributes: created } }
    })
    return toAccount(id, stored as StoredAccount)
  }

  async updateAccount(
    nativeIdentity: string,
    changes: readonly AttributeChange[],
  ): Promise<ConnectorAccount> {
    await this.#enter('update', nativeIdentity)
    const copied = cloneJson([...changes]).map(hashPasswordChange)
    const stored = this.#write('update', nativeIdentity, (current) => {
      const held = existing(current, nativeIdentity)
      return {
        stored: { ...held, attributes: applyAttributeChanges(held.attributes, copied) },
        detail: { changes: copied },
      }
    })
    return toAccount(nativeIdentity, stored as StoredAccount)
  }

  async deleteAccount(nativeIdentity: string): Promise<void> {
    await this.#enter('delete', nativeIdentity)
    this.#write('delete', nativeIdentity, (current) => {
      existing(current, nativeIdentity)
      return { stored: undefined }
    })
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
    for (const e of this.#entitlements()) add(cloneJson(e))
    for (const { attributes } of this.#state.accounts.values()) {
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
    const setting = cloneJson<BreakModeSetting>({ ...options, mode })
    this.#locked(() =>
      this.#append({ type: 'breakMode', ops: op === '*' ? [...MEMORY_OPERATIONS] : [op], setting }),
    )
  }

  /** Every operation works again. */
  clearBreakModes(): void {
    this.#locked(() => this.#append({ type: 'clearBreakModes' }))
  }

  /** The break mode of each operation that has one. */
  breakModes(): Partial<Record<MemoryOperation, BreakModeSetting>> {
    this.#catchUp()
    return cloneJson(this.#state.breakModes)
  }

  /** Every operation applied so far, oldest first. */
  operationLog(): readonly MemoryLogEntry[] {
    this.#catchUp()
    return cloneJson(this.#state.log)
  }

  /** The accounts as they are now, without going through break modes (for assertions). */
  accounts(): ConnectorAccount[] {
    this.#catchUp()
    return [...this.#state.accounts].map(([id, stored]) => toAccount(id, stored))
  }

  /** Replays the state file from its start (operations read what was appended by themselves). */
  reload(): void {
    if (this.#journal === undefined) return
    this.#journal.rewind()
    this.#state = emptyMemoryState()
    this.#catchUp()
  }

  /** The gate every operation passes: latency, other processes' changes, then the break mode. */
  async #enter(op: MemoryOperation, nativeIdentity?: string): Promise<void> {
    if (this.#closed) throw new Error('the memory connector is closed')
    if (this.#latencyMs > 0) await sleepAtLeast(this.#latencyMs)
    this.#catchUp()
    const setting = this.#state.breakModes[op]
    if (setting === undefined) return
    const error = breakModeError(setting, op, nativeIdentity)
    if (error !== undefined) throw error
    if (setting.mode === 'SLOW') {
      await sleepAtLeast(setting.latencyMs ?? DEFAULT_SLOW_LATENCY_MS)
      // Another process may have changed the state while this operation waited.
      this.#catchUp()
    }
  }

  #entitlements(): readonly ConnectorEntitlement[] {
    // Entitlements given to this connector are configuration: they win over whatever the file holds.
    return this.#configuredEntitlements ?? this.#state.entitlements
  }

  #setDisabled(op: WriteOperation, nativeIdentity: string, disabled: boolean): ConnectorAccount {
    const stored = this.#write(op, nativeIdentity, (current) => ({
      stored: { ...existing(current, nativeIdentity), disabled },
    }))
    return toAccount(nativeIdentity, stored as StoredAccount)
  }

  /**
   * Applies a write operation to the account `nativeIdentity` as it is now (in every process): `change`
   * checks it and gives its new state, which is logged and, with a file, appended to it. Returns the new state.
   */
  #write(
    op: WriteOperation,
    nativeIdentity: string,
    change: (current: StoredAccount | undefined) => AccountChange,
  ): StoredAccount | undefined {
    return this.#locked(() => {
      const { stored, detail } = change(this.#state.accounts.get(nativeIdentity))
      const entry: MemoryLogEntry = {
        seq: (this.#state.log.at(-1)?.seq ?? 0) + 1,
        op,
        nativeIdentity,
        ...cloneJson(detail ?? {}),
        at: this.#now().toISOString(),
      }
      // `stored` is the caller's own object: the state may take it over.
      this.#append({ type: 'op', entry, account: stored ?? null })
      return stored
    })
  }

  /** Runs `fn` with the state up to date and no other process changing it (with a file: under its lock). */
  #locked<T>(fn: () => T): T {
    const journal = this.#journal
    if (journal === undefined) return fn()
    return journal.withLock(() => {
      this.#catchUp()
      journal.repairTail()
      // A state file of version 1 becomes a journal that starts with what it held.
      if (journal.legacy) journal.start(journalHeader(this.#state))
      return fn()
    })
  }

  /** Records a change: in the file first (so a failed write applies nothing), then in memory. */
  #append(change: JournalChange): void {
    const journal = this.#journal
    if (journal !== undefined) {
      if (!journal.started) this.#start(new Map())
      journal.append(change)
    }
    applyJournalRecord(this.#state, change)
  }

  /** Starts the journal file (under the lock): the entitlements and accounts the system starts with. */
  #start(accounts: ReadonlyMap<string, StoredAccount>): void {
    const header = journalHeader({
      entitlements: cloneJson([...(this.#configuredEntitlements ?? [])]),
      accounts,
    })
    ;(this.#journal as MemoryJournal).start(header)
    applyJournalRecord(this.#state, cloneJson(header))
  }

  /** Applies what any process appended to the file since the last look. */
  #catchUp(): void {
    const update = this.#journal?.read()
    if (update === undefined) return
    if (update.reset) this.#state = emptyMemoryState()
    for (const record of update.records) applyJournalRecord(this.#state, record)
  }
}

export function createMemoryConnector(options: MemoryConnectorOptions = {}): MemoryConnector {
  return new MemoryConnector(options)
}

/**
 * The attribute a generated password (a Create Password field) arrives in. Like a directory, the system
 * keeps a salted hash of it, never the password: not in memory, its log or its state file.
 */
export const MEMORY_PASSWORD_ATTRIBUTE = 'password'

function hashed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(hashed)
  return typeof value === 'string' && !isPasswordHash(value) ? hashPassword('SSHA512', value) : value
}

function hashPasswords(attributes: Attributes): Attributes {
  const value = attributes[MEMORY_PASSWORD_ATTRIBUTE]
  return value === undefined || value === null
    ? attributes
    : { ...attributes, [MEMORY_PASSWORD_ATTRIBUTE]: hashed(value) }
}

function hashPasswordChange(change: AttributeChange): AttributeChange {
  return change.attribute === MEMORY_PASSWORD_ATTRIBUTE ? { ...change, value: hashed(change.value) } : change
}

function existing(stored: StoredAccount | undefined, nativeIdentity: string): StoredAccount {
  if (stored === undefined) {
    throw new ConnectorError('NOT_FOUND', `account ${nativeIdentity} not found`, { code: 'NOT_FOUND' })
  }
  return stored
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

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
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
