import {
  closeSync,
  linkSync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs'

/**
 * A lock shared by processes on one machine: a file created exclusively (`wx`) holds the owner's pid and is
 * unlinked on release. Taking and holding it is synchronous, so a holder never yields to the event loop
 * and the lock is held for microseconds; a waiter backs off with a short synchronous sleep.
 *
 * A lock whose owner died (SIGKILL between take and release) is stale: older than STALE_LOCK_MS and its
 * pid no longer runs. The age requirement covers the instant between creating the file and writing the pid
 * into it, and pids that mean nothing here (another pid namespace).
 */

export const STALE_LOCK_MS = 2000
const DEFAULT_TIMEOUT_MS = 30_000
const MAX_BACKOFF_MS = 4

const sleeper = new Int32Array(new SharedArrayBuffer(4))
let asideCounter = 0

export interface FileLockOptions {
  /** How long to wait for a live holder before giving up (default 30 s). */
  readonly timeoutMs?: number
}

/** Runs `fn` holding the lock `lockPath`: no other process (or connector) holding it runs at the same time. */
export function withFileLock<T>(lockPath: string, fn: () => T, options: FileLockOptions = {}): T {
  acquireFileLock(lockPath, options)
  try {
    return fn()
  } finally {
    releaseFileLock(lockPath)
  }
}

export function acquireFileLock(lockPath: string, options: FileLockOptions = {}): void {
  const deadline = Date.now() + (options.timeoutMs ?? DEFAULT_TIMEOUT_MS)
  let backoff = 0.05
  for (;;) {
    if (tryCreate(lockPath)) return
    if (breakIfStale(lockPath)) continue
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for the lock ${lockPath} (held by pid ${ownerOf(lockPath) ?? '?'})`)
    }
    // Jitter, so that waiters woken together do not collide again.
    sleepSync(backoff * (0.5 + Math.random()))
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)
  }
}

export function releaseFileLock(lockPath: string): void {
  try {
    unlinkSync(lockPath)
  } catch (e) {
    if (errorCode(e) !== 'ENOENT') throw e
  }
}

function tryCreate(lockPath: string): boolean {
  let fd: number
  try {
    fd = openSync(lockPath, 'wx')
  } catch (e) {
    if (errorCode(e) === 'EEXIST') return false
    throw e
  }
  try {
    writeSync(fd, `${process.pid}\n`)
  } catch (e) {
    closeSync(fd)
    unlinkSync(lockPath)
    throw e
  }
  closeSync(fd)
  return true
}

/** True when the lock is gone or was stale and is now broken, so taking it is worth another try. */
function breakIfStale(lockPath: string): boolean {
  let seen
  try {
    seen = statSync(lockPath)
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return true
    throw e
  }
  if (Date.now() - seen.mtimeMs < STALE_LOCK_MS) return false
  const pid = ownerOf(lockPath)
  if (pid !== undefined && isRunning(pid)) return false
  // Moved aside rather than unlinked, so that a lock another waiter broke and retook meanwhile is not
  // removed by mistake: the file moved must be the one judged stale, else it goes back.
  const aside = `${lockPath}.${process.pid}.${++asideCounter}.stale`
  try {
    renameSync(lockPath, aside)
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return true
    throw e
  }
  const moved = statSync(aside)
  if (moved.ino !== seen.ino || moved.mtimeMs !== seen.mtimeMs) {
    try {
      linkSync(aside, lockPath)
    } catch {
      // Another process took the lock in the instant it was aside: nothing better can be done.
    }
  }
  unlinkSync(aside)
  return true
}

function ownerOf(lockPath: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(lockPath, 'utf8'), 10)
    return Number.isInteger(pid) && pid > 0 ? pid : undefined
  } catch {
    return undefined
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    // EPERM: it runs, as another user.
    return errorCode(e) !== 'ESRCH'
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(sleeper, 0, 0, ms)
}

function errorCode(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException).code
}
