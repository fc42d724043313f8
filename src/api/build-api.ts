import cookie from '@fastify/cookie'
import formbody from '@fastify/formbody'
import helmet from '@fastify/helmet'
import multipart from '@fastify/multipart'
import rateLimit from '@fastify/rate-limit'
import swagger from '@fastify/swagger'
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
  type RawReplyDefaultExpression,
  type RawRequestDefaultExpression,
  type RawServerDefault,
  type FastifyReply,
} from 'fastify'
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod'
import type { ApiContext } from './api-context.js'
import { recordRequestAudit } from './http/audit-hook.js'
import { authenticate, bearerAuthenticator, type Authenticator, type Principal } from './http/authenticate.js'
import { authorize } from './http/authorize.js'
import { refuseUnstorableInput } from './http/unstorable-input.js'
import {
  errorBody,
  errorResponse,
  newTrackingId,
  RateLimitedError,
  RequestValidationError,
} from './http/error-response.js'
import { requestProblems, type ValidationEntry } from './http/request-problems.js'
import { routeKey, type RouteAccess } from './http/route-access.js'
import { apiRoutes } from './api-routes.js'
import { oauthErrorFields, TOKEN_PATH } from './oauth/token-routes.js'
import { ROUTE_TABLE } from './route-table.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the request speaks for; null on a public route. */
    principal: Principal | null
    /** What the route records in the audit log beyond who, when, what route and status. */
    auditDetail: AuditDetail | null
  }
  interface FastifyContextConfig {
    access?: RouteAccess
  }
}

/** What a route adds to its audit record: the object, its state before and after (never a secret). */
export interface AuditDetail {
  readonly action?: string
  readonly targetType?: string
  readonly targetId?: string
  readonly targetName?: string
  readonly before?: unknown
  readonly after?: unknown
}

export interface ApiOptions {
  /** Requests per client (or address, before sign-in) per window; the reference's 100 per 10 s. */
  readonly rateLimit?: { readonly max: number; readonly windowSeconds: number }
  /** Largest request body, in bytes (1 MiB). */
  readonly bodyLimit?: number
  /** Behind a reverse proxy: trust its X-Forwarded-For for the caller's address. */
  readonly trustProxy?: boolean | string
  /** Where a 5xx's error is written, with its tracking id. */
  readonly log?: (line: string) => void
  /** HTTPS with this certificate and key (PEM); without, plain HTTP. */
  readonly https?: { readonly cert: string | Buffer; readonly key: string | Buffer }
  /** More ways of signing in after the bearer token (browser sessions). */
  readonly authenticators?: readonly Authenticator[]
}

/** The Fastify instance routes are added to, typed by their zod schemas. */
export type Api = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>

/**
 * The HTTP API: Fastify with the plugins every route shares (security headers, form and multipart bodies
 * for the token endpoint, rate limits), authentication and the route table's authorisation on every
 * route, the one error map, the audit log, and the routes. Built without listening: tests `inject`.
 */
