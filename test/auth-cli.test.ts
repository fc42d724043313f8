import { readFileSync } from 'node:fs'
import { join } from 'node:path'
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

  it('grants and revokes capabilities in provisio.yaml, keeping its comments; reads the audit log', async () => {
    const ws = await demoWorkspace()
    const store = await openStore({ workspaceDir: ws.dir })
    await insertIdentities(store.db, [identityRow('id-ada', 'ada')])
    await store.close()
    const cli = (...args: string[]) => runCli(['-w', ws.dir, ...args])
    const settings = () => readFileSync(join(ws.dir, 'provisio.yaml'), 'utf8')
    const comments = settings()
      .split('\n')
      .filter((l) => l.trimStart().startsWith('#'))

    const granted = cli('capabilities', 'grant', 'id-ada', 'SOURCE_ADMIN', 'HELPDESK', '--json')
    expect(granted.status).toBe(0)
    expect(JSON.parse(granted.stdout)).toEqual({
      identityId: 'id-ada',
      name: 'ada',
      capabilities: ['HELPDESK', 'SOURCE_ADMIN'],
    })
    expect(settings()).toMatch(/\n {2}ada:\n {4}- HELPDESK\n {4}- SOURCE_ADMIN\n/)
    for (const c of comments) expect(settings()).toContain(c)

    expect(cli('capabilities', 'revoke', 'ada', 'HELPDESK').stdout).toBe(
      'ada (id-ada) now has SOURCE_ADMIN\n',
    )
    const listed = JSON.parse(cli('capabilities', 'list', '--json').stdout) as unknown[]
    expect(listed).toContainEqual({ identity: 'ada', capabilities: ['SOURCE_ADMIN'] })

    const unknown = cli('capabilities', 'grant', 'ada', 'GOD_MODE')
    expect(unknown.status).toBe(2)
    expect(unknown.stderr).toMatch(/unknown capability GOD_MODE/)
    expect(cli('capabilities', 'grant', 'nobody', 'HELPDESK').status).toBe(6)

    expect(cli('audit').stdout).toBe('no audit events\n')
    expect(cli('audit', '--filters', 'colour eq "red"').status).toBe(2)
    expect(cli('audit', '--limit', 'x').status).toBe(2)
  })
})
