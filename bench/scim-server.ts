import { randomUUID } from 'node:crypto'
import type { AddressInfo, Socket } from 'node:net'
import express, { type NextFunction, type Request, type Response } from 'express'
import SCIMMY from 'scimmy'
import SCIMMYRouters from 'scimmy-routers'

export const SCIM_TOKEN = 'scim-test-token'

type Json = Record<string, unknown>

/** One server's data. SCIMMY's handlers are process-global, so each request carries its server's store. */
interface ScimStore {
  readonly users: Map<string, Json>
  /** Lower-cased userName → the user's id: uniqueness is checked without a pass over every user. */
  readonly userNames: Map<string, string>
  readonly groups: Map<string, Json>
  readonly userGroups: boolean
}

/** A filter the server decoded itself (see decodeSimpleFilter), in the form SCIMMY's Filter accepts. */
interface RequestContext {
  readonly store: ScimStore
  readonly filter?: SCIMMY.Types.Filter
}

export interface ScimServerOptions {
  /** The bearer token the server accepts (default SCIM_TOKEN). */
  readonly token?: string
  /** HTTP basic credentials the server accepts besides the token. */
  readonly basic?: { readonly username: string; readonly password: string }
  /**
   * Whether a User carries its `groups` (default true, as most servers do); without them a client has to
   * find a user's groups through the Groups.
   */
  readonly userGroups?: boolean
  /**
   * Membership PATCHes (`add members`, `remove members[value eq "…"]`, the forms RFC 7644 §3.5.2 gives)
   * applied to the group directly and answered 204 No Content, as large service providers do, instead of
   * through SCIMMY, whose PATCH reads, validates and writes back every member of the group: with it,
   * 10,000 users joining one group cost hours (default false; the benchmarks set it). Any other PATCH
   * still goes through SCIMMY.
   */
  readonly directMemberPatches?: boolean
}

export interface ScimServer {
  /** The SCIM base URL, e.g. `http://127.0.0.1:PORT/scim/v2`. */
  readonly url: string
  /** Closes the server and the connections clients keep open: the next request is refused. */
  readonly stop: () => Promise<void>
  /** The next `count` requests are answered with `status` (and `Retry-After` when given), nothing else. */
  readonly failNext: (count: number, status: number, retryAfter?: string) => void
  /** The next `count` requests are never answered (until the server stops). */
  readonly stallNext: (count: number) => void
  /** Every request received, as `METHOD /path?query` relative to the base URL (no headers: no secrets). */
  readonly requests: readonly string[]
  readonly users: () => Json[]
  readonly groups: () => Json[]
  /** Adds a group; returns its id. */
  readonly addGroup: (displayName: string) => string
}

let declared = false

