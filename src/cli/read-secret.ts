import { createInterface } from 'node:readline'
import { Writable } from 'node:stream'
import { InputError } from '../domain/errors.js'

/** Reads all of standard input; its first line is the secret (a trailing newline is not part of it). */
async function readPiped(): Promise<string> {
  const chunks: Buffer[] = []
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
  return (Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '').trimEnd()
}

/** Asks on the terminal without echoing what is typed. */
function ask(question: string): Promise<string> {
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() })
  const rl = createInterface({ input: process.stdin, output: muted, terminal: true })
  process.stderr.write(question)
  return new Promise((resolve) => {
    rl.question('', (answer) => {
      rl.close()
      process.stderr.write('\n')
      resolve(answer)
    })
  })
}

/**
 * A secret for a command, never from its arguments (they are visible to every user of the machine and
 * kept in shell histories): typed twice at a terminal, without echo, or the first line of a pipe.
 */
export async function readSecret(what: string): Promise<string> {
  if (!process.stdin.isTTY) {
    const piped = await readPiped()
    if (piped === '') throw new InputError(`no ${what} on standard input`)
    return piped
  }
  const first = await ask(`${what}: `)
  if (first === '') throw new InputError(`no ${what} given`)
  if ((await ask(`${what} again: `)) !== first) throw new InputError(`the two ${what}s differ`)
  return first
}
