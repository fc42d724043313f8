import { z } from 'zod'
import type { RetryPolicy } from '../execution/retry-policy.js'
import { retryPolicyOverrideSchema } from './retry-policy-schema.js'
import { nonEmpty } from './schema-primitives.js'
import { isSecretRef } from './secret-ref.js'

/** An address as a mail header takes it: `provisio@example.com` or `Provisio <provisio@example.com>`. */
const MAILBOX = /^(?:[^<>\r\n]*<[^<>@\s]+@[^<>@\s]+>|[^<>@\s]+@[^<>@\s]+)$/

/** The SMTP server messages are sent through (nodemailer's settings, by their own names where they match). */
export const smtpSettingsSchema = z
  .strictObject({
    host: nonEmpty,
    /** Absent: 465 with `secure`, else 587. */
    port: z.number().int('must be a whole number').min(1).max(65535).optional(),
    /** TLS from the first byte (port 465); false: plain, upgraded with STARTTLS when the server offers it. */
    secure: z.boolean().default(false),
    /** Refuse to send unless the connection is encrypted (STARTTLS required when `secure` is false). */
    requireTls: z.boolean().default(false),
    /** The login, when the server wants one; `password` comes with it. */
    user: nonEmpty.optional(),
    /** A secret reference (`${env:NAME}` or `${file:PATH}`), never the password itself. */
    password: z
      .string()
      .refine(isSecretRef, {
        error: 'must be a secret reference such as ${env:SMTP_PASSWORD} or ${file:secrets/smtp}',
      })
      .optional(),
    /** The sender: `provisio@example.com` or `Provisio <provisio@example.com>`. */
    from: z.string().regex(MAILBOX, 'must be an address: name@example.com or Name <name@example.com>'),
    /** How long to wait for the server (connecting, greeting, each command). */
    timeoutSeconds: z.number().int('must be a whole number').min(1).max(600).default(30),
  })
  .superRefine((smtp, ctx) => {
    if ((smtp.user === undefined) !== (smtp.password === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [smtp.user === undefined ? 'user' : 'password'],
        message: 'user and password come together: give both, or neither for a server without login',
      })
    }
  })

/**
 * Email notifications (docs/notifications.md): without `smtp`, messages stay in the outbox (state OUTBOX),
 * readable through `GET /provisio/v1/notifications` and `provisio notifications`.
 */
export const notificationSettingsSchema = z.strictObject({
  /** Where people reach Provisio: links in messages (`/…`) are made absolute against it. */
  baseUrl: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  smtp: smtpSettingsSchema.optional(),
  /** How a message that could not be sent is tried again; absent fields keep NOTIFICATION_RETRY_POLICY's. */
  retryPolicy: retryPolicyOverrideSchema.optional(),
  /** How often `serve` and `worker` look for messages to send. */
  pollSeconds: z.number().int('must be a whole number').min(1).max(3600).default(10),
})

/**
 * The default delivery policy: five attempts, waiting 1, 2, 4 and 8 minutes between them, so a mail
 * server restarting or briefly overloaded loses nothing, and a wrong password shows FAILED within minutes.
 */
export const NOTIFICATION_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  intervalSeconds: 60,
  backoff: 'exponential',
  maxIntervalSeconds: 3600,
}

export type NotificationSettings = z.infer<typeof notificationSettingsSchema>
export type SmtpSettings = z.infer<typeof smtpSettingsSchema>
