import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Api } from '../src/api/build-api.js'
import type { OpenEngine } from '../src/app/open-engine.js'
import { createPersonalAccessToken } from '../src/engine/auth/credentials.js'
import { issueToken } from '../src/engine/auth/tokens.js'
import type { EngineContext } from '../src/engine/engine-context.js'
import {
  queueNotification,
  type NotificationMessage,
} from '../src/engine/notifications/queue-notification.js'
import { loadWorkspace } from '../src/engine/workspace/load-workspace.js'
import { insertIdentities } from '../src/store/identity-processing.js'
import { openStore } from '../src/store/open-store.js'
import { databases } from './support/databases.js'
import { identityRow } from './support/identity-rows.js'
import { CLI_TEST_TIMEOUT, runCli } from './support/run-cli.js'
import { engineContext, tempDir, withEmptyDatabase } from './support/temp-workspace.js'
import { clientBearer, testApi } from './support/test-api.js'

type Headers = { authorization: string }

const ADA = 'id-ada'
const BOB = 'id-bob'

const IDENTITIES = [
  identityRow(ADA, 'ada.lovelace', { attributes: { email: 'ada@example.com', displayName: 'Ada Lovelace' } }),
  identityRow(BOB, 'bob.builder', { attributes: { email: 'bob@example.com', displayName: 'Bob Builder' } }),
]

function message(
  kind: 'APPROVAL_REQUESTED' | 'REQUEST_COMPLETED',
  to: string,
  n: number,
): NotificationMessage {
  return {
    kind,
    recipients: [to],
    data: {
      requestId: `request-${n}`,
      ...(kind === 'APPROVAL_REQUESTED' ? { approvalId: `approval-${n}` } : {}),
      item: { type: 'ACCESS_PROFILE', name: 'Badge Access' },
      requestedFor: BOB,
      requestedBy: BOB,
    },
    regarding: { accessRequestId: `request-${n}` },
  }
}

/** Two messages to Ada (an approval to give, a request done) and one to Bob, all in the outbox. */
async function seed(ctx: EngineContext): Promise<void> {
  await insertIdentities(ctx.db, IDENTITIES)
  await queueNotification(ctx, message('APPROVAL_REQUESTED', ADA, 1))
  await queueNotification(ctx, message('REQUEST_COMPLETED', ADA, 2))
  await queueNotification(ctx, message('REQUEST_COMPLETED', BOB, 3))
}

function workspaceDir(): string {
  const dir = tempDir()
  writeFileSync(join(dir, 'provisio.yaml'), 'name: acme\n')
  return dir
}

describe.each(databases)('GET /provisio/v1/notifications on $name', (database) => {
  let api: Api
  let engine: OpenEngine
  let admin: Headers
  let helpdesk: Headers
  let ada: Headers

  beforeAll(async () => {
    const config = await loadWorkspace(workspaceDir())
    ;({ api, engine } = await testApi(config, await database.open(), {
      rateLimit: { max: 10_000, windowSeconds: 10 },
    }))
    await seed(engine)
    admin = await clientBearer(engine, ['ORG_ADMIN'])
    helpdesk = await clientBearer(engine, ['HELPDESK'])
    const pat = await createPersonalAccessToken(engine, { identity: 'ada.lovelace', name: 'tests' })
    ada = { authorization: `Bearer ${(await issueToken(engine, pat)).access_token}` }
  })
  afterAll(async () => {
    await api.close()
    await engine.close()
  })

  const get = (query: string, headers: Headers | Record<string, never> = admin) =>
    api.inject({ url: `/provisio/v1/notifications${query}`, headers })
  const kinds = (body: unknown) =>
    (body as { kind: string; recipient: { identityId: string } }[]).map(
      (n) => `${n.kind} ${n.recipient.identityId}`,
    )

  it('shows ORG_ADMIN every message, newest first, with the total and its fields', async () => {
    const res = await get('?count=true')
    expect(res.statusCode).toBe(200)
    expect(res.headers['x-total-count']).toBe('3')
    expect(kinds(res.json())).toEqual([
      `REQUEST_COMPLETED ${BOB}`,
      `REQUEST_COMPLETED ${ADA}`,
      `APPROVAL_REQUESTED ${ADA}`,
    ])
    expect(res.json()[2]).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{32}$/),
      kind: 'APPROVAL_REQUESTED',
      state: 'OUTBOX',
      recipient: { identityId: ADA, email: 'ada@example.com' },
      subject: 'Approval needed: Badge Access for Bob Builder',
      body: expect.stringContaining('Hello Ada Lovelace,'),
      html: null,
      attempts: 0,
      lastError: null,
      nextAttemptAt: null,
      regarding: { accessRequestId: 'request-1' },
      created: expect.any(String),
      sent: null,
    })
  })

  it('filters by recipient, state and the filter grammar, and pages', async () => {
    expect(kinds((await get('?identity=bob.builder')).json())).toEqual([`REQUEST_COMPLETED ${BOB}`])
    expect(kinds((await get(`?identity=${ADA}&state=OUTBOX`)).json())).toHaveLength(2)
    expect((await get('?state=SENT')).json()).toEqual([])
    const filters = encodeURIComponent(
      'kind eq "APPROVAL_REQUESTED" or regarding.accessRequestId eq "request-3"',
    )
    expect(kinds((await get(`?filters=${filters}&sorters=created`)).json())).toEqual([
      `APPROVAL_REQUESTED ${ADA}`,
      `REQUEST_COMPLETED ${BOB}`,
    ])
    expect(kinds((await get('?limit=1&offset=1')).json())).toEqual([`REQUEST_COMPLETED ${ADA}`])
    const bad = await get(`?filters=${encodeURIComponent('kinds eq "x"')}`)
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('kinds')
    expect((await get('?state=LOST')).statusCode).toBe(400)
  })

  it('shows a person the messages sent to them only', async () => {
    expect(kinds((await get('', ada)).json())).toEqual([
      `REQUEST_COMPLETED ${ADA}`,
      `APPROVAL_REQUESTED ${ADA}`,
    ])
    expect(kinds((await get('?identity=me', ada)).json())).toHaveLength(2)
    expect(kinds((await get('?identity=ada.lovelace', ada)).json())).toHaveLength(2)
    const other = await get('?identity=bob.builder', ada)
    expect(other.statusCode).toBe(403)
    expect(other.body).toContain('the notifications sent to you only')
  })

  it('refuses an API client without ORG_ADMIN, and a caller without a token', async () => {
    expect((await get('', helpdesk)).statusCode).toBe(403)
    expect((await get('', {})).statusCode).toBe(401)
    expect((await get('?identity=me')).statusCode).toBe(400)
  })

  it('sends messages again for ORG_ADMIN only, and says why not without SMTP', async () => {
    const retry = (body: object, headers: Headers = admin) =>
      api.inject({ method: 'POST', url: '/provisio/v1/notifications/retry', headers, payload: body })
    expect((await retry({ outbox: true }, ada)).statusCode).toBe(403)
    const refused = await retry({ outbox: true })
    expect(refused.statusCode).toBe(400)
    expect(refused.body).toContain('no SMTP server is configured')
    expect((await retry({ outbox: 'yes' })).statusCode).toBe(400)
  })
})

