import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  BRIEF_COMMANDS,
  BRIEF_DB_BUFFERS,
  commandOf,
  isBriefCommand,
  tuneForBriefCommand,
} from './brief-command.js'

describe('brief commands', () => {
  it('finds the command after the global options and their values', () => {
    expect(commandOf(['identities'])).toBe('identities')
    expect(commandOf(['-w', 'demo', 'plan', '--json'])).toBe('plan')
    expect(commandOf(['--workspace', 'aggregate', 'aggregate', 'HR'])).toBe('aggregate')
    expect(commandOf(['--workspace=plan', 'process'])).toBe('process')
    expect(commandOf(['-V'])).toBeUndefined()
    expect(commandOf(['-w', 'demo'])).toBeUndefined()
    expect(commandOf(['--', 'identities'])).toBe('identities')
  })

  it('reading commands are brief; loading, refreshing, executing and serving ones are not', () => {
    for (const c of ['validate', 'identities', 'identity', 'plan', 'explain', 'activities', 'tasks']) {
      expect(isBriefCommand(['-w', 'ws', c]), c).toBe(true)
    }
    for (const c of [
      'init',
      'aggregate',
      'process',
      'refresh',
      'apply',
      'retry',
      'execute',
      'worker',
      'serve',
    ]) {
      expect(isBriefCommand(['-w', 'ws', c]), c).toBe(false)
    }
    // A workspace named like a brief command does not make the command brief.
    expect(isBriefCommand(['-w', 'plan', 'aggregate', 'HR'])).toBe(false)
    expect(isBriefCommand(['--help'])).toBe(false)
  })

  it('names only commands that the program has', () => {
    const main = readFileSync(join(import.meta.dirname, 'program.ts'), 'utf8')
    const commands = new Set([...main.matchAll(/\.command\('([a-z-]+)'\)/g)].map((m) => m[1]))
    for (const c of BRIEF_COMMANDS) expect(commands, c).toContain(c)
  })

  it('a brief command gets small buffers unless PROVISIO_DB_BUFFERS is set, and Liftoff only', () => {
    const flags: string[] = []
    const env: NodeJS.ProcessEnv = {}
    expect(tuneForBriefCommand(['identities'], env, (f) => flags.push(f))).toBe(true)
    expect(env['PROVISIO_DB_BUFFERS']).toBe(BRIEF_DB_BUFFERS)
    expect(flags).toEqual(['--liftoff-only'])

    const set: NodeJS.ProcessEnv = { PROVISIO_DB_BUFFERS: '256MB' }
    tuneForBriefCommand(['plan'], set, () => undefined)
    expect(set['PROVISIO_DB_BUFFERS']).toBe('256MB')
  })

  it('any other command keeps the defaults', () => {
    const flags: string[] = []
    const env: NodeJS.ProcessEnv = {}
    expect(tuneForBriefCommand(['aggregate', 'HR'], env, (f) => flags.push(f))).toBe(false)
    expect(env).toEqual({})
    expect(flags).toEqual([])
  })
})
