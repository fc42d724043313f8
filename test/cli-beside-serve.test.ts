import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readLocalApiAccess } from '../src/app/local-api-access.js'
import { serveAccessToken } from '../src/cli/forward-to-serve.js'
import { CLI_TEST_TIMEOUT, runCli, runCliAsync, startServe } from './support/run-cli.js'
import { demoWorkspace, withEmptyDatabase } from './support/temp-workspace.js'

// Issue 12 §6: while serve holds the embedded database, the CLI of another process works through its API.
describe('the CLI beside serve on the embedded database', { timeout: CLI_TEST_TIMEOUT }, () => {
  it('runs commands inside serve with their output and exit codes, and refuses what must be a process', async () => {
    const ws = await demoWorkspace()
    await withEmptyDatabase(ws.dir)
    const cli = (...args: string[]) => runCli(['-w', ws.dir, ...args])
    const serve = await startServe(ws.dir)
    try {
      const aggregated = cli('aggregate', 'HR', '--json')
      expect(aggregated.status, aggregated.stderr).toBe(0)
      expect(JSON.parse(aggregated.stdout)).toMatchObject({ source: 'HR' })

      const identities = JSON.parse(cli('identities', '--json').stdout) as { name: string }[]
      expect(identities.map((i) => i.name)).toContain('joan.goldwasser')

      // A failing command ends with its own exit code and message, as it would in a process of its own.
      const missing = cli('explain', 'nobody.at.all')
      expect(missing.status).toBe(6)
      expect(missing.stderr).toMatch(/^provisio: .*nobody\.at\.all/m)
      const usage = cli('identities', '--no-such-option')
      expect(usage.status).toBe(2)
      expect(usage.stderr).toMatch(/unknown option/)

      // Writes land in the workspace's YAML, and serve runs with them at once.
      const granted = cli('capabilities', 'grant', 'joan.goldwasser', 'HELPDESK', '--json')
      expect(granted.status, granted.stderr).toBe(0)
      expect(readFileSync(join(ws.dir, 'provisio.yaml'), 'utf8')).toMatch(/HELPDESK/)

      // Commands side by side are run one after the other, each with its own output.
      const [a, b] = await Promise.all([
        runCliAsync(['-w', ws.dir, 'identity', 'joan.goldwasser', '--json']),
        runCliAsync(['-w', ws.dir, 'capabilities', 'list', '--json']),
      ])
      expect(a.status, a.stderr).toBe(0)
      expect(JSON.parse(a.stdout)).toMatchObject({ name: 'joan.goldwasser' })
      expect(b.status, b.stderr).toBe(0)
      expect(b.stdout).toMatch(/HELPDESK/)
      expect(b.stdout).not.toMatch(/"accounts"/)

      // A long-running command is not forwarded: the database is in use, and it says by which process.
      const worker = cli('worker')
      expect(worker.status).not.toBe(0)
      expect(worker.stderr).toMatch(/in use/)
      // Nor run when asked for straight through the API.
      const access = readLocalApiAccess(ws.dir)
      if (access === undefined) throw new Error('serve left no .provisio/serve-api.json')
      const token = await serveAccessToken(access)
      const refused = await fetch(`${serve.base}/provisio/v1/cli`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token ?? ''}` },
        body: JSON.stringify({ argv: ['worker'] }),
      })
      expect(refused.status).toBe(409)
      expect((await fetch(`${serve.base}/health`)).status).toBe(200)
    } finally {
      await serve.stop()
    }
    // Serve's administrator client for this machine's CLI is gone with it.
    expect(readLocalApiAccess(ws.dir)).toBeUndefined()
  })
})
