import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { stringify } from 'yaml'
import { configFromSnapshot, configSnapshot } from '../src/domain/config/config-snapshot.js'
import type { WorkspaceConfig } from '../src/domain/config/workspace-config.js'
import { ConfigError } from '../src/domain/errors.js'
import type { EngineContext } from '../src/engine/engine-context.js'
import {
  queueNotification,
  queueNotifications,
  type NotificationMessage,
} from '../src/engine/notifications/queue-notification.js'
import { retryNotifications } from '../src/engine/notifications/retry-notifications.js'
import { sendPendingNotifications } from '../src/engine/notifications/send-pending-notifications.js'
import { listNotifications, type Notification } from '../src/engine/queries/list-notifications.js'
import { loadWorkspace } from '../src/engine/workspace/load-workspace.js'
import { insertIdentities } from '../src/store/identity-processing.js'
import { openStore, type Store } from '../src/store/open-store.js'
import { databases } from './support/databases.js'
import { identityRow } from './support/identity-rows.js'
import { startSmtpServer, type SmtpTestServer } from './support/smtp-test-server.js'
import { tempDir } from './support/temp-workspace.js'

const PASSWORD_ENV = 'PROVISIO_TEST_SMTP_PASSWORD'
const PASSWORD = 'correct horse battery staple'
process.env[PASSWORD_ENV] = PASSWORD
const WRONG_PASSWORD_ENV = 'PROVISIO_TEST_SMTP_WRONG_PASSWORD'
const WRONG_PASSWORD = 'not-the-password-42'
process.env[WRONG_PASSWORD_ENV] = WRONG_PASSWORD

/** A workspace folder with these notification settings and template files, loaded as `validate` does. */
async function workspace(
  notifications: Record<string, unknown> | undefined,
  templates: Record<string, string> = {},
): Promise<WorkspaceConfig> {
  const dir = tempDir()
  writeFileSync(
    join(dir, 'provisio.yaml'),
    stringify({ name: 'acme', ...(notifications ? { notifications } : {}) }),
  )
  if (Object.keys(templates).length > 0) mkdirSync(join(dir, 'notification-templates'))
  for (const [file, text] of Object.entries(templates)) {
    writeFileSync(join(dir, 'notification-templates', file), text)
  }
  return loadWorkspace(dir)
}

/** SMTP settings for the test server, logging in with the password of a secret reference. */
function smtpOf(server: SmtpTestServer, passwordEnv = PASSWORD_ENV): Record<string, unknown> {
  return {
    host: '127.0.0.1',
    port: server.port,
    user: 'provisio',
    password: `\${env:${passwordEnv}}`,
    from: 'Provisio <provisio@example.com>',
    timeoutSeconds: 10,
  }
}

const ADA = 'id-ada'
const BOB = 'id-bob'
const NOMAIL = 'id-nomail'

const approvalRequested = (n = 1): NotificationMessage => ({
  kind: 'APPROVAL_REQUESTED',
  recipients: [ADA],
  data: {
    requestId: `request-${n}`,
    approvalId: `approval-${n}`,
    item: { type: 'ACCESS_PROFILE', id: 'ap-1', name: 'Badge Access' },
    requestedFor: BOB,
    requestedBy: BOB,
    comment: 'For the new building',
    link: `/ui/approvals/approval-${n}`,
  },
  regarding: { accessRequestId: `request-${n}`, approvalId: `approval-${n}` },
})

