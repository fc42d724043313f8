import { z } from 'zod'
import { InvalidScopeError } from '../../domain/auth/scopes.js'
import { AuthenticationError, InputError } from '../../domain/errors.js'
import { refreshSessionToken } from '../../engine/auth/session-tokens.js'
import { issueToken } from '../../engine/auth/tokens.js'
import type { ApiContext } from '../api-context.js'
import type { Api } from '../build-api.js'
import { parseRequest } from '../http/request-problems.js'

/** The fields of a grant, from the form body or the query string. */
const grantFields = z.looseObject({
  grant_type: z.string().optional(),
  client_id: z.string().max(256).optional(),
  client_secret: z.string().max(1024).optional(),
  refresh_token: z.string().max(1024).optional(),
  /** OAuth 2.0's space-separated scopes: a token narrower than the credential. */
  scope: z.string().max(4096).optional(),
})

/** The token endpoint's path: its errors carry OAuth's fields too (see `oauthErrorFields`). */
export const TOKEN_PATH = '/oauth/token'

/** RFC 6749 §5.2's error codes, beside the reference's error body, so any OAuth client reads them. */
function oauthError(err: unknown, grantType: unknown): string {
  if (err instanceof InvalidScopeError) return 'invalid_scope'
  if (err instanceof AuthenticationError) {
    return grantType === 'refresh_token' ? 'invalid_grant' : 'invalid_client'
  }
  if (err instanceof InputError && err.message.startsWith('unsupported grant_type')) {
    return 'unsupported_grant_type'
  }
  return 'invalid_request'
}

/**
 * OAuth's `error` and `error_description` for an error of the token endpoint, whichever step refused the
 * request (its own checks, or the API's checks of every request's text), and that it is not to be cached.
 */
export function oauthErrorFields(
  err: unknown,
  request: { body: unknown; query: unknown },
  description: string | undefined,
): { error: string; error_description: string | undefined } {
  const field = (from: unknown): unknown =>
    from !== null && typeof from === 'object' ? (from as Record<string, unknown>)['grant_type'] : undefined
  return {
    error: oauthError(err, field(request.body) ?? field(request.query)),
    error_description: description,
  }
}

/** The grants this endpoint takes. */
const GRANTS = 'client_credentials or refresh_token'

/**
 * `POST /oauth/token`: the client credentials grant, and the refresh token grant of a browser session
 * (its refresh token, handed out at sign-in, is used once and answered with the next). The official client posts `multipart/form-data`;
 * `application/x-www-form-urlencoded`, JSON and query parameters are taken too (the body wins).
 */
export function tokenRoutes(api: Api, ctx: ApiContext): void {
  api.post(TOKEN_PATH, async (request, reply) => {
    const body = request.body !== null && typeof request.body === 'object' ? request.body : {}
    const fields = parseRequest(grantFields, { ...(request.query as object), ...body })
    try {
      if (fields.grant_type === 'refresh_token') {
        if (!fields.refresh_token) throw new InputError('refresh_token is needed')
        const token = await refreshSessionToken(ctx.engine, fields.refresh_token, process.env, fields.scope)
        request.auditDetail = { action: 'TOKEN_REFRESHED', targetType: 'SESSION', targetId: token.client_id }
        void reply.header('cache-control', 'no-store')
        const { client_id: _client, ...answer } = token
        return answer
      }
      if (fields.grant_type !== 'client_credentials') {
        throw new InputError(
          fields.grant_type === undefined
            ? `grant_type is missing: use ${GRANTS}`
            : `unsupported grant_type "${fields.grant_type.slice(0, 64)}": use ${GRANTS}`,
        )
      }
      if (!fields.client_id || !fields.client_secret) {
        throw new InputError('client_id and client_secret are both needed')
      }
      const token = await issueToken(ctx.engine, {
        clientId: fields.client_id,
        clientSecret: fields.client_secret,
        scope: fields.scope,
      })
      request.auditDetail = { action: 'TOKEN_ISSUED', targetType: 'CLIENT', targetId: fields.client_id }
      void reply.header('cache-control', 'no-store')
      return token
    } catch (err) {
      request.auditDetail =
        fields.grant_type === 'refresh_token'
          ? { action: 'TOKEN_REFUSED', targetType: 'SESSION' }
          : {
              action: 'TOKEN_REFUSED',
              targetType: 'CLIENT',
              ...(fields.client_id !== undefined ? { targetId: fields.client_id.slice(0, 64) } : {}),
            }
      // The API's error handler answers it, with OAuth's fields (oauthErrorFields).
      throw err
    }
  })
}
