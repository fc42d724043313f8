import { describe, expect, it } from 'vitest'
import { AuthenticationError } from '../src/domain/errors.js'
import { issueToken } from '../src/engine/auth/tokens.js'
import { insertIdentities } from '../src/store/identity-processing.js'
import { openStore } from '../src/store/open-store.js'
import { CLI_TEST_TIMEOUT, runCli } from './support/run-cli.js'
import { demoWorkspace, engineContext } from './support/temp-workspace.js'
import { identityRow } from './support/identity-rows.js'

describe('provisio token and keys rotate', { timeout: CLI_TEST_TIMEOUT }, () => {
  it('creates a personal access token (secret shown once), lists, rotates the keys, revokes', async () => {
    const ws = await demoWorkspace()
    const store = await openStore({ workspaceDir: ws.dir })
    await insertIdentities(store.db, [identityRow('id-ada', 'ada')])
    await store.close()
    const cli = (...args: string[]) => runCli(['-w', ws.dir, ...args])

    const created = cli('token', 'create', '--identity', 'ada', '--name', 'laptop', '--json')
    expect(created.status).toBe(0)
    expect(created.stderr).toContain('shown this once')
    const pat = JSON.parse(created.stdout) as { clientId: string; clientSecret: string }
    expect(Object.keys(pat).sort()).toEqual(['clientId', 'clientSecret'])

    const listed = cli('token', 'list', '--json')
    expect(listed.status).toBe(0)
    expect(listed.stdout).not.toContain(pat.clientSecret)
    expect(JSON.parse(listed.stdout)).toMatchObject([
      { id: pat.clientId, kind: 'PERSONAL_ACCESS_TOKEN', name: 'laptop', owner: { id: 'id-ada' } },
    ])

    const rotated = cli('keys', 'rotate')
    expect(rotated.status).toBe(0)
    expect(rotated.stdout).toMatch(/^re-encrypted the secrets of 0 pending task\(s\) with a new key in .*\n/)
    expect(rotated.stdout).toMatch(/\naccess tokens are signed with a new key \(\S+\)\n$/)

    // The secret the CLI printed is the one that gets a token, with the key the rotation made.
    const check = await openStore({ workspaceDir: ws.dir })
    try {
      const ctx = engineContext(ws.config, check)
      expect((await issueToken(ctx, pat)).token_type).toBe('bearer')
    } finally {
      await check.close()
    }

    expect(cli('token', 'revoke', pat.clientId).status).toBe(0)
    const again = await openStore({ workspaceDir: ws.dir })
    try {
      await expect(issueToken(engineContext(ws.config, again), pat)).rejects.toThrow(AuthenticationError)
    } finally {
      await again.close()
    }

    const missing = cli('token', 'create', '--identity', 'nobody', '--name', 'x')
    expect(missing.status).toBe(6)
    expect(missing.stdout).toBe('')
  })
})
