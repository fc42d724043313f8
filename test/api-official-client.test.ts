import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import {
  AccountsApi,
  AuthUsersApi,
  OAuthClientsApi,
  Paginator,
  PersonalAccessTokensApi,
  type Configuration,
} from 'sailpoint-api-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Api } from '../src/api/build-api.js'
import type { OpenEngine } from '../src/app/open-engine.js'
import { generatePeople, hrCsv } from '../src/demo/generate-people.js'
import { createApiClient, createPersonalAccessToken } from '../src/engine/auth/credentials.js'
import { listIdentities } from '../src/engine/queries/list-identities.js'
import { refreshSource } from '../src/engine/refresh-source.js'
import { loadWorkspace } from '../src/engine/workspace/load-workspace.js'
import { databases } from './support/databases.js'
import { clientConfiguration, listening, quietly } from './support/official-client.js'
import { demoWorkspace } from './support/temp-workspace.js'
import { testApi } from './support/test-api.js'

/** More people than one page of 250 holds, so that paging is exercised. */
const PEOPLE = 320

describe.each(databases)(
  'the official client (sailpoint-api-client) against Provisio on $name',
  (database) => {
    let api: Api
    let engine: OpenEngine
    let base: string
    let admin: Configuration

    beforeAll(async () => {
      const ws = await demoWorkspace()
      writeFileSync(join(ws.dir, 'data/hr.csv'), hrCsv(generatePeople(PEOPLE)))
      ;({ api, engine } = await testApi(await loadWorkspace(ws.dir), await database.open(), {
        rateLimit: { max: 10_000, windowSeconds: 10 },
      }))
      await refreshSource(engine, 'HR')
      base = await listening(api)
      admin = clientConfiguration(
        base,
        await createApiClient(engine, { name: 'sdk admin', capabilities: ['ORG_ADMIN'] }),
      )
    })
    afterAll(async () => {
      await api.close()
      await engine.close()
    })

    it('gets a token by client credentials and pages through more than 250 accounts', async () => {
      const accounts = new AccountsApi(admin)
      const first = await accounts.listAccounts({ limit: 10, count: true })
      expect(first.status).toBe(200)
      expect(first.data).toHaveLength(10)
      expect(Number(first.headers['x-total-count'])).toBe(PEOPLE)
      const all = await quietly(() => Paginator.paginate(accounts, accounts.listAccounts, {}, 250))
      expect(all.data).toHaveLength(PEOPLE)
      expect(new Set(all.data.map((a) => a.id)).size).toBe(PEOPLE)
      const one = await accounts.getAccount({ id: all.data[7]?.id ?? '' })
      expect(one.data.nativeIdentity).toBe(all.data[7]?.nativeIdentity)
      const filtered = await accounts.listAccounts({
        filters: `nativeIdentity eq "${one.data.nativeIdentity}"`,
      })
      expect(filtered.data.map((a) => a.id)).toEqual([one.data.id])
      const sorted = await accounts.listAccounts({ sorters: '-nativeIdentity', limit: 3 })
      const natives = sorted.data.map((a) => a.nativeIdentity)
      expect(natives).toEqual([...natives].sort().reverse())
    })

    it('surfaces errors as the client sees them: 400 with the reference body, 401, 404', async () => {
      const accounts = new AccountsApi(admin)
      const bad = await accounts.listAccounts({ filters: 'colour eq "red"' }).catch((e: unknown) => e)
      expect(bad).toMatchObject({
        response: { status: 400, data: { detailCode: '400.1 Bad Request Content' } },
      })
      const missing = await accounts.getAccount({ id: 'nope' }).catch((e: unknown) => e)
      expect(missing).toMatchObject({ response: { status: 404 } })
      const wrong = clientConfiguration(base, { clientId: 'nobody', clientSecret: 'nothing' })
      const refused = await new AccountsApi(wrong).listAccounts().catch((e: unknown) => e)
      // The client fetches its token first, and reports the token endpoint's refusal as its own error.
      expect(String(refused)).toMatch(/status code 401/)
    })

    it('manages personal access tokens, API clients and capabilities', async () => {
      const [person] = (await listIdentities(engine, { limit: 1 })).rows
      if (!person) throw new Error('no identity')
      const own = clientConfiguration(
        base,
        await createPersonalAccessToken(engine, { identity: person.id, name: 'sdk' }),
      )
      const pats = new PersonalAccessTokensApi(own)
      const created = await pats.createPersonalAccessToken({
        createPersonalAccessTokenRequest: { name: 'from the sdk' },
      })
      expect(created.data.owner.id).toBe(person.id)
      const listed = await pats.listPersonalAccessTokens()
      expect(listed.data.map((t) => t.name).sort()).toEqual(['from the sdk', 'sdk'])
      await pats.deletePersonalAccessToken({ id: created.data.id })
      expect((await pats.listPersonalAccessTokens()).data.map((t) => t.name)).toEqual(['sdk'])

      const clients = new OAuthClientsApi(admin)
      const client = await clients.createOauthClient({
        createOAuthClientRequest: {
          name: 'sdk client',
          description: 'made by the sdk',
          accessTokenValiditySeconds: 750,
          grantTypes: ['CLIENT_CREDENTIALS'],
          accessType: 'OFFLINE',
          enabled: true,
        },
      })
      expect((await clients.listOauthClients()).data.map((c) => c.id)).toContain(client.data.id)
      await clients.deleteOauthClient({ id: client.data.id })

      const users = new AuthUsersApi(admin)
      const patched = await users.patchAuthUser({
        id: person.id,
        jsonPatchOperation: [{ op: 'replace', path: '/capabilities', value: ['HELPDESK'] }],
      })
      expect(patched.data.capabilities).toEqual(['HELPDESK'])
      expect((await users.getAuthUser({ id: person.id })).data.capabilities).toEqual(['HELPDESK'])
    })
  },
)
