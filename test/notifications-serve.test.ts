import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { queueNotification } from '../src/engine/notifications/queue-notification.js'
import { loadWorkspace } from '../src/engine/workspace/load-workspace.js'
import { insertIdentities } from '../src/store/identity-processing.js'
import { openStore } from '../src/store/open-store.js'
import { identityRow } from './support/identity-rows.js'
import { CLI_TEST_TIMEOUT, startServe } from './support/run-cli.js'
import { startSmtpServer, type SmtpTestServer } from './support/smtp-test-server.js'
import { engineContext, tempDir, withEmptyDatabase } from './support/temp-workspace.js'

describe('provisio serve sends the notifications queued', { timeout: CLI_TEST_TIMEOUT }, () => {
  let smtp: SmtpTestServer
  beforeAll(async () => {
    smtp = await startSmtpServer()
  })
  afterAll(async () => {
    await smtp.close()
  })

  it('drains the messages queued before it started, on its own timer', async () => {
    const dir = tempDir()
    writeFileSync(
      join(dir, 'provisio.yaml'),
      stringify({
        name: 'acme',
        notifications: {
          smtp: { host: '127.0.0.1', port: smtp.port, from: 'provisio@example.com' },
          pollSeconds: 1,
        },
      }),
    )
    await withEmptyDatabase(dir)
    const store = await openStore({ workspaceDir: dir })
    try {
      const ctx = engineContext(await loadWorkspace(dir), store)
      await insertIdentities(store.db, [
        identityRow('id-ada', 'ada', { attributes: { email: 'ada@example.com', displayName: 'Ada' } }),
      ])
      await queueNotification(ctx, {
        kind: 'CERTIFICATION_ACTIVATED',
        recipients: ['id-ada'],
        data: { campaignId: 'c-1', campaignName: 'Q4 review', itemCount: 12 },
        regarding: { campaignId: 'c-1' },
      })
    } finally {
      await store.close()
    }

    const serve = await startServe(dir)
    let log = ''
    try {
      const until = Date.now() + 60_000
      while (smtp.received.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 200))
    } finally {
      log = await serve.stop()
    }
    expect(
      smtp.received.map((m) => [m.envelopeTo, m.subject]),
      log,
    ).toEqual([[['ada@example.com'], 'Access review: Q4 review']])
    expect(smtp.received[0]?.text).toContain('12 access items wait for your decision')
    expect(log).toContain('notifications: 1 sent, 0 to try again, 0 failed')
  })
})
