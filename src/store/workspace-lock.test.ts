import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConflictError } from '../domain/errors.js'
import { lockWorkspace, startTimeOf, type LockHolder } from './workspace-lock.js'

describe('lockWorkspace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'provisio-lock-'))
  const lock = join(dir, 'db.lock')
  // Another live process, standing for the one that holds the workspace (or for whoever got its pid).
  let other: ChildProcess
  beforeAll(() => {
    other = spawn('sleep', ['600'], { stdio: 'ignore' })
  })
  afterAll(() => {
    other.kill()
    rmSync(dir, { recursive: true, force: true })
  })
  const write = (holder: LockHolder): void => writeFileSync(lock, JSON.stringify(holder))

  it('records who holds it, and releases only its own lock', () => {
    const release = lockWorkspace(lock)
    const held = JSON.parse(readFileSync(lock, 'utf8')) as LockHolder
    expect(held.pid).toBe(process.pid)
    expect(held.startTime).toBe(startTimeOf(process.pid))
    expect(Date.parse(held.since ?? '')).not.toBeNaN()
    expect(held.command).toBeTruthy()
    release()
    expect(existsSync(lock)).toBe(false)
  })

  it('refuses a lock held by a live process, naming its pid, command and start', () => {
    const pid = other.pid as number
    write({
      pid,
      startTime: startTimeOf(pid) as string,
      command: 'provisio serve',
      since: '2026-12-01T08:00:00.000Z',
    })
    let error: unknown
    try {
      lockWorkspace(lock)
    } catch (err) {
      error = err
    }
    expect(error).toBeInstanceOf(ConflictError)
    expect((error as Error).message).toContain(
      `in use by process ${pid} ("provisio serve", since 2026-12-01T08:00:00.000Z)`,
    )
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid })
  })

  it('takes over a lock whose pid now belongs to another process (a different start time)', () => {
    const pid = other.pid as number
    write({ pid, startTime: '1', command: 'provisio serve', since: '2026-01-01T00:00:00.000Z' })
    const release = lockWorkspace(lock)
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: process.pid })
    release()
  })

  it('takes over a lock from before a reboot, and one whose process is gone', () => {
    const pid = other.pid as number
    write({ pid, startTime: startTimeOf(pid) as string, bootId: 'another-boot' })
    lockWorkspace(lock)()
    write({ pid: 2 ** 22 + 1 })
    lockWorkspace(lock)()
    writeFileSync(lock, 'not a lock')
    lockWorkspace(lock)()
    expect(existsSync(lock)).toBe(false)
  })

  it('still honours the bare pid that older versions wrote', () => {
    writeFileSync(lock, String(other.pid))
    expect(() => lockWorkspace(lock)).toThrow(ConflictError)
    rmSync(lock)
  })
})
