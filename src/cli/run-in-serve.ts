import type { CliOutcome } from '../api/api-context.js'
import { withLentEngine, type OpenEngine } from '../app/open-engine.js'
import { ConflictError } from '../domain/errors.js'
import { loadWorkspace } from '../engine/workspace/load-workspace.js'
import { commandOf } from './brief-command.js'
import { captureOutput } from './captured-output.js'
import { exitCodeFor } from './exit-code.js'
import { buildProgram, OWN_PROCESS_COMMANDS } from './program.js'

/**
 * How `serve` runs a command handed over by the CLI of another process (`POST /provisio/v1/cli`): on its
 * own open engine, its output captured, one command at a time. Each command sees the workspace as a
 * process of its own would: the YAML as it is on disk now (a hand edit since serve started is loaded and
 * published first, as any command publishes what it runs with), and the exit code it would have ended
 * with, without touching serve's own.
 */
export function cliRunner(engine: OpenEngine): (argv: readonly string[]) => Promise<CliOutcome> {
  let queue: Promise<unknown> = Promise.resolve()
  return (argv) => {
    const run = queue.then(() => runOne(engine, argv))
    queue = run.catch(() => undefined)
    return run
  }
}

async function runOne(engine: OpenEngine, argv: readonly string[]): Promise<CliOutcome> {
  const command = commandOf(argv)
  if (command !== undefined && OWN_PROCESS_COMMANDS.has(command)) {
    throw new ConflictError(`"${command}" runs as a process of its own, not inside serve`)
  }
  const before = process.exitCode
  process.exitCode = undefined
  try {
    const ran = await captureOutput(async () => {
      await engine.reconfigure(await loadWorkspace(engine.config.dir, { connectors: engine.connectors }))
      await withLentEngine(engine, () =>
        buildProgram().parseAsync(['--workspace', engine.config.dir, ...argv], { from: 'user' }),
      )
    })
    if (ran.error === undefined) {
      const code = process.exitCode
      return { exitCode: Number(code ?? 0), stdout: ran.stdout, stderr: ran.stderr }
    }
    const { code, message } = exitCodeFor(ran.error)
    return {
      exitCode: code,
      stdout: ran.stdout,
      stderr: ran.stderr + (message ? `provisio: ${message}\n` : ''),
    }
  } finally {
    process.exitCode = before
  }
}
