import { spawn, spawnSync } from 'node:child_process'
import { join } from 'node:path'

/** The built CLI (`npm test` builds first). */
export const CLI = join(import.meta.dirname, '..', '..', 'dist', 'src', 'cli', 'main.js')

/**
 * The limit of a test that runs CLI processes one after another: a dozen of them, each opening the
 * embedded database (about a second on a quiet machine), stay well inside it on a busy one.
 */
export const CLI_TEST_TIMEOUT = 180_000

export interface CliResult {
  readonly status: number | null
  readonly stdout: string
  readonly stderr: string
}

export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, DATABASE_URL: '', ...env },
    timeout: 120_000,
  })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

export function spawnCli(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  return spawn(process.execPath, [CLI, ...args], { env: { ...process.env, DATABASE_URL: '', ...env } })
}
