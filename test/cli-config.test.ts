import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CLI_TEST_TIMEOUT, runCli } from './support/run-cli.js'
import { tempDir } from './support/temp-workspace.js'

describe('provisio config', () => {
  it(
    'publishes, lists the history and diffs two versions, as text and JSON',
    () => {
      const ws = join(tempDir(), 'ws')
      expect(runCli(['init', ws]).status).toBe(0)
      const author = { PROVISIO_AUTHOR: 'grace' }
      const first = runCli(['-w', ws, 'config', 'publish'], author)
      expect(first.status, first.stderr).toBe(0)
      expect(first.stdout).toMatch(/^the configuration is published as version 1 \([0-9a-f]{12}\)\n$/)
      // Any command that opens the database publishes; an unchanged configuration is no new version.
      expect(runCli(['-w', ws, 'identities'], author).status).toBe(0)

      const file = join(ws, 'access-profiles/lobby-access.yaml')
      writeFileSync(
        file,
        readFileSync(file, 'utf8').replace('Badge access to the building lobby', 'The lobby'),
      )
      expect(runCli(['-w', ws, 'identities'], author).status).toBe(0)

      const history = runCli(['-w', ws, 'config', 'history', '--json'])
      expect(history.status, history.stderr).toBe(0)
      const versions = JSON.parse(history.stdout) as { number: number; author: string; counts: object }[]
      expect(versions.map((v) => [v.number, v.author])).toEqual([
        [2, 'grace'],
        [1, 'grace'],
      ])
      expect(versions[0]?.counts).toMatchObject({ source: 3, 'lifecycle state': 6, 'access profile': 4 })
      const text = runCli(['-w', ws, 'config', 'history'])
      expect(text.stdout).toMatch(
        /^VERSION +PUBLISHED +AUTHOR +HASH +OBJECTS\n2 +\S+ +grace +[0-9a-f]{12} +3 sources, 1 identity profile, 6 lifecycle states/,
      )
      expect(text.stdout).toMatch(/\n2 versions\n$/)

      const diff = runCli(['-w', ws, 'config', 'diff', '1', '2', '--json'])
      expect(diff.status, diff.stderr).toBe(0)
      expect(JSON.parse(diff.stdout)).toMatchObject({
        from: 1,
        to: 2,
        added: [],
        removed: [],
        changed: [{ kind: 'access profile', name: 'Lobby Access', fields: ['description'] }],
      })
      expect(runCli(['-w', ws, 'config', 'diff', '1', 'latest']).stdout).toBe(
        'version 1 → 2\n~ changed  access profile "Lobby Access" (f2dd33ce00d17ebf955e7f5b1dda0154): description\n',
      )
      const missing = runCli(['-w', ws, 'config', 'diff', '1', '7'])
      expect(missing.status).toBe(6)
      expect(missing.stderr).toContain('no configuration version 7')
    },
    CLI_TEST_TIMEOUT,
  )
})
