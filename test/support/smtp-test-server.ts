import type { AddressInfo } from 'node:net'
import { SMTPServer } from 'smtp-server'

/** A message as the test SMTP server received it. */
export interface ReceivedMail {
  readonly envelopeFrom: string
  readonly envelopeTo: readonly string[]
  /** The login the client used, when it logged in. */
  readonly user: string | undefined
  readonly headers: ReadonlyMap<string, string>
  readonly subject: string
  /** The text/plain body, decoded. */
  readonly text: string
  readonly raw: string
}

export interface SmtpTestServer {
  readonly port: number
  readonly received: ReceivedMail[]
  /** Logins refused (wrong user or password). */
  readonly refusedLogins: string[]
  close(): Promise<void>
}

/**
 * A real SMTP server (nodemailer's smtp-server) on 127.0.0.1 and a free port. With `login`, it takes only
 * that user and password (AUTH PLAIN/LOGIN, over plain text: it is this machine). `refuse` answers a
 * recipient with an SMTP error, e.g. `{ code: 451, message: 'try later' }`.
 */
export async function startSmtpServer(
  options: {
    login?: { user: string; password: string }
    refuse?: (recipient: string) => { code: number; message: string } | undefined
  } = {},
): Promise<SmtpTestServer> {
  const received: ReceivedMail[] = []
  const refusedLogins: string[] = []
  const server = new SMTPServer({
    logger: false,
    // No TLS: the client would have to trust the server's test certificate.
    disabledCommands: options.login ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    allowInsecureAuth: true,
    authOptional: options.login === undefined,
    onAuth(auth, _session, callback) {
      if (auth.username === options.login?.user && auth.password === options.login?.password) {
        callback(null, { user: auth.username })
      } else {
        refusedLogins.push(auth.username ?? '')
        callback(new Error('Invalid username or password'))
      }
    },
    onRcptTo(address, _session, callback) {
      const refusal = options.refuse?.(address.address)
      if (refusal === undefined) return callback()
      return callback(Object.assign(new Error(refusal.message), { responseCode: refusal.code }))
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        received.push({
          envelopeFrom: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          user: typeof session.user === 'string' ? session.user : undefined,
          ...parseMessage(raw),
          raw,
        })
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.server.address() as AddressInfo).port
  return {
    port,
    received,
    refusedLogins,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** Headers, subject and text body of a message nodemailer wrote (plain text, or multipart/alternative). */
function parseMessage(raw: string): { headers: Map<string, string>; subject: string; text: string } {
  const { headers, body } = splitPart(raw)
  const type = headers.get('content-type') ?? 'text/plain'
  let text = ''
  if (type.startsWith('multipart/')) {
    const boundary = /boundary="?([^";]+)"?/.exec(type)?.[1] ?? ''
    for (const part of body.split(`--${boundary}`)) {
      const p = splitPart(part.replace(/^\r\n/, ''))
      // The line break before a boundary belongs to the boundary (RFC 2046).
      const body = p.body.replace(/\r\n$/, '')
      if ((p.headers.get('content-type') ?? '').startsWith('text/plain')) text = decode(p.headers, body)
    }
  } else {
    text = decode(headers, body)
  }
  return { headers, subject: headers.get('subject') ?? '', text }
}

function splitPart(raw: string): { headers: Map<string, string>; body: string } {
  const at = raw.indexOf('\r\n\r\n')
  const head = at < 0 ? raw : raw.slice(0, at)
  const headers = new Map<string, string>()
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':')
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim())
  }
  return { headers, body: at < 0 ? '' : raw.slice(at + 4) }
}

function decode(headers: ReadonlyMap<string, string>, body: string): string {
  const encoding = headers.get('content-transfer-encoding') ?? '7bit'
  const text =
    encoding === 'quoted-printable'
      ? Buffer.from(
          body
            .replace(/=\r\n/g, '')
            .replace(/=([0-9A-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))),
          'latin1',
        ).toString('utf8')
      : encoding === 'base64'
        ? Buffer.from(body, 'base64').toString('utf8')
        : body
  return text.replace(/\r\n/g, '\n')
}
