import {
  appendFileSync,
  chmodSync,
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  statSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import { dirname } from 'node:path'
import { z } from 'zod'
import { InputError } from '../../domain/errors.js'
import type { Attributes, ConnectorEntitlement } from '../connector.js'
import type { BreakModeSetting, MemoryOperation } from './break-mode.js'
import { BREAK_MODES, MEMORY_OPERATIONS } from './break-mode.js'
import { withFileLock } from './file-lock.js'

/**
 * The memory connector's state file, shared by processes: an append-only journal of JSON lines, so a test
 * in another process (or after this one was killed) sees what was applied and can switch break modes.
 *
 * The first line is a header (the entitlements and the accounts the system started with); every later line
 * records one change: an applied operation (its log entry and the account's new state, null once deleted),
 * a break-mode change, break modes cleared, or entitlements configured. The state is the replay of the
 * lines. A line is appended with one O_APPEND write, so a process killed while writing leaves at most an
 * incomplete last line: readers ignore it, and the next writer cuts it off (under the lock) before it
 * appends. The header is written to a temporary file that is renamed into place, so a file without a whole
 * header line is not a state file.
 *
 * Each reader remembers how far it has replayed and reads only what was appended since. Writers take a
 * lock file beside the state file (`<file>.lock`, see file-lock.ts) around catching up, checking, and
 * appending.
 *
 * A state file of version 1 (one JSON document, rewritten whole on every change) is still read; the first
 * writer replaces it with a journal whose header holds all it held, log and break modes included.
 */

export const JOURNAL_FORMAT = 'provisio-memory-connector'
export const JOURNAL_VERSION = 2

const attributesSchema = z.record(z.string(), z.unknown())

const breakModeSettingSchema = z.object({
  mode: z.enum(BREAK_MODES),
  latencyMs: z.number().nonnegative().optional(),
  message: z.string().optional(),
})

const logEntrySchema = z.object({
  seq: z.number().int().positive(),
  op: z.enum(['create', 'update', 'delete', 'enable', 'disable']),
  nativeIdentity: z.string(),
  changes: z
    .array(z.object({ op: z.enum(['Add', 'Remove', 'Set']), attribute: z.string(), value: z.unknown() }))
    .optional(),
  attributes: attributesSchema.optional(),
  at: z.string(),
})

const entitlementSchema = z.object({
  attribute: z.string(),
  value: z.string(),
  displayName: z.string().optional(),
  attributes: attributesSchema.optional(),
})

const accountStateSchema = z.object({ attributes: attributesSchema, disabled: z.boolean() })

const breakModesSchema = z.partialRecord(z.enum(MEMORY_OPERATIONS), breakModeSettingSchema)

const headerSchema = z.object({
  type: z.literal('header'),
  format: z.literal(JOURNAL_FORMAT),
  version: z.literal(JOURNAL_VERSION),
  entitlements: z.array(entitlementSchema),
  accounts: z.array(accountStateSchema.extend({ nativeIdentity: z.string() })),
  // A journal converted from a state file of version 1 starts with what that file held.
  log: z.array(logEntrySchema).optional(),
  breakModes: breakModesSchema.optional(),
})

/** The state file before the journal (version 1): one JSON document, rewritten whole on every change. */
const stateFileV1Schema = z.object({
  version: z.literal(1),
  accounts: z.array(accountStateSchema.extend({ nativeIdentity: z.string() })),
  entitlements: z.array(entitlementSchema),
  log: z.array(logEntrySchema),
  breakModes: breakModesSchema,
})

const changeSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('op'), entry: logEntrySchema, account: accountStateSchema.nullable() }),
  z.object({
    type: z.literal('breakMode'),
    ops: z.array(z.enum(MEMORY_OPERATIONS)),
    setting: breakModeSettingSchema,
  }),
  z.object({ type: z.literal('clearBreakModes') }),
  z.object({ type: z.literal('entitlements'), entitlements: z.array(entitlementSchema) }),
])

/** One operation the connector applied (refused operations are not logged). */
export type MemoryLogEntry = z.infer<typeof logEntrySchema>

export type JournalHeader = z.infer<typeof headerSchema>
export type JournalChange = z.infer<typeof changeSchema>
export type JournalRecord = JournalHeader | JournalChange

export interface StoredAccount {
  attributes: Attributes
  disabled: boolean
}

/** What replaying a journal gives. */
export interface MemoryState {
  accounts: Map<string, StoredAccount>
  entitlements: ConnectorEntitlement[]
  log: MemoryLogEntry[]
  breakModes: Partial<Record<MemoryOperation, BreakModeSetting>>
}

export function emptyMemoryState(): MemoryState {
  return { accounts: new Map(), entitlements: [], log: [], breakModes: {} }
}

