import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A user of the REST target system: its own attributes, the ids of its groups, and a disabled flag. */
export interface RestUser {
  readonly id: string
  readonly uuid: string
  attributes: Record<string, unknown>
  groups: string[]
  disabled: boolean
}

export interface RestGroup {
  readonly id: string
  readonly name: string
}

/** A running target system: its base URL, its in-memory data, and who called it with which token. */
export interface RestTarget {
  readonly url: string
  readonly users: Map<string, RestUser>
  readonly groups: Map<string, RestGroup>
  /** Every bearer token presented, accepted or not. */
  readonly tokensSeen: Set<string>
  /** Closes the server and its connections: calls made afterwards are refused. */
  readonly stop: () => Promise<void>
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/**
 * A small REST "target system" for the connectors built with `@sailpoint/connector-sdk` in
 * test/fixtures/sdk-connectors: users and groups in memory behind a bearer token, with the answers a
 * real API gives (404 for a missing user, 409 for a duplicate, 400 for an unknown group).
 */
export async function startRestTarget(options: {
  readonly token: string
  readonly groups?: readonly string[]
}): Promise<RestTarget> {
  const users = new Map<string, RestUser>()
  const groups = new Map((options.groups ?? []).map((id) => [id, { id, name: `Group ${id}` }]))
  const tokensSeen = new Set<string>()

  const route = async (req: IncomingMessage): Promise<{ status: number; body?: unknown }> => {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
    if (token !== undefined) tokensSeen.add(token)
    if (token !== options.token) throw new HttpError(401, 'invalid bearer token')
    const url = new URL(req.url ?? '/', 'http://target')
    const [collection, rawId] = url.pathname.split('/').filter((p) => p !== '')
    const id = rawId === undefined ? undefined : decodeURIComponent(rawId)
    if (collection === 'groups' && id === undefined && req.method === 'GET') {
      return { status: 200, body: { items: [...groups.values()] } }
    }
    if (collection !== 'users') throw new HttpError(404, `no route ${url.pathname}`)
    if (id === undefined) {
      if (req.method === 'GET') {
        const offset = Number(url.searchParams.get('offset') ?? 0)
        const limit = Number(url.searchParams.get('limit') ?? 100)
        const all = [...users.values()]
        return { status: 200, body: { items: all.slice(offset, offset + limit), total: all.length } }
      }
      if (req.method === 'POST') {
        const body = (await readJson(req)) as Partial<RestUser>
        if (typeof body.id !== 'string' || body.id === '') throw new HttpError(400, 'id is required')
        if (users.has(body.id)) throw new HttpError(409, `user ${body.id} exists`)
        const user = validUser({ ...body, id: body.id, uuid: randomUUID() }, groups)
        users.set(user.id, user)
        return { status: 201, body: user }
      }
    }
    const current = id === undefined ? undefined : users.get(id)
    if (id === undefined || current === undefined) throw new HttpError(404, `no user ${id}`)
    if (req.method === 'GET') return { status: 200, body: current }
    if (req.method === 'PUT') {
      const user = validUser({ ...(await readJson(req)), id, uuid: current.uuid }, groups)
      users.set(id, user)
      return { status: 200, body: user }
    }
    if (req.method === 'DELETE') {
      users.delete(id)
      return { status: 204 }
    }
    throw new HttpError(405, `${req.method} not allowed`)
  }

  const server = createServer((req, res: ServerResponse) => {
    route(req).then(
      ({ status, body }) => {
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(body === undefined ? undefined : JSON.stringify(body))
      },
      (err: unknown) => {
        const status = err instanceof HttpError ? err.status : 500
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(JSON.stringify({ error: err instanceof Error ? err.message : String(err) }))
      },
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  let stopped: Promise<void> | undefined
  return {
    url: `http://127.0.0.1:${port}`,
    users,
    groups,
    tokensSeen,
    stop: () => {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve())
        // Keep-alive sockets would otherwise hold the server open and serve the next call.
        server.closeAllConnections()
      })
      return stopped
    },
  }
}

function validUser(body: Partial<RestUser> & Pick<RestUser, 'id' | 'uuid'>, groups: Map<string, RestGroup>) {
  const memberOf = body.groups ?? []
  const unknown = memberOf.filter((g) => !groups.has(g))
  if (unknown.length > 0) throw new HttpError(400, `unknown group ${unknown.join(', ')}`)
  return {
    id: body.id,
    uuid: body.uuid,
    attributes: body.attributes ?? {},
    groups: [...new Set(memberOf)],
    disabled: body.disabled ?? false,
  }
}

async function readJson(req: IncomingMessage): Promise<Partial<RestUser>> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  try {
    return text === '' ? {} : (JSON.parse(text) as Partial<RestUser>)
  } catch {
    throw new HttpError(400, 'the body is not JSON')
  }
}