export async function buildApi(ctx: ApiContext, options: ApiOptions = {}): Promise<Api> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`))
  const app = Fastify({
    ...(options.https ? { https: { cert: options.https.cert, key: options.https.key } } : {}),
    logger: false,
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
    genReqId: () => newTrackingId(),
    // Unknown query parameters are refused by each route's strict schema; keep Fastify from coercing.
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 256 },
    // What the router itself refuses (a parameter too long, a broken %-escape) gets the one error map too,
    // not Fastify's own body.
    frameworkErrors: (err, request, reply) => {
      const mapped = errorResponse(err, request.id)
      void (reply as FastifyReply).status(mapped.status).send(mapped.body)
    },
  }).withTypeProvider<ZodTypeProvider>()
  app.setValidatorCompiler(validatorCompiler)
  app.setSerializerCompiler(serializerCompiler)
  // The reference's PATCH routes take JSON Patch documents (RFC 6902) under their own media type.
  app.addContentTypeParser(
    'application/json-patch+json',
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  )
  app.decorateRequest('principal', null)
  app.decorateRequest('auditDetail', null)

  // Every route must be in the table: a route without an entry would be unauthorised by accident.
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    for (const method of methods) {
      const key = routeKey(method === 'HEAD' ? 'GET' : method, route.url)
      const access = ROUTE_TABLE[key]
      if (access === undefined) {
        if (route.url.startsWith('/documentation') || method === 'OPTIONS') continue
        throw new Error(`route ${key} is not in the route table (src/api/route-table.ts)`)
      }
      route.config = { ...(route.config ?? {}), access }
    }
  })

  await app.register(helmet, {
    // The API answers JSON only; the web UI, when it is served, sets its own policy.
    contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } },
    hsts: false,
  })
  await app.register(cookie)
  await app.register(formbody, { bodyLimit: 16 * 1024 })
  // Only the token endpoint reads multipart bodies (the official client posts its form that way): fields
  // only, small, no files.
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fields: 20, fieldSize: 4096, files: 0, fileSize: 0, parts: 20 },
  })
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Provisio API',
        version: '1.0.0',
        description: 'The v3-compatible API of Provisio (docs/api.md).',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  })

  const authenticators = [bearerAuthenticator(() => ctx.engine), ...(options.authenticators ?? [])]
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access
    if (access === undefined || access.kind === 'public') return
    request.principal = await authenticate(request, authenticators)
  })

  const limit = options.rateLimit ?? { max: 100, windowSeconds: 10 }
  await app.register(rateLimit, {
    max: limit.max,
    timeWindow: limit.windowSeconds * 1000,
    // After authentication: a client is counted by its client id, wherever it calls from. Before
    // validation, so that malformed requests count too.
    hook: 'preValidation',
    keyGenerator: (request: FastifyRequest) => request.principal?.clientId ?? `address ${request.ip}`,
    errorResponseBuilder: (_request, context) =>
      new RateLimitedError(
        `rate limit exceeded: at most ${context.max} requests in ${limit.windowSeconds} s; retry in ${Math.ceil(context.ttl / 1000)} s`,
        Math.ceil(context.ttl / 1000),
      ),
  })

  // Before the body and parameters are validated: a caller who may not call a route learns nothing of
  // what it takes.
  app.addHook('preValidation', async (request) => {
    const access = request.routeOptions.config.access
    if (access === undefined) return
    // Text the store cannot hold is refused for every route: path parameters first, as authorising may
    // look one up (a person's own identity); the query and the body once the caller may call the route.
    refuseUnstorableInput({ params: request.params })
    await authorize(
      ctx.engine,
      request.principal,
      access,
      request.params as Record<string, string>,
      routeKey(request.method === 'HEAD' ? 'GET' : request.method, request.routeOptions.url ?? ''),
    )
    refuseUnstorableInput({ querystring: request.query, body: request.body })
  })

  app.addHook('onResponse', async (request, reply) => {
    await recordRequestAudit(ctx, request, reply.statusCode).catch((err: unknown) => {
      log(`audit: could not record ${request.method} ${request.url}: ${(err as Error).message}`)
    })
  })

  app.setErrorHandler(async (err, request, reply) => {
    const mapped = errorResponse(
      hasZodFastifySchemaValidationErrors(err) ? validationProblems(err) : err,
      request.id,
    )
    if (mapped.internal) log(`error ${request.id} ${request.method} ${request.url}: ${(err as Error).stack}`)
    for (const [k, v] of Object.entries(mapped.headers ?? {})) void reply.header(k, v)
    if (request.routeOptions.url === TOKEN_PATH && !mapped.internal) {
      void reply.header('cache-control', 'no-store')
      const oauth = oauthErrorFields(err, request, mapped.body.messages[0]?.text)
      return reply.status(mapped.status).send({ ...oauth, ...mapped.body })
    }
    return reply.status(mapped.status).send(mapped.body)
  })
  app.setNotFoundHandler(async (request, reply) =>
    reply
      .status(404)
      .send(errorBody(404, `no route ${request.method} ${request.url.split('?')[0]}`, request.id)),
  )

  await app.register(async (scope) => apiRoutes(scope.withTypeProvider<ZodTypeProvider>(), ctx))
  return app
}

/** Zod's problems as the 400's field list: `body.owner.id`, `querystring.limit`, `body.enabeld` (unknown). */
function validationProblems(err: {
  validation: readonly ValidationEntry[]
  validationContext?: string | undefined
}): RequestValidationError {
  return new RequestValidationError(requestProblems(err.validationContext ?? 'body', err.validation))
}
