import { linkSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { basename } from 'node:path'
import { ConflictError, WorkspaceInUseError } from '../domain/errors.js'

/** What the lock file records about the process that holds the workspace. */
export interface LockHolder {
  readonly pid: number
  /** The process's start time (field 22 of /proc/PID/stat, clock ticks after boot); absent off Linux. */
  readonly startTime?: string
  /** The kernel's boot id: after a reboot, the same pid and start time can belong to another process. */
  readonly bootId?: string
  readonly command?: string
  readonly since?: string
}

/**
 * The embedded database belongs to one process at a time (two would corrupt it). `lockWorkspace` creates
 * `lockFile` exclusively and returns its release. A lock whose process is gone is stale and taken over; so
 * is one whose pid now belongs to another process (pids are reused: the recorded start time differs).
 */
export function lockWorkspace(lockFile: string): () => void {
  const mine: LockHolder = {
    pid: process.pid,
    ...optional('startTime', startTimeOf(process.pid)),
    ...optional('bootId', bootId()),
    command: commandLine(),
    since: new Date().toISOString(),
  }
  const record = JSON.stringify(mine) + '\n'
  for (let attempt = 0; attempt < 5; attempt++) {
    try {
      writeFileSync(lockFile, record, { flag: 'wx' })
      // Only our own lock is removed: one taken over meanwhile (we were thought gone) is not ours to delete.
      return () => {
        if (readText(lockFile) === record) rmSync(lockFile, { force: true })
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    const text = readText(lockFile)
    if (text === undefined) continue
    const holder = parseLock(text)
    if (holder && holder.pid !== process.pid && isHeld(holder)) {
      throw new WorkspaceInUseError(inUse(holder), holder.pid)
    }
    takeOverStale(lockFile, text)
  }
  throw new ConflictError(`could not lock the workspace's embedded database (${lockFile}): try again`)
}

/** The holder a lock file names: the current JSON form, or the bare pid older versions wrote. */
export function parseLock(text: string): LockHolder | undefined {
  const trimmed = text.trim()
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed) }
  try {
    const value = JSON.parse(trimmed) as Partial<LockHolder>
    return typeof value.pid === 'number' && Number.isInteger(value.pid) ? (value as LockHolder) : undefined
  } catch {
    return undefined
  }
}

/** Is the recorded process still the one running under its pid? */
export function isHeld(holder: LockHolder): boolean {
  if (!isAlive(holder.pid)) return false
  if (holder.bootId !== undefined && bootId() !== undefined && holder.bootId !== bootId()) return false
  const now = startTimeOf(holder.pid)
  if (holder.startTime !== undefined && now !== undefined && holder.startTime !== now) return false
  return true
}

/** The start time of a process from /proc (Linux); undefined where there is none. */
export function startTimeOf(pid: number): string | undefined {
  const stat = readText(`/proc/${pid}/stat`)
  if (stat === undefined) return undefined
  // The command name (field 2) is in parentheses and may hold spaces or parentheses itself: the fields
  // after it are counted from the last ')'. Field 3 is the state; starttime is field 22.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  return fields[22 - 3]
}

function inUse(h: LockHolder): string {
  const details = [h.command ? `"${h.command}"` : undefined, h.since ? `since ${h.since}` : undefined]
    .filter(Boolean)
    .join(', ')
  return (
    `the workspace's embedded database is in use by process ${h.pid}${details ? ` (${details})` : ''}; ` +
    'stop it first, or share a PostgreSQL server through DATABASE_URL'
  )
}

/**
 * Moves a stale lock aside (rename is atomic: of two processes that judged it stale, one moves it). If
 * what was moved is not the lock that was judged — another process took over in between — it is put back.
 */
function takeOverStale(lockFile: string, judged: string): void {
  const aside = `${lockFile}.${process.pid}.stale`
  try {
    renameSync(lockFile, aside)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return
    throw err
  }
  if (readText(aside) !== judged) {
    try {
      linkSync(aside, lockFile)
    } catch {
      // A third process holds the lock by now; the next attempt reads it.
    }
  }
  rmSync(aside, { force: true })
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

let cachedBootId: string | undefined | null = null
function bootId(): string | undefined {
  if (cachedBootId === null) cachedBootId = readText('/proc/sys/kernel/random/boot_id')?.trim()
  return cachedBootId
}

/** How the holder was started, for the message another process shows (`provisio serve --port 0`). */
function commandLine(): string {
  const [, script, ...args] = process.argv
  const name =
    script === undefined ? 'node' : /cli[\\/]main\.[jt]s$/.test(script) ? 'provisio' : basename(script)
  return [name, ...args].join(' ')
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return undefined
  }
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string }
}