describe.each(databases)('notifications on $name', (database) => {
  let store: Store
  let smtp: SmtpTestServer
  let clock = new Date('2026-12-01T09:00:00.000Z')
  const contexts = new Map<string, EngineContext>()

  const context = (config: WorkspaceConfig, db = store.db): EngineContext => ({
    config,
    db,
    connectors: undefined as never,
    now: () => clock,
  })
  async function rows(): Promise<Notification[]> {
    return (await listNotifications(context(await workspace(undefined)), { sorters: ['id'] })).rows
  }
  async function withSmtp(extra: Record<string, unknown> = {}, server = smtp): Promise<EngineContext> {
    const key = `${server.port} ${JSON.stringify(extra)}`
    let found = contexts.get(key)
    if (found === undefined) {
      found = context(
        await workspace({ baseUrl: 'https://provisio.example.com', smtp: smtpOf(server), ...extra }),
      )
      contexts.set(key, found)
    }
    return found
  }

  beforeAll(async () => {
    store = await database.open()
    await insertIdentities(store.db, [
      identityRow(ADA, 'ada.lovelace', {
        attributes: { email: 'ada@example.com', displayName: 'Ada Lovelace' },
      }),
      identityRow(BOB, 'bob.builder', {
        attributes: { email: 'bob@example.com', firstname: 'Bob', lastname: 'Builder' },
      }),
      identityRow(NOMAIL, 'no.mail', { attributes: { displayName: 'No Mail' } }),
    ])
    smtp = await startSmtpServer({ login: { user: 'provisio', password: PASSWORD } })
  })
  afterAll(async () => {
    await smtp?.close()
    await store?.close()
  })
  beforeEach(async () => {
    await store.db.query('DELETE FROM notifications')
    smtp.received.length = 0
    clock = new Date('2026-12-01T09:00:00.000Z')
  })

  it('sends an approval request to its approver through a real SMTP server, logging in with a secret reference', async () => {
    const ctx = await withSmtp()
    const queued = await queueNotification(ctx, approvalRequested())
    expect(queued).toEqual([
      expect.objectContaining({
        recipientIdentityId: ADA,
        recipientEmail: 'ada@example.com',
        state: 'PENDING',
      }),
    ])
    expect(await sendPendingNotifications(ctx)).toEqual({ sent: 1, retrying: 0, failed: 0 })

    expect(smtp.received).toHaveLength(1)
    const mail = smtp.received[0]
    expect(mail?.user).toBe('provisio')
    expect(mail?.envelopeFrom).toBe('provisio@example.com')
    expect(mail?.envelopeTo).toEqual(['ada@example.com'])
    expect(mail?.headers.get('to')).toBe('ada@example.com')
    expect(mail?.subject).toBe('Approval needed: Badge Access for Bob Builder')
    expect(mail?.headers.get('x-provisio-notification')).toBe(queued[0]?.id)
    expect(mail?.headers.get('auto-submitted')).toBe('auto-generated')
    expect(mail?.text).toBe(
      [
        'Hello Ada Lovelace,',
        '',
        'Bob Builder requests access to the access profile "Badge Access" for Bob Builder (bob.builder). Please approve or reject it.',
        '',
        'Comment from Bob Builder: For the new building',
        '',
        'https://provisio.example.com/ui/approvals/approval-1',
        '',
        '--',
        'Access request request-1 · acme (Provisio)',
        '',
      ].join('\n'),
    )

    const [row] = await rows()
    expect(row).toMatchObject({
      kind: 'APPROVAL_REQUESTED',
      state: 'SENT',
      attempts: 1,
      lastError: null,
      sent: clock.toISOString(),
      regarding: { accessRequestId: 'request-1', approvalId: 'approval-1' },
    })
    expect(JSON.stringify(await rows())).not.toContain(PASSWORD)
  })

  it('without SMTP, keeps messages in the outbox; a recipient without an address still gets a row that says why', async () => {
    const ctx = context(await workspace(undefined))
    const queued = await queueNotification(ctx, {
      kind: 'REQUEST_REJECTED',
      recipients: [ADA, NOMAIL, 'id-nobody', ADA],
      data: {
        requestId: 'request-9',
        item: { type: 'ROLE', name: 'Engineering' },
        requestedFor: ADA,
        requestedBy: ADA,
        approver: BOB,
        approverComment: 'Not in your team',
      },
    })
    expect(queued.map((q) => [q.recipientIdentityId, q.state, q.lastError])).toEqual([
      [ADA, 'OUTBOX', null],
      [NOMAIL, 'OUTBOX', 'identity "no.mail" has no email address (its email attribute is empty)'],
      ['id-nobody', 'OUTBOX', 'no identity with id "id-nobody"'],
    ])
    const outbox = await rows()
    const toAda = outbox.find((n) => n.recipientIdentityId === ADA)
    expect(toAda?.subject).toBe('Rejected: Engineering for Ada Lovelace')
    expect(toAda?.body).toContain('was rejected by Bob Builder. Nothing was changed.')
    expect(toAda?.body).toContain('Comment: Not in your team')
    expect(toAda?.nextAttemptAt).toBeNull()

    expect(await sendPendingNotifications(ctx)).toMatchObject({
      sent: 0,
      idle: expect.stringContaining('no SMTP'),
    })
    // A sender with SMTP leaves the outbox alone: those messages were kept to be read.
    expect(await sendPendingNotifications(await withSmtp())).toEqual({ sent: 0, retrying: 0, failed: 0 })
    expect(smtp.received).toHaveLength(0)
  })

  it('with SMTP, a recipient without an address is FAILED at once, and the others are sent', async () => {
    const ctx = await withSmtp()
    await queueNotification(ctx, { ...approvalRequested(), recipients: [NOMAIL, ADA] })
    expect(await sendPendingNotifications(ctx)).toEqual({ sent: 1, retrying: 0, failed: 0 })
    const byRecipient = new Map((await rows()).map((n) => [n.recipientIdentityId, n]))
    expect(byRecipient.get(NOMAIL)).toMatchObject({
      state: 'FAILED',
      attempts: 0,
      lastError: expect.stringContaining('no email address'),
    })
    expect(byRecipient.get(ADA)).toMatchObject({ state: 'SENT' })
  })

  it("renders a workspace's template instead of the default, with an HTML part escaped", async () => {
    const config = await workspace(
      { smtp: smtpOf(smtp) },
      {
        'REQUEST_COMPLETED.yaml': stringify({
          subject: 'Ready: {{item.name}}',
          body: 'Dear {{recipient.name}},\n{{#with item}}{{typeName}} {{name}}{{/with}} is yours.\n',
          html: '<p>{{item.name}} is yours, {{recipient.displayName}}.</p>',
        }),
      },
    )
    const ctx = context(config)
    await queueNotification(ctx, {
      kind: 'REQUEST_COMPLETED',
      recipients: [BOB],
      data: {
        requestId: 'request-3',
        item: { type: 'ENTITLEMENT', name: 'CN=<Admins>' },
        requestedFor: BOB,
        requestedBy: BOB,
      },
    })
    await sendPendingNotifications(ctx)
    const mail = smtp.received[0]
    expect(mail?.subject).toBe('Ready: CN=<Admins>')
    expect(mail?.text).toBe('Dear bob.builder,\nentitlement CN=<Admins> is yours.\n')
    expect(mail?.headers.get('content-type')).toContain('multipart/alternative')
    const [row] = await rows()
    // Handlebars escapes `=` too: valid HTML, and no attribute can be broken out of.
    expect(row?.html).toBe('<p>CN&#x3D;&lt;Admins&gt; is yours, Bob Builder.</p>')
  })

  it('tries a server that refuses again with a growing wait, then ends FAILED with its answer', async () => {
    const busy = await startSmtpServer({ refuse: () => ({ code: 451, message: 'Mailbox busy, try later' }) })
    try {
      const ctx = context(
        await workspace({
          smtp: { host: '127.0.0.1', port: busy.port, from: 'provisio@example.com' },
          retryPolicy: { maxAttempts: 3, intervalSeconds: 60 },
        }),
      )
      await queueNotification(ctx, approvalRequested())
      expect(await sendPendingNotifications(ctx)).toEqual({ sent: 0, retrying: 1, failed: 0 })
      let [row] = await rows()
      expect(row).toMatchObject({ state: 'PENDING', attempts: 1, nextAttemptAt: '2026-12-01T09:01:00.000Z' })
      expect(row?.lastError).toContain('451 Mailbox busy, try later')
      expect(row?.lastError).toContain('(attempt 1 of 3)')

      // Not due yet: nothing is tried.
      expect(await sendPendingNotifications(ctx)).toEqual({ sent: 0, retrying: 0, failed: 0 })
      clock = new Date('2026-12-01T09:01:00.000Z')
      expect(await sendPendingNotifications(ctx)).toEqual({ sent: 0, retrying: 1, failed: 0 })
      ;[row] = await rows()
      // Exponential: 60 s, then 120 s.
      expect(row).toMatchObject({ state: 'PENDING', attempts: 2, nextAttemptAt: '2026-12-01T09:03:00.000Z' })
      clock = new Date('2026-12-01T09:03:00.000Z')
      expect(await sendPendingNotifications(ctx)).toEqual({ sent: 0, retrying: 0, failed: 1 })
      ;[row] = await rows()
      expect(row).toMatchObject({ state: 'FAILED', attempts: 3, nextAttemptAt: null })
      expect(row?.lastError).toMatch(/451 Mailbox busy, try later.*\(attempt 3 of 3\)/)
      expect(busy.received).toHaveLength(0)
    } finally {
      await busy.close()
    }
  })

  it('sends the outbox and FAILED messages again once the cause is fixed', async () => {
    const bare = context(await workspace(undefined))
    await queueNotification(bare, { ...approvalRequested(), recipients: [ADA, NOMAIL] })
    await expect(retryNotifications(bare, { outbox: true })).rejects.toThrow(/no SMTP server is configured/)
    const ctx = await withSmtp()
    await expect(retryNotifications(ctx, {})).rejects.toThrow(/name the messages/)
    // The outbox: the message with an address goes; the one without stays, as it would only fail.
    expect((await retryNotifications(ctx, { outbox: true })).requeued).toHaveLength(1)
    expect(await sendPendingNotifications(ctx)).toEqual({ sent: 1, retrying: 0, failed: 0 })
    expect(smtp.received.map((m) => m.envelopeTo)).toEqual([['ada@example.com']])

    // A message that failed for good while the server refused it.
    const busy = await startSmtpServer({ refuse: () => ({ code: 451, message: 'try later' }) })
    try {
      const failing = context(
        await workspace({
          smtp: { host: '127.0.0.1', port: busy.port, from: 'provisio@example.com' },
          retryPolicy: { maxAttempts: 1 },
        }),
      )
      const [queued] = await queueNotification(failing, approvalRequested(2))
      expect(await sendPendingNotifications(failing)).toMatchObject({ failed: 1 })
      const again = await retryNotifications(ctx, { ids: [queued?.id as string, 'no-such-id'] })
      expect(again).toEqual({
        requeued: [queued?.id],
        skipped: [{ id: 'no-such-id', reason: 'no such notification' }],
      })
      expect((await rows()).find((n) => n.id === queued?.id)).toMatchObject({ state: 'PENDING', attempts: 0 })
      expect(await sendPendingNotifications(ctx)).toEqual({ sent: 1, retrying: 0, failed: 0 })
      expect(smtp.received).toHaveLength(2)
    } finally {
      await busy.close()
    }
  })

  it('fails at once a message whose recipient the server refuses for good (5xx)', async () => {
    const strict = await startSmtpServer({
      refuse: (to) => (to === 'ada@example.com' ? { code: 550, message: 'No such user here' } : undefined),
    })
    try {
      const ctx = context(
        await workspace({ smtp: { host: '127.0.0.1', port: strict.port, from: 'provisio@example.com' } }),
      )
      await queueNotification(ctx, { ...approvalRequested(), recipients: [ADA, BOB] })
      expect(await sendPendingNotifications(ctx)).toEqual({ sent: 1, retrying: 0, failed: 1 })
      const byRecipient = new Map((await rows()).map((n) => [n.recipientIdentityId, n]))
      expect(byRecipient.get(ADA)).toMatchObject({ state: 'FAILED', attempts: 1 })
      expect(byRecipient.get(ADA)?.lastError).toContain('550 No such user here')
      expect(strict.received.map((m) => m.envelopeTo)).toEqual([['bob@example.com']])
    } finally {
      await strict.close()
    }
  })

  it('retries when the server is down or refuses the login, and never records the password', async () => {
    const down = await startSmtpServer()
    const downPort = down.port
    await down.close()
    const unreachable = context(
      await workspace({ smtp: { host: '127.0.0.1', port: downPort, from: 'provisio@example.com' } }),
    )
    await queueNotification(unreachable, approvalRequested(1))
    expect(await sendPendingNotifications(unreachable)).toEqual({ sent: 0, retrying: 1, failed: 0 })
    expect((await rows())[0]?.lastError).toContain('ECONNREFUSED')

    await store.db.query('DELETE FROM notifications')
    const wrongLogin = context(await workspace({ smtp: smtpOf(smtp, WRONG_PASSWORD_ENV) }))
    await queueNotification(wrongLogin, approvalRequested(2))
    expect(await sendPendingNotifications(wrongLogin)).toEqual({ sent: 0, retrying: 1, failed: 0 })
    const [row] = await rows()
    expect(row?.lastError).toContain('535')
    expect(JSON.stringify(row)).not.toContain(WRONG_PASSWORD)
    expect(smtp.refusedLogins).toContain('provisio')

    // An unset variable is the settings' problem, shown on the message, and tried again.
    await store.db.query('DELETE FROM notifications')
    const unset = context(await workspace({ smtp: smtpOf(smtp, 'PROVISIO_TEST_UNSET_VARIABLE') }))
    await queueNotification(unset, approvalRequested(3))
    expect(await sendPendingNotifications(unset)).toEqual({ sent: 0, retrying: 1, failed: 0 })
    expect((await rows())[0]?.lastError).toContain(
      'environment variable PROVISIO_TEST_UNSET_VARIABLE is not set',
    )
  })

  it('sends each message once when two senders drain at the same time', async () => {
    const ctx = await withSmtp()
    await queueNotifications(
      ctx,
      Array.from({ length: 30 }, (_, i) => approvalRequested(i)),
    )
    // On a server, the second sender has connections of its own, as another process would.
    const other =
      database.lastUrl !== undefined ? await openStore({ databaseUrl: database.lastUrl }) : undefined
    try {
      const second = context(ctx.config, other?.db ?? store.db)
      const [a, b] = await Promise.all([
        sendPendingNotifications(ctx, undefined, { batchSize: 4 }),
        sendPendingNotifications(second, undefined, { batchSize: 4 }),
      ])
      expect((a?.sent ?? 0) + (b?.sent ?? 0)).toBe(30)
    } finally {
      await other?.close()
    }
    const ids = smtp.received.map((m) => m.headers.get('x-provisio-notification'))
    expect(ids).toHaveLength(30)
    expect(new Set(ids).size).toBe(30)
    expect((await rows()).every((n) => n.state === 'SENT' && n.attempts === 1)).toBe(true)
  })

  it('is written with the change that caused it: a transaction rolled back leaves no message', async () => {
    const ctx = await withSmtp()
    await expect(
      store.db.transaction(async (tx) => {
        await queueNotification(ctx, approvalRequested(), tx)
        throw new Error('the approval failed')
      }),
    ).rejects.toThrow('the approval failed')
    expect(await rows()).toEqual([])
    await store.db.transaction((tx) => queueNotification(ctx, approvalRequested(), tx))
    expect(await rows()).toHaveLength(1)
  })

  it("refuses data that does not fit the kind, naming every wrong field (the caller's bug)", async () => {
    const ctx = await withSmtp()
    await expect(
      queueNotification(ctx, {
        kind: 'REQUEST_FAILED',
        recipients: [ADA],
        data: { item: { type: 'ROLE' }, requestedFor: ADA, requestedBy: 3, eror: 'boom', recipient: ADA },
      }),
    ).rejects.toThrow(
      'notification REQUEST_FAILED: eror is not a field of REQUEST_FAILED; recipient is supplied by Provisio, ' +
        'not by the caller; requestId is required (the access request id); item must be { type, name, id? }; ' +
        'requestedBy must be an identity id or { name, displayName?, email?, id? }',
    )
    expect(await rows()).toEqual([])
  })

  it('records a workspace template that fails on this data as FAILED, saying which file', async () => {
    const config = await workspace(
      { smtp: smtpOf(smtp) },
      { 'REQUEST_APPROVED.yaml': stringify({ subject: 'Approved by {{approver.name}}', body: 'ok' }) },
    )
    const ctx = context(config)
    await queueNotification(ctx, {
      kind: 'REQUEST_APPROVED',
      recipients: [ADA],
      data: { requestId: 'r', item: { type: 'ROLE', name: 'x' }, requestedFor: ADA, requestedBy: ADA },
    })
    const [row] = await rows()
    expect(row?.state).toBe('FAILED')
    expect(row?.lastError).toBe(
      'the template could not be rendered: notification-templates/REQUEST_APPROVED.yaml: "name" not defined in null - 1:14',
    )
  })
})

