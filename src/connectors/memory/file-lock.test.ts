import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { STALE_LOCK_MS, acquireFileLock, releaseFileLock, withFileLock } from './file-lock.js'

const lockFile = (): string => join(mkdtempSync(join(tmpdir(), 'provisio-lock-')), 'state.json.lock')

/** A lock file as a process `pid` left it, `ageMs` ago. */
function leftLock(path: string, pid: number | undefined, ageMs: number): void {
  writeFileSync(path, pid === undefined ? '' : `${pid}\n`)
  const then = new Date(Date.now() - ageMs)
  utimesSync(path, then, then)
}

/** The pid of a process that has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', ''])
  expect(child.status).toBe(0)
  return child.pid as number
}

describe('file lock', () => {
  it('holds the pid of its owner, and is gone once released, also when the work throws', () => {
    const path = lockFile()
    expect(withFileLock(path, () => readFileSync(path, 'utf8'))).toBe(`${process.pid}\n`)
    expect(existsSync(path)).toBe(false)
    expect(() =>
      withFileLock(path, () => {
        throw new Error('boom')
      }),
    ).toThrow('boom')
    expect(existsSync(path)).toBe(false)
  })

  it('is not taken while held', () => {
    const path = lockFile()
    acquireFileLock(path)
    expect(() => acquireFileLock(path, { timeoutMs: 30 })).toThrow(`held by pid ${process.pid}`)
    releaseFileLock(path)
    acquireFileLock(path, { timeoutMs: 30 })
    releaseFileLock(path)
  })

  it('breaks the lock of a process that died holding it', () => {
    const path = lockFile()
    leftLock(path, deadPid(), STALE_LOCK_MS + 1000)
    withFileLock(path, () => expect(readFileSync(path, 'utf8')).toBe(`${process.pid}\n`), { timeoutMs: 30 })
    leftLock(path, undefined, STALE_LOCK_MS + 1000)
    withFileLock(path, () => expect(readFileSync(path, 'utf8')).toBe(`${process.pid}\n`), { timeoutMs: 30 })
  })

  it('does not break a lock that is recent or whose owner runs', () => {
    const path = lockFile()
    leftLock(path, deadPid(), 0)
    expect(() => acquireFileLock(path, { timeoutMs: 30 })).toThrow(/timed out/)
    leftLock(path, process.pid, STALE_LOCK_MS + 1000)
    expect(() => acquireFileLock(path, { timeoutMs: 30 })).toThrow(/timed out/)
  })
})
