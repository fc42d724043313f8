import { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import { ConnectorError } from '../domain/errors.js'
import {
  AuthenticationError,
  ConfigError,
  ConflictError,
  DatabaseUnavailableError,
  InputError,
  NotFoundError,
  SecretUnavailableError,
  SystemError,
  TransformError,
} from '../domain/errors.js'
import { EXIT, exitCodeFor } from './exit-code.js'

/** What commander throws for these arguments, with exitOverride as main.ts sets it. */
function commanderError(args: string[]): unknown {
  const program = new Command('provisio')
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: () => undefined })
    .version('1.2.3')
  program
    .command('plan')
    .option('--json')
    .action(() => undefined)
  program
    .command('identity')
    .argument('<id>')
    .action(() => undefined)
  try {
    program.parse(args, { from: 'user' })
  } catch (err) {
    return err
  }
  return undefined
}

describe('exitCodeFor', () => {
  it('maps usage errors to 2, and help and version to 0, leaving the message to commander', () => {
    for (const args of [['plan', '--bogus'], ['identity'], ['nosuch'], ['plan', 'extra']]) {
      expect(exitCodeFor(commanderError(args))).toEqual({ code: EXIT.badInput, message: '' })
    }
    expect(exitCodeFor(commanderError(['--version']))).toEqual({ code: 0, message: '' })
    expect(exitCodeFor(commanderError(['--help']))).toEqual({ code: 0, message: '' })
  })

  it('gives every documented error its code', () => {
    const cases: [unknown, number][] = [
      [new InputError('x'), 2],
      [new ConfigError([{ file: 'f', path: 'p', message: 'm' }]), 3],
      [new SecretUnavailableError('environment variable X is not set'), 3],
      [
        new ConnectorError('TERMINAL', 'x: environment variable X is not set', {
          code: 'SECRET_UNAVAILABLE',
        }),
        3,
      ],
      [new TransformError('x'), 4],
      [new ConflictError('x'), 5],
      [new NotFoundError('x'), 6],
      [new SystemError('Directory', new Error('internal error')), 7],
      [new ConnectorError('TERMINAL', 'schema violation'), 7],
      [Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }), 7],
      [new DatabaseUnavailableError('refused'), 9],
      [new AuthenticationError('invalid client id or secret'), 10],
      [new Error('a bug'), 1],
      [new TypeError('x is undefined'), 1],
    ]
    expect(cases.map(([err]) => exitCodeFor(err).code)).toEqual(cases.map(([, code]) => code))
  })

  it('says which system failed, and whether a retry may help', () => {
    expect(exitCodeFor(new SystemError('Directory', new Error('internal error'))).message).toBe(
      'the system "Directory" failed: terminal: internal error',
    )
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })
    expect(exitCodeFor(new SystemError('Directory', refused)).message).toMatch(/unreachable \(retryable\)/)
  })
})
