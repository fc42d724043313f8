import { describe, expect, it } from 'vitest'
import { signInWithPassword } from '../src/engine/auth/sign-in.js'
import { insertIdentities } from '../src/store/identity-processing.js'
import { openStore } from '../src/store/open-store.js'
import { CLI_TEST_TIMEOUT, runCli, startServe } from './support/run-cli.js'
import { identityRow } from './support/identity-rows.js'
import { demoWorkspace, engineContext, withEmptyDatabase } from './support/temp-workspace.js'

describe('provisio password set, invite, and serve with sessions', { timeout: CLI_TEST_TIMEOUT }, () => {
  it('sets a password from standard input, prints an invitation link, and serve takes the session cookie', async () => {
    const ws = await demoWorkspace()
    await withEmptyDatabase(ws.dir)
    const store = await openStore({ workspaceDir: ws.dir })
    await insertIdentities(store.db, [identityRow('id-ada', 'ada.lovelace')])
    await store.close()
    const cli = (args: string[], input?: string) => runCli(['-w', ws.dir, ...args], {}, input)

    const short = cli(['password', 'set', 'ada.lovelace'], 'short\n')
    expect(short.status).toBe(2)
    expect(short.stderr).toMatch(/password: must have at least 12 characters/)
    expect(short.stderr).not.toContain('short\n')
    const set = cli(['password', 'set', 'ada.lovelace'], 'analytical engine notes\n')
    expect(set.status, set.stderr).toBe(0)
    expect(set.stdout).toBe('password set for ada.lovelace (id-ada)\n')
    expect(cli(['password', 'set', 'nobody'], 'analytical engine notes\n').status).toBe(6)
    expect(cli(['password', 'set', 'ada.lovelace', 'analytical engine notes']).status).toBe(2)

    const invite = cli(['invite', 'ada.lovelace', '--json', '--hours', '24'])
    expect(invite.status, invite.stderr).toBe(0)
    const link = JSON.parse(invite.stdout) as { url: string; expires: string; identity: { id: string } }
    expect(link.identity.id).toBe('id-ada')
    expect(link.url).toMatch(/^http:\/\/127\.0\.0\.1:7100\/provisio\/v1\/auth\/invitations\/[\w-]{43}$/)
    expect(cli(['invite', 'nobody']).status).toBe(6)

    const check = await openStore({ workspaceDir: ws.dir })
    try {
      const session = await signInWithPassword(engineContext(ws.config, check), {
        username: 'ada.lovelace',
        password: 'analytical engine notes',
        sourceAddress: '127.0.0.1',
      })
      expect(session.identity.id).toBe('id-ada')
    } finally {
      await check.close()
    }

    const serve = await startServe(ws.dir)
    try {
      const base = serve.base
      const login = await fetch(`${base}/provisio/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'ada.lovelace', password: 'analytical engine notes' }),
      })
      expect(login.status).toBe(200)
      const { csrfToken } = (await login.json()) as { csrfToken: string }
      const cookie = login.headers
        .getSetCookie()
        .map((c) => c.split(';')[0])
        .join('; ')
      const me = await fetch(`${base}/provisio/v1/auth/session`, { headers: { cookie } })
      expect(me.status).toBe(200)
      expect(await me.json()).toMatchObject({ identity: { id: 'id-ada' } })
      const logout = (headers: Record<string, string>) =>
        fetch(`${base}/provisio/v1/auth/logout`, { method: 'POST', headers: { cookie, ...headers } })
      expect((await logout({})).status).toBe(403)
      expect((await logout({ 'x-csrf-token': csrfToken })).status).toBe(204)
      expect((await fetch(`${base}/provisio/v1/auth/session`, { headers: { cookie } })).status).toBe(401)
      // While serve holds the embedded database, the password still comes from this process's stdin.
      const reset = cli(['password', 'set', 'ada.lovelace'], 'difference engine plans\n')
      expect(reset.status, reset.stderr).toBe(0)
      // The session opened above, straight on the store, ends with the change.
      expect(reset.stdout).toBe('password set for ada.lovelace (id-ada); 1 open session(s) ended\n')
      const again = await fetch(`${base}/provisio/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'ada.lovelace', password: 'difference engine plans' }),
      })
      expect(again.status).toBe(200)
    } finally {
      await serve.stop()
    }
  })
})