describe('provisio notifications', { timeout: CLI_TEST_TIMEOUT }, () => {
  const dir = workspaceDir()
  const cli = (...args: string[]) => runCli(['-w', dir, ...args])

  beforeAll(async () => {
    await withEmptyDatabase(dir)
    const store = await openStore({ workspaceDir: dir })
    try {
      await seed(engineContext(await loadWorkspace(dir), store))
    } finally {
      await store.close()
    }
  }, CLI_TEST_TIMEOUT)

  it('lists, filters, shows one in full, and says why nothing is sent without SMTP', () => {
    const all = cli('notifications', '--json')
    expect(all.status, all.stderr).toBe(0)
    const listed = JSON.parse(all.stdout) as { id: string; kind: string; state: string }[]
    expect(listed.map((n) => n.kind)).toEqual([
      'REQUEST_COMPLETED',
      'REQUEST_COMPLETED',
      'APPROVAL_REQUESTED',
    ])

    const table = cli('notifications', '--identity', 'ada.lovelace', '--state', 'outbox')
    expect(table.status, table.stderr).toBe(0)
    expect(table.stdout).toMatch(/^ID +CREATED +KIND +STATE +TO +SUBJECT +ATTEMPTS/)
    expect(table.stdout).toMatch(
      /APPROVAL_REQUESTED +OUTBOX +ada@example\.com +Approval needed: Badge Access for Bob Builder +0/,
    )
    expect(table.stdout.trim().split('\n')).toHaveLength(3)

    const id = listed[2]?.id ?? ''
    const shown = cli('notifications', 'show', id)
    expect(shown.status, shown.stderr).toBe(0)
    expect(shown.stdout).toContain('APPROVAL_REQUESTED · OUTBOX\nTo: ada@example.com (identity id-ada)\n')
    expect(shown.stdout).toContain(
      '\nHello Ada Lovelace,\n\nBob Builder requests access to the access profile "Badge Access"',
    )

    const send = cli('notifications', 'send')
    expect(send.status, send.stderr).toBe(0)
    expect(send.stdout).toContain('nothing sent: no SMTP server configured')

    const wrong = cli('notifications', '--state', 'LOST')
    expect(wrong.status).not.toBe(0)
    expect(wrong.stderr).toContain('state must be one of OUTBOX, PENDING, SENT, FAILED')
  })

  it('validate names the template file and the misspelt variable', () => {
    mkdirSync(join(dir, 'notification-templates'), { recursive: true })
    writeFileSync(
      join(dir, 'notification-templates', 'REQUEST_COMPLETED.yaml'),
      'subject: "Done: {{item.nam}}"\nbody: |\n  Hello {{recipient.displayName}}\n',
    )
    const checked = cli('validate')
    expect(checked.status).not.toBe(0)
    expect(checked.stderr).toContain(
      'notification-templates/REQUEST_COMPLETED.yaml: notification template REQUEST_COMPLETED: subject (line 1): "item.nam": item has no field "nam" (did you mean "name"?)',
    )
  })
})
