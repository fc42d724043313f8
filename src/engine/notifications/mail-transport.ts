import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { createTransport } from 'nodemailer'
import type { SmtpSettings } from '../../domain/config/notification-settings-schema.js'
import { resolveSecret } from '../../domain/config/secret-ref.js'

/** One message as it leaves: already rendered, to one address. */
export interface OutgoingMail {
  readonly from: string
  readonly to: string
  readonly subject: string
  readonly text: string
  readonly html?: string
  /** Stays the same when a message is sent again after a crash, so mail systems can see the repeat. */
  readonly messageId: string
  readonly headers: Readonly<Record<string, string>>
}

/** Where messages are handed over: an SMTP server through nodemailer, or a test's own. */
export interface MailTransport {
  /** Resolves when the server accepted the message; rejects with the server's (or the network's) error. */
  send(mail: OutgoingMail): Promise<void>
  close(): void
}

/**
 * The SMTP transport of the settings. The password is read from its secret reference here, when sending
 * starts, and goes only to nodemailer: it is never logged, stored or part of an error Provisio records.
 */
export function smtpTransport(
  smtp: SmtpSettings,
  workspaceDir: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): { readonly transport: MailTransport; readonly secrets: readonly string[] } {
  const password =
    smtp.password === undefined
      ? undefined
      : resolveSecret(smtp.password, env, (p) => readFileSync(resolve(workspaceDir, p), 'utf8'))
  const timeout = smtp.timeoutSeconds * 1000
  const mailer = createTransport({
    pool: true,
    // A drain sends a batch at once; a few connections are plenty and spare the server.
    maxConnections: 3,
    host: smtp.host,
    ...(smtp.port !== undefined ? { port: smtp.port } : {}),
    secure: smtp.secure,
    requireTLS: smtp.requireTls,
    ...(smtp.user !== undefined && password !== undefined
      ? { auth: { user: smtp.user, pass: password } }
      : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    logger: false,
  })
  return {
    transport: {
      send: async (mail) => {
        await mailer.sendMail({
          from: mail.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          ...(mail.html !== undefined ? { html: mail.html } : {}),
          messageId: mail.messageId,
          headers: { ...mail.headers },
        })
      },
      close: () => mailer.close(),
    },
    secrets: password !== undefined && password !== '' ? [password] : [],
  }
}
