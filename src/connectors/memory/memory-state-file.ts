import { existsSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { z } from 'zod'
import { InputError } from '../../domain/errors.js'
import { BREAK_MODES, MEMORY_OPERATIONS } from './break-mode.js'

/**
 * The memory connector's state as a JSON file, so a test in another process (or after this one was
 * killed) can read what was applied and switch break modes. The file is written synchronously and
 * atomically: a reader never sees half a file, and one process's operations never interleave their writes.
 */

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

export const memoryStateFileSchema = z.object({
  version: z.literal(1),
  accounts: z.array(
    z.object({ nativeIdentity: z.string(), attributes: attributesSchema, disabled: z.boolean() }),
  ),
  entitlements: z.array(
    z.object({
      attribute: z.string(),
      value: z.string(),
      displayName: z.string().optional(),
      attributes: attributesSchema.optional(),
    }),
  ),
  log: z.array(logEntrySchema),
  breakModes: z.partialRecord(z.enum(MEMORY_OPERATIONS), breakModeSettingSchema),
})

export type MemoryStateFile = z.infer<typeof memoryStateFileSchema>

/** One operation the connector applied (refused operations are not logged). */
export type MemoryLogEntry = z.infer<typeof logEntrySchema>

export function emptyMemoryState(): MemoryStateFile {
  return { version: 1, accounts: [], entitlements: [], log: [], breakModes: {} }
}

/** The state in `file`, or undefined when there is no file yet. */
export function readMemoryStateFile(file: string): MemoryStateFile | undefined {
  if (!existsSync(file)) return undefined
  let json: unknown
  try {
    json = JSON.parse(readFileSync(file, 'utf8'))
  } catch (e) {
    throw new InputError(`${file}: not a memory connector state file: ${(e as Error).message}`, { cause: e })
  }
  const parsed = memoryStateFileSchema.safeParse(json)
  if (!parsed.success) {
    const first = parsed.error.issues[0]
    const where = first === undefined ? '' : `${first.path.join('.')}: ${first.message}`
    throw new InputError(`${file}: not a memory connector state file: ${where}`)
  }
  return parsed.data
}

let tempCounter = 0

/**
 * Writes the state to a temporary file beside `file` and renames it over `file`, which is atomic on one
 * file system. No fsync: the file must survive the process being killed, not the machine losing power.
 */
export function writeMemoryStateFile(file: string, state: MemoryStateFile): void {
  mkdirSync(dirname(file), { recursive: true })
  // Unique per process and write, so two processes sharing the file never write the same temporary file.
  const temp = `${file}.${process.pid}.${++tempCounter}.tmp`
  try {
    writeFileSync(temp, JSON.stringify(state, null, 2) + '\n')
    renameSync(temp, file)
  } catch (e) {
    try {
      unlinkSync(temp)
    } catch {
      // Nothing to clean up: the write failed before the file existed.
    }
    throw e
  }
}

/**
 * A cheap fingerprint of the file's version: every write renames a new file into place, so the inode
 * changes along with the size and modification time. `absent` when there is no file.
 */
export function stateFileVersion(file: string): string {
  try {
    const s = statSync(file, { bigint: true })
    return `${s.ino}:${s.size}:${s.mtimeNs}`
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'absent'
    throw e
  }
}