/** Declares the User (with the enterprise extension) and Group resources once per process. */
function declareResources(): void {
  if (declared) return
  declared = true
  SCIMMY.Resources.declare(SCIMMY.Resources.User, {
    extensions: [{ schema: SCIMMY.Schemas.EnterpriseUser, required: false }],
    ingress: (resource: SCIMMY.Types.Resource, instance: Json, ctx: RequestContext) => {
      const { users } = ctx.store
      const id = resource.id ?? randomUUID()
      if (resource.id !== undefined && !users.has(id)) {
        throw new SCIMMY.Types.Error(404, '', `Resource ${id} not found`)
      }
      const userName = String(instance['userName'] ?? '')
      // userName is caseExact false (RFC 7643 §4.1.1): JDoe and jdoe are the same name.
      const holder = ctx.store.userNames.get(userName.toLowerCase())
      if (holder !== undefined && holder !== id) {
        throw new SCIMMY.Types.Error(409, 'uniqueness', `userName ${userName} is already taken`)
      }
      const previous = users.get(id)
      if (previous !== undefined) ctx.store.userNames.delete(String(previous['userName']).toLowerCase())
      ctx.store.userNames.set(userName.toLowerCase(), id)
      const record: Json = { ...plain(instance), id }
      // The password is write-only: SCIMMY leaves it out of the instance's JSON, and a PATCH (which
      // SCIMMY applies to the user as read, without it) keeps the one the user has.
      const password = (instance as { password?: unknown }).password ?? users.get(id)?.['password']
      if (password !== undefined) record['password'] = password
      users.set(id, record)
      return withGroups(ctx.store, record)
    },
    egress: (resource: SCIMMY.Types.Resource, ctx: RequestContext) => {
      const all = [...ctx.store.users.values()].map((u) => withGroups(ctx.store, u))
      return select(resource, ctx, all)
    },
    degress: (resource: SCIMMY.Types.Resource, ctx: RequestContext) => {
      const id = resource.id as string
      const user = ctx.store.users.get(id)
      if (!user) throw new SCIMMY.Types.Error(404, '', `Resource ${id} not found`)
      ctx.store.users.delete(id)
      ctx.store.userNames.delete(String(user['userName']).toLowerCase())
      for (const group of ctx.store.groups.values()) {
        group['members'] = members(group).filter((m) => m['value'] !== id)
      }
    },
  })
  SCIMMY.Resources.declare(SCIMMY.Resources.Group, {
    ingress: (resource: SCIMMY.Types.Resource, instance: Json, ctx: RequestContext) => {
      const { groups, users } = ctx.store
      const id = resource.id ?? randomUUID()
      if (resource.id !== undefined && !groups.has(id)) {
        throw new SCIMMY.Types.Error(404, '', `Resource ${id} not found`)
      }
      const displayName = String(instance['displayName'] ?? '')
      for (const other of groups.values()) {
        if (other['id'] !== id && String(other['displayName']).toLowerCase() === displayName.toLowerCase()) {
          throw new SCIMMY.Types.Error(409, 'uniqueness', `group ${displayName} already exists`)
        }
      }
      const record: Json = { ...plain(instance), id }
      // A member is a user of this server, listed once.
      const seen = new Set<string>()
      const kept: Json[] = []
      for (const m of members(record)) {
        const value = String(m['value'])
        if (!users.has(value)) throw new SCIMMY.Types.Error(400, 'invalidValue', `no user ${value}`)
        if (!seen.has(value)) kept.push({ value, display: users.get(value)?.['displayName'] })
        seen.add(value)
      }
      record['members'] = kept
      groups.set(id, record)
      return record
    },
    egress: (resource: SCIMMY.Types.Resource, ctx: RequestContext) =>
      select(resource, ctx, [...ctx.store.groups.values()]),
    degress: (resource: SCIMMY.Types.Resource, ctx: RequestContext) => {
      const id = resource.id as string
      if (!ctx.store.groups.delete(id)) throw new SCIMMY.Types.Error(404, '', `Resource ${id} not found`)
    },
  })
}

/** One resource by id (404 when absent) or the resources the filter matches. */
function select(resource: SCIMMY.Types.Resource, ctx: RequestContext, all: Json[]): Json | Json[] {
  if (resource.id !== undefined) {
    const found = all.find((r) => r['id'] === resource.id)
    if (!found) throw new SCIMMY.Types.Error(404, '', `Resource ${resource.id} not found`)
    return found
  }
  const filter = ctx.filter ?? resource.filter
  return filter ? (filter.match(all) as Json[]) : all
}

function withGroups(store: ScimStore, user: Json): Json {
  if (!store.userGroups) return user
  const id = String(user['id'])
  const groups = [...store.groups.values()]
    .filter((g) => memberIdsOf(g).has(id))
    .map((g) => ({ value: g['id'], display: g['displayName'], type: 'direct' }))
  return { ...user, groups }
}

/** The ids of a group's members, by its list of members (a list put in its place is indexed anew). */
const memberIds = new WeakMap<Json[], Set<string>>()

function memberIdsOf(group: Json): Set<string> {
  const list = members(group)
  let ids = memberIds.get(list)
  if (ids === undefined) {
    ids = new Set(list.map((m) => String(m['value'])))
    memberIds.set(list, ids)
  }
  return ids
}

function members(group: Json): Json[] {
  const list = group['members']
  return Array.isArray(list) ? (list as Json[]) : []
}