/** A header that starts a journal with `state`: entitlements and accounts, and its log and break modes if any. */
export function journalHeader(state: {
  readonly entitlements: readonly ConnectorEntitlement[]
  readonly accounts: ReadonlyMap<string, StoredAccount>
  readonly log?: readonly MemoryLogEntry[]
  readonly breakModes?: Partial<Record<MemoryOperation, BreakModeSetting>>
}): JournalHeader {
  return {
    type: 'header',
    format: JOURNAL_FORMAT,
    version: JOURNAL_VERSION,
    entitlements: [...state.entitlements],
    accounts: [...state.accounts].map(([nativeIdentity, s]) => ({ nativeIdentity, ...s })),
    ...(state.log === undefined || state.log.length === 0 ? {} : { log: [...state.log] }),
    ...(state.breakModes === undefined || Object.keys(state.breakModes).length === 0
      ? {}
      : { breakModes: { ...state.breakModes } }),
  }
}

/** Applies one record to `state`, taking over the record's objects (the caller must not share them). */
export function applyJournalRecord(state: MemoryState, record: JournalRecord): void {
  switch (record.type) {
    case 'header':
      state.accounts = new Map(
        record.accounts.map((a) => [a.nativeIdentity, { attributes: a.attributes, disabled: a.disabled }]),
      )
      state.entitlements = record.entitlements
      state.log = record.log ?? []
      state.breakModes = record.breakModes ?? {}
      break
    case 'op':
      state.log.push(record.entry)
      if (record.account === null) state.accounts.delete(record.entry.nativeIdentity)
      else state.accounts.set(record.entry.nativeIdentity, record.account)
      break
    case 'breakMode':
      for (const op of record.ops) {
        if (record.setting.mode === 'NONE') delete state.breakModes[op]
        else state.breakModes[op] = record.setting
      }
      break
    case 'clearBreakModes':
      state.breakModes = {}
      break
    case 'entitlements':
      state.entitlements = record.entitlements
      break
  }
}

/** What was appended to the journal since the previous read. */
export interface JournalUpdate {
  /** The file was replaced, cut short or removed: the state starts over, from `records`. */
  readonly reset: boolean
  readonly records: readonly JournalRecord[]
}

let tempCounter = 0

/** One reader and writer of a journal file, which remembers how far it has replayed the file. */
export class MemoryJournal {
  readonly file: string
  readonly lockFile: string
  /** Bytes replayed, always up to the end of a whole line. */
  #offset = 0
  #lines = 0
  /** The device and inode of the file replayed, to notice it was replaced. */
  #identity: string | undefined
  /** Bytes seen after the last whole line at the last read: an append in progress, or a torn line. */
  #tail = 0
  /** The file is a state file of version 1, read whole: the next writer converts it to a journal. */
  #legacy = false
  #dirMade = false
  /** The file's mode was checked (owner only) by this process. */
  #private = false

  constructor(file: string) {
    this.file = file
    this.lockFile = `${file}.lock`
  }

  /** Whether the file replayed has its header, i.e. the journal has been started. */
  get started(): boolean {
    return this.#offset > 0
  }

  /** Whether the file is a state file of version 1, to be converted (with start) before appending. */
  get legacy(): boolean {
    return this.#legacy
  }

  /** Forgets what was replayed: the next read starts from the beginning of the file. */
  rewind(): void {
    this.#offset = 0
    this.#lines = 0
    this.#identity = undefined
    this.#tail = 0
    this.#legacy = false
    this.#private = false
  }

