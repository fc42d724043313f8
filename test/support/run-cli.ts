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

/** Runs the CLI to its end without blocking this process: for commands that must run side by side. */
export function runCliAsync(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const child = spawnCli(args, env)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  return new Promise((done) => child.once('exit', (status) => done({ status, stdout, stderr })))
}

/**
 * Starts `provisio serve --port 0` on a workspace and waits for it to listen; `stop` ends it with SIGTERM
 * and resolves with what it printed.
 */
export async function startServe(dir: string): Promise<{ base: string; stop: () => Promise<string> }> {
  const child = spawnCli(['-w', dir, 'serve', '--port', '0'])
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  child.stderr.on('data', (d: Buffer) => (out += d.toString()))
  const exited = new Promise((r) => child.once('exit', r))
  const stop = async (): Promise<string> => {
    child.kill('SIGTERM')
    await exited
    return out
  }
  const deadline = Date.now() + 120_000
  for (;;) {
    const port = /health: http:\/\/127\.0\.0\.1:(\d+)\/health/.exec(out)?.[1]
    if (port !== undefined) return { base: `http://127.0.0.1:${port}`, stop }
    if (Date.now() > deadline || child.exitCode !== null) {
      await stop()
      throw new Error(`serve did not start:\n${out}`)
    }
    await new Promise((r) => setTimeout(r, 100))
  }
}