/** SCIMMY's schema instances as plain data (they carry getters and a `meta` the server sets). */
function plain(instance: Json): Json {
  const data = JSON.parse(JSON.stringify(instance)) as Json
  delete data['meta']
  return data
}

// `attr eq "literal"` with a JSON string literal: SCIMMY 1.3.5's tokenizer neither ends a literal at an
// escaped quote nor unescapes it (`userName eq "a\"b"` is a 400), so the server decodes such filters.
const SIMPLE_FILTER = /^\s*([A-Za-z][\w.:$-]*)\s+eq\s+("(?:[^"\\]|\\.)*")\s*$/

function decodeSimpleFilter(filter: string): SCIMMY.Types.Filter | undefined {
  const m = SIMPLE_FILTER.exec(filter)
  if (!m) return undefined
  let value: string
  try {
    value = JSON.parse(m[2] as string) as string
  } catch {
    return undefined // not JSON (e.g. `\q`): SCIMMY's answer to it stands
  }
  return new SCIMMY.Types.Filter([{ [m[1] as string]: ['eq', value] }])
}

const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error'
const MEMBER_FILTER = /^\s*members\s*\[\s*value\s+eq\s+("(?:[^"\\]|\\.)*")\s*\]\s*$/i

/**
 * The operations of a PatchOp that only adds members (`add`, path `members`, values `{value}`) or
 * removes one (`remove`, path `members[value eq "…"]`); undefined for any other PATCH.
 */
function memberOperations(body: unknown): { op: 'add' | 'remove'; values: string[] }[] | undefined {
  const message = body as { schemas?: unknown; Operations?: unknown } | undefined
  if (
    !Array.isArray(message?.schemas) ||
    !message.schemas.includes('urn:ietf:params:scim:api:messages:2.0:PatchOp')
  ) {
    return undefined
  }
  if (!Array.isArray(message.Operations) || message.Operations.length === 0) return undefined
  const out: { op: 'add' | 'remove'; values: string[] }[] = []
  for (const operation of message.Operations as { op?: unknown; path?: unknown; value?: unknown }[]) {
    const op = typeof operation.op === 'string' ? operation.op.toLowerCase() : ''
    const path = typeof operation.path === 'string' ? operation.path : ''
    if (op === 'add' && path.toLowerCase() === 'members' && Array.isArray(operation.value)) {
      const values: string[] = []
      for (const m of operation.value as unknown[]) {
        const value = (m as { value?: unknown } | null)?.value
        if (typeof value !== 'string') return undefined
        values.push(value)
      }
      out.push({ op, values })
      continue
    }
    const m = op === 'remove' ? MEMBER_FILTER.exec(path) : null
    if (!m) return undefined
    try {
      out.push({ op: 'remove', values: [JSON.parse(m[1] as string) as string] })
    } catch {
      return undefined
    }
  }
  return out
}

function sendError(res: Response, status: number, scimType: string | undefined, detail: string): void {
  res
    .status(status)
    .type('application/scim+json')
    .send({ schemas: [ERROR_SCHEMA], status: String(status), ...(scimType ? { scimType } : {}), detail })
}

/**
 * A SCIM 2.0 service provider for tests on 127.0.0.1 (port 0): SCIMMY + scimmy-routers with in-memory
 * Users and Groups, bearer (and basic) authentication, unique userName and group displayName (409), and
 * the query shims SCIMMY needs behind Express 5.
 */