describe('notification templates in a workspace', () => {
  async function problems(files: Record<string, string>): Promise<string> {
    const error = await workspace(undefined, files).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(ConfigError)
    return (error as ConfigError).message
  }

  it('a misspelt variable is an error naming the file, the part, the line and the nearest field', async () => {
    const message = await problems({
      'APPROVAL_REQUESTED.yaml': stringify({
        subject: 'Approve {{item.name}}',
        body: 'Hello {{recipient.displayName}},\n{{#if comment}}\n{{requestedFor.dispayName}} says {{coment}}\n{{/if}}\n',
      }),
    })
    expect(message).toContain(
      'notification-templates/APPROVAL_REQUESTED.yaml: notification template APPROVAL_REQUESTED: body (line 3): ' +
        '"requestedFor.dispayName": requestedFor has no field "dispayName" (did you mean "displayName"?)',
    )
    expect(message).toContain('body (line 3): unknown variable "coment" (did you mean "comment"?)')
  })

  it('a syntax error, an unknown helper, an unknown kind and a missing body are errors too', async () => {
    const message = await problems({
      'REQUEST_COMPLETED.yaml': stringify({ subject: '{{#if item}}x', body: '{{upper item.name}}' }),
      'REQUEST_COMPLETD.yaml': stringify({ subject: 'x', body: 'y' }),
      'REQUEST_FAILED.yaml': stringify({ subject: 'x', text: 'y' }),
      'REQUEST_CANCELLED.hbs': 'Hello',
    })
    expect(message).toContain(
      'REQUEST_COMPLETED.yaml: notification template REQUEST_COMPLETED: subject (line 1): Parse error',
    )
    expect(message).toContain('body (line 1): unknown helper "upper": the helpers are eq, lookup')
    expect(message).toContain(
      'REQUEST_COMPLETD.yaml: unknown notification kind "REQUEST_COMPLETD" (did you mean "REQUEST_COMPLETED"?)',
    )
    expect(message).toContain(
      'REQUEST_FAILED.yaml: notification template REQUEST_FAILED: text: unknown field',
    )
    expect(message).toContain('REQUEST_FAILED.yaml: notification template REQUEST_FAILED: body: required')
    expect(message).toContain('REQUEST_CANCELLED.hbs: a notification template is a YAML file <KIND>.yaml')
  })

  it('travel with the published configuration, so a worker without the folder renders them too', async () => {
    const template = { subject: 'Done: {{item.name}}', body: 'Yours.' }
    const config = await workspace(undefined, { 'REQUEST_COMPLETED.yaml': stringify(template) })
    const snapshot = configSnapshot(config)
    expect(snapshot.notificationTemplates).toEqual([
      {
        file: 'notification-templates/REQUEST_COMPLETED.yaml',
        value: { kind: 'REQUEST_COMPLETED', ...template },
      },
    ])
    const restored = configFromSnapshot(JSON.parse(JSON.stringify(snapshot)) as typeof snapshot, '/elsewhere')
    expect(restored.notificationTemplates).toEqual(config.notificationTemplates)
    // A workspace without templates keeps the snapshot (and its hash) it had before templates existed.
    expect(Object.keys(configSnapshot(await workspace(undefined)))).toEqual(['settings', 'objects'])
  })

  it('settings: the SMTP password must be a secret reference, and unknown fields are errors', async () => {
    const error = await workspace({
      smtp: { host: 'mail', user: 'provisio', password: 'hunter2', from: 'not an address', hots: 'x' },
      baseURL: 'https://x',
    }).then(
      () => undefined,
      (e: unknown) => e as ConfigError,
    )
    const message = String(error?.message)
    expect(message).toContain('notifications.smtp.password: must be a secret reference')
    expect(message).toContain('notifications.smtp.from: must be an address')
    expect(message).toContain('notifications.smtp.hots: unknown field (did you mean "host"?)')
    expect(message).toContain('notifications.baseURL: unknown field (did you mean "baseUrl"?)')
    expect(message).not.toContain('hunter2')
  })
})
