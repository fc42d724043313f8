import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import Provider from 'oidc-provider'

/**
 * A real OpenID Connect provider (oidc-provider) on a free port of this machine, with one confidential
 * client and accounts whose `email` claim the test chooses. Its development interactions sign in any
 * account id that is typed, with any password.
 */
export async function startOidcProvider(options: {
  clientId: string
  clientSecret: string
  redirectUri: string
  emails: Readonly<Record<string, string>>
}): Promise<{ issuer: string; close: () => Promise<void> }> {
  const server: Server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: options.clientId,
        client_secret: options.clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_post',
      },
    ],
    claims: { openid: ['sub'], email: ['email', 'email_verified'] },
    findAccount: (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: () => ({ sub, email: options.emails[sub], email_verified: true }),
    }),
    features: { devInteractions: { enabled: true } },
    pkce: { required: () => true },
    cookies: { keys: ['provisio-test-cookie-key'] },
    ttl: { Interaction: 600, Session: 3600, Grant: 3600, AccessToken: 600, IdToken: 600 },
  })
  server.on('request', provider.callback())
  return {
    issuer,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** A browser's cookies for the provider: enough of a cookie jar for its interaction. */
class CookieJar {
  readonly #cookies = new Map<string, string>()
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const eq = (pair ?? '').indexOf('=')
      if (eq > 0) this.#cookies.set((pair as string).slice(0, eq).trim(), (pair as string).slice(eq + 1))
    }
  }
  header(): string {
    return [...this.#cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }
}

/**
 * Drives the provider as a person's browser would: from the authorization URL through its login form
 * (as `account`) and its consent form, to the redirect back to the client; returns that redirect's URL.
 */
export async function signInAtProvider(authorizationUrl: string, account: string): Promise<URL> {
  const jar = new CookieJar()
  let url = new URL(authorizationUrl)
  const origin = url.origin
  for (let step = 0; step < 20; step++) {
    if (url.origin !== origin) return url
    let res = await fetch(url, { redirect: 'manual', headers: { cookie: jar.header() } })
    jar.take(res)
    if (res.status === 200 && url.pathname.startsWith('/interaction/')) {
      const page = await res.text()
      const form = /name="prompt" value="(login|consent)"/.exec(page)?.[1]
      if (form === undefined) throw new Error(`unexpected interaction page:\n${page}`)
      const fields: Record<string, string> =
        form === 'login' ? { prompt: 'login', login: account, password: 'anything' } : { prompt: 'consent' }
      res = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(fields).toString(),
      })
      jar.take(res)
    }
    const location = res.headers.get('location')
    if (location === null) {
      throw new Error(`the provider stopped at ${url.href} with ${res.status}: ${await res.text()}`)
    }
    url = new URL(location, url)
  }
  throw new Error('the provider redirected too often')
}