export async function startScimServer(options: ScimServerOptions = {}): Promise<ScimServer> {
  declareResources()
  const token = options.token ?? SCIM_TOKEN
  const store: ScimStore = {
    users: new Map(),
    userNames: new Map(),
    groups: new Map(),
    userGroups: options.userGroups ?? true,
  }
  const requests: string[] = []
  const failures: ({ status: number; retryAfter: string | undefined } | 'stall')[] = []
  const filters = new WeakMap<Request, SCIMMY.Types.Filter>()
  const basic =
    options.basic && Buffer.from(`${options.basic.username}:${options.basic.password}`).toString('base64')
  const authorized = (auth: string | undefined): boolean =>
    auth === `Bearer ${token}` || (basic !== undefined && auth === `Basic ${basic}`)

  const app = express()
  app.use('/scim/v2', (req: Request, res: Response, next: NextFunction) => {
    requests.push(`${req.method} ${req.url}`)
    const failure = failures.shift()
    if (failure === 'stall') return
    if (failure) {
      if (failure.retryAfter !== undefined) res.setHeader('Retry-After', failure.retryAfter)
      res
        .status(failure.status)
        .type('application/scim+json')
        .send({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(failure.status) })
      return
    }
    // Express 5 parses the query anew on each read of `req.query`, so SCIMMY's own conversion of
    // startIndex/count to numbers is lost and every list starts at 1 with 20 items: the parsed query is
    // fixed on the request, with the numbers converted.
    const query: Record<string, unknown> = { ...(req.query as Record<string, unknown>) }
    for (const name of ['startIndex', 'count']) {
      const value = query[name]
      if (typeof value === 'string' && /^\d+$/.test(value)) query[name] = Number(value)
    }
    const filter = typeof query['filter'] === 'string' ? decodeSimpleFilter(query['filter']) : undefined
    if (filter) {
      delete query['filter']
      filters.set(req, filter)
    }
    Object.defineProperty(req, 'query', {
      value: query,
      writable: true,
      configurable: true,
      enumerable: true,
    })
    next()
  })
  if (options.directMemberPatches) {
    app.patch(
      '/scim/v2/Groups/:id',
      express.json({ type: ['application/scim+json', 'application/json'] }),
      (req: Request, res: Response, next: NextFunction) => {
        // Unauthenticated requests and PATCHes of other kinds are SCIMMY's to answer.
        if (!authorized(req.header('authorization'))) return next()
        const operations = memberOperations(req.body)
        if (operations === undefined) return next()
        const id = String(req.params['id'])
        const group = store.groups.get(id)
        if (!group) return sendError(res, 404, undefined, `Resource ${id} not found`)
        // Validated first: a member is a user of this server (as the group's ingress has it), and a
        // PATCH that names another changes nothing.
        for (const op of operations) {
          const unknown = op.op === 'add' ? op.values.find((v) => !store.users.has(v)) : undefined
          if (unknown !== undefined) return sendError(res, 400, 'invalidValue', `no user ${unknown}`)
        }
        if (!Array.isArray(group['members'])) group['members'] = []
        const ids = memberIdsOf(group)
        for (const op of operations) {
          for (const value of op.values) {
            if (op.op === 'add' && !ids.has(value)) {
              members(group).push({ value, display: store.users.get(value)?.['displayName'] })
              ids.add(value)
            } else if (op.op === 'remove' && ids.has(value)) {
              const list = members(group).filter((m) => m['value'] !== value)
              ids.delete(value)
              memberIds.set(list, ids)
              group['members'] = list
            }
          }
        }
        res.status(204).end()
      },
    )
  }
  app.use(
    '/scim/v2',
    new SCIMMYRouters({
      type: options.basic ? 'basic' : 'bearer',
      handler: (req) => {
        if (authorized(req.header('authorization'))) return 'admin'
        throw new Error('invalid credentials')
      },
      context: (req): RequestContext => {
        const filter = filters.get(req)
        return filter ? { store, filter } : { store }
      },
    }),
  )

  const server = app.listen(0, '127.0.0.1')
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve)
    server.once('error', reject)
  })
  const sockets = new Set<Socket>()
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  const { port } = server.address() as AddressInfo
  let stopped: Promise<void> | undefined

  return {
    url: `http://127.0.0.1:${port}/scim/v2`,
    requests,
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const socket of sockets) socket.destroy()
      })
      return stopped
    },
    failNext(count, status, retryAfter) {
      for (let i = 0; i < count; i++) failures.push({ status, retryAfter })
    },
    stallNext(count) {
      for (let i = 0; i < count; i++) failures.push('stall')
    },
    users: () => [...store.users.values()].map((u) => withGroups(store, u)),
    groups: () => [...store.groups.values()],
    addGroup(displayName) {
      const id = randomUUID()
      store.groups.set(id, { id, displayName, members: [] })
      return id
    },
  }
}
