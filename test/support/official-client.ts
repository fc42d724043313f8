import { Configuration } from 'sailpoint-api-client'
import type { Api } from '../../src/api/build-api.js'

/** The API listening on a free port of 127.0.0.1, for a client that speaks real HTTP. */
export async function listening(api: Api): Promise<string> {
  await api.listen({ port: 0, host: '127.0.0.1' })
  const address = api.server.address()
  if (typeof address !== 'object' || address === null) throw new Error('the API is not listening')
  return `http://127.0.0.1:${address.port}`
}

/**
 * The official client's configuration for a client id and secret, as its users write it: the API root
 * without a version, and the token URL beside it (the client posts the grant as multipart/form-data).
 */
export function clientConfiguration(
  base: string,
  client: { clientId: string; clientSecret: string },
): Configuration {
  const cfg = new Configuration({
    baseurl: base,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    tokenUrl: `${base}/oauth/token`,
  })
  cfg.experimental = true
  return cfg
}

/** Runs `fn` with the client's page-by-page log ("Paginating call…") kept off the test output. */
export async function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const log = console.log
  console.log = () => undefined
  try {
    return await fn()
  } finally {
    console.log = log
  }
}

/** An access token for the configuration's client, for Provisio's own routes (called with fetch). */
export async function tokenOf(base: string, cfg: Configuration): Promise<string> {
  const r = await fetch(`${base}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: cfg.clientId ?? '',
      client_secret: cfg.clientSecret ?? '',
    }).toString(),
  })
  return ((await r.json()) as { access_token: string }).access_token
}

/** The reference's error body, as the client's rejection carries it. */
interface Refused {
  response: { status: number; data: { messages: { text: string }[] } }
}

/** A call the API refuses: its status and its messages' text (an error when it was not refused). */
export async function refusal(call: Promise<unknown>): Promise<{ status: number; text: string }> {
  const err = (await call.then(
    () => {
      throw new Error('the call was not refused')
    },
    (e: unknown) => e,
  )) as Refused
  return { status: err.response.status, text: err.response.data.messages.map((m) => m.text).join(' ') }
}
