import { setFlagsFromString } from 'node:v8'

/**
 * Commands that read (or write a little) and end within a second or two. Every other command may load,
 * refresh or execute many identities, or run until stopped (`serve`, `worker`).
 */
export const BRIEF_COMMANDS: ReadonlySet<string> = new Set([
  'validate',
  'identities',
  'identity',
  'accounts',
  'entitlements',
  'plan',
  'explain',
  'activities',
  'tasks',
  'source',
  'memory',
  'transform',
])

/** The embedded database's shared buffers for a brief command, unless PROVISIO_DB_BUFFERS says otherwise. */
export const BRIEF_DB_BUFFERS = '16MB'

/** The global options that take a value (main.ts): the argument after them is not the command. */
const OPTIONS_WITH_VALUE = new Set(['-w', '--workspace'])

/** The command the arguments (after `node main.js`) name: the first that is not a global option or its value. */
export function commandOf(args: readonly string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string
    if (arg === '--') return args[i + 1]
    if (OPTIONS_WITH_VALUE.has(arg)) i++
    else if (!arg.startsWith('-')) return arg
  }
  return undefined
}

export function isBriefCommand(args: readonly string[]): boolean {
  const command = commandOf(args)
  return command !== undefined && BRIEF_COMMANDS.has(command)
}

/**
 * Makes this process quick to open the embedded database and to end, when it runs a brief command. What
 * a brief command would otherwise pay for (measured in docs/operations.md, `cli`):
 * - PGlite zeroes all its shared buffers at every open: 512MB cost about 1 s of CPU; a brief command gets
 *   BRIEF_DB_BUFFERS through PROVISIO_DB_BUFFERS, which store/pglite-db.ts reads (a value the user set wins).
 * - V8 compiles PostgreSQL's WebAssembly with Liftoff, then recompiles its hot functions with TurboFan on
 *   other threads, and the process waits for that work before it ends: 1–2 s of CPU that a brief command
 *   does not live long enough to gain from. `--liftoff-only` is read when the module is compiled, so
 *   setting it here, before any command's module is loaded, is early enough (no second process needed).
 * A command taken for brief by mistake is only slower, never wrong: both settings concern speed alone.
 */
export function tuneForBriefCommand(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  setV8Flags: (flags: string) => void = setFlagsFromString,
): boolean {
  if (!isBriefCommand(args)) return false
  if (!env['PROVISIO_DB_BUFFERS']) env['PROVISIO_DB_BUFFERS'] = BRIEF_DB_BUFFERS
  setV8Flags('--liftoff-only')
  return true
}