  /**
   * Reads the whole lines appended since the last read, by any process. Takes no lock: writers append
   * whole lines, and an incomplete last line is left for a later read. Undefined when nothing changed.
   */
  read(): JournalUpdate | undefined {
    const absent = (): JournalUpdate | undefined => {
      if (this.#identity === undefined) return undefined
      this.rewind()
      return { reset: true, records: [] }
    }
    let size: number
    let identity: string
    try {
      const s = statSync(this.file)
      size = s.size
      identity = `${s.dev}:${s.ino}`
    } catch (e) {
      if (errorCode(e) === 'ENOENT') return absent()
      throw e
    }
    // With an incomplete line seen, its bytes are read again: a writer may have cut it off and appended a
    // line of the same length since.
    if (identity === this.#identity && this.#tail === 0 && size === this.#offset) return undefined

    let fd: number
    try {
      fd = openSync(this.file, 'r')
    } catch (e) {
      if (errorCode(e) === 'ENOENT') return absent()
      throw e
    }
    let bytes: Buffer
    try {
      // The file opened is the one read, even if it was replaced since the stat above.
      const s = fstatSync(fd)
      identity = `${s.dev}:${s.ino}`
      size = s.size
      const reset = this.#identity !== undefined && (identity !== this.#identity || size < this.#offset)
      if (reset || this.#identity === undefined) this.rewind()
      this.#identity = identity
      bytes = Buffer.allocUnsafe(size - this.#offset)
      let got = 0
      while (got < bytes.length) {
        const n = readSync(fd, bytes, got, bytes.length - got, this.#offset + got)
        if (n === 0) break
        got += n
      }
      bytes = bytes.subarray(0, got)
      const records = this.#parse(bytes)
      return reset || records.length > 0 ? { reset, records } : undefined
    } finally {
      closeSync(fd)
    }
  }

  /** Parses the whole lines of `bytes` (read from the offset) and moves past them. */
  #parse(bytes: Buffer): JournalRecord[] {
    if (this.#offset === 0) {
      const legacy = legacyHeader(bytes)
      if (legacy !== undefined) {
        this.#offset = bytes.length
        this.#lines = 1
        this.#legacy = true
        return [legacy]
      }
    }
    const end = bytes.lastIndexOf(0x0a) + 1
    if (this.#offset === 0 && end === 0 && bytes.length > 0) {
      throw new InputError(`${this.file}: not a memory connector state file: no whole header line`)
    }
    const lines = bytes.toString('utf8', 0, end).split('\n')
    lines.pop()
    // All lines are parsed before any is taken, so a bad one leaves the replay where it was.
    const records = lines.map((line, i) => this.#record(line, this.#lines + i + 1))
    this.#offset += end
    this.#lines += lines.length
    this.#tail = bytes.length - end
    return records
  }

  #record(line: string, lineNumber: number): JournalRecord {
    const where = `${this.file}: line ${lineNumber}`
    const what = lineNumber === 1 ? 'a memory connector state file' : 'a memory connector journal record'
    let json: unknown
    try {
      json = JSON.parse(line)
    } catch (e) {
      throw new InputError(`${where}: not ${what}: ${(e as Error).message}`, { cause: e })
    }
    const parsed = lineNumber === 1 ? headerSchema.safeParse(json) : changeSchema.safeParse(json)
    if (!parsed.success) {
      const first = parsed.error.issues[0]
      const detail = first === undefined ? '' : `: ${first.path.join('.')}: ${first.message}`
      throw new InputError(`${where}: not ${what}${detail}`)
    }
    return parsed.data
  }

  /**
   * Runs `fn` holding the journal's lock. `fn` should first catch up (read), then check and append: no
   * other writer appends in between. Nothing in `fn` may wait: the lock is held for its synchronous run.
   */
  withLock<T>(fn: () => T): T {
    if (!this.#dirMade) {
      mkdirSync(dirname(this.file), { recursive: true })
      this.#dirMade = true
    }
    return withFileLock(this.lockFile, fn)
  }

  /**
   * Cuts off an incomplete last line, left by a writer killed mid-write, so that the next line starts on
   * a line of its own. Only under the lock, right after a read: no other writer is appending then.
   */
  repairTail(): void {
    if (this.#tail === 0) return
    truncateSync(this.file, this.#offset)
    this.#tail = 0
  }

  /** Writes a new file holding `header` only (under the lock, when the journal has not been started). */
  start(header: JournalHeader): void {
    const line = JSON.stringify(header) + '\n'
    // Unique per process and write, so two processes never write the same temporary file.
    const temp = `${this.file}.${process.pid}.${++tempCounter}.tmp`
    try {
      // The state may hold what a password was hashed to: the owner's only (the umask may allow more).
      writeFileSync(temp, line, { mode: 0o600 })
      chmodSync(temp, 0o600)
      renameSync(temp, this.file)
    } catch (e) {
      try {
        unlinkSync(temp)
      } catch {
        // Nothing to clean up: the write failed before the file existed.
      }
      throw e
    }
    const s = statSync(this.file)
    this.#identity = `${s.dev}:${s.ino}`
    this.#offset = Buffer.byteLength(line)
    this.#lines = 1
    this.#tail = 0
    this.#legacy = false
    this.#private = true
  }

  /** Appends one record as one line (under the lock, after a read and repairTail). */
  append(record: JournalChange): void {
    const line = JSON.stringify(record) + '\n'
    // A file made before state files were private becomes so at its next change.
    if (!this.#private) {
      if ((statSync(this.file).mode & 0o077) !== 0) chmodSync(this.file, 0o600)
      this.#private = true
    }
    appendFileSync(this.file, line)
    this.#offset += Buffer.byteLength(line)
    this.#lines += 1
  }
}

function errorCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException).code
}

/** The header a state file of version 1 converts to, or undefined when `bytes` are not one. */
function legacyHeader(bytes: Buffer): JournalHeader | undefined {
  // Written with JSON.stringify(state, null, 2): a journal's first line is never a lone brace.
  if (!bytes.subarray(0, 2).equals(Buffer.from('{\n'))) return undefined
  let json: unknown
  try {
    json = JSON.parse(bytes.toString('utf8'))
  } catch {
    return undefined
  }
  const parsed = stateFileV1Schema.safeParse(json)
  if (!parsed.success) return undefined
  const { accounts, entitlements, log, breakModes } = parsed.data
  return journalHeader({
    accounts: new Map(
      accounts.map((a) => [a.nativeIdentity, { attributes: a.attributes, disabled: a.disabled }]),
    ),
    entitlements,
    log,
    breakModes,
  })
}
