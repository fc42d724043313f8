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

/**
 * The environment of a CLI process under test: the embedded database, with small shared buffers for every
 * command (the demo's tables take a few hundred kB; 512MB, the default of the commands that load data, are
 * zeroed at every open and cost a second of CPU). A test that checks the buffers themselves passes
 * `PROVISIO_DB_BUFFERS: ''` (unset: the commands' own choice).
 */
function cliEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { ...process.env, DATABASE_URL: '', PROVISIO_DB_BUFFERS: '16MB', ...env }
}

/** Runs the CLI to its end; `input` is written to its standard input (a pipe, not a terminal). */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv = {}, input?: string): CliResult {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: cliEnv(env),
    ...(input !== undefined ? { input } : {}),
    timeout: 120_000,
  })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

export function spawnCli(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  return spawn(process.execPath, [CLI, ...args], { env: cliEnv(env) })
}
