#!/usr/bin/env -S node --max-semi-space-size=64
import { resolve } from 'node:path'
import { WorkspaceInUseError } from '../domain/errors.js'
import { tuneForBriefCommand } from './brief-command.js'
import { exitCodeFor } from './exit-code.js'
import { buildProgram } from './program.js'

tuneForBriefCommand(process.argv.slice(2))
const program = buildProgram()
const ws = (): string => program.opts<{ workspace: string }>().workspace

program.parseAsync(process.argv).catch(async (err: unknown) => {
  // `serve` holds the embedded database: the command runs there, through its API, if it left a way in.
  if (err instanceof WorkspaceInUseError) {
    const { forwardToServe } = await import('./forward-to-serve.js')
    const forwarded = await forwardToServe(resolve(ws()), err.holderPid, process.argv.slice(2)).catch(
      () => undefined,
    )
    if (forwarded !== undefined) process.exit(forwarded)
  }
  const { code, message } = exitCodeFor(err)
  if (message) process.stderr.write(`provisio: ${message}\n`)
  process.exit(code)
})
