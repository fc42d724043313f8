import { expect } from 'vitest'
import type { Api } from '../../src/api/build-api.js'
import type { WorkspaceConfig } from '../../src/domain/config/workspace-config.js'
import type { SignInSettings } from '../../src/domain/config/sign-in-schema.js'

/** A configuration with other sign-in settings and capabilities (the workspace's files are left alone). */
export function withSignIn(
  config: WorkspaceConfig,
  signIn: Partial<SignInSettings>,
  capabilities: Record<string, ('ORG_ADMIN' | 'HELPDESK' | 'SOURCE_ADMIN')[]> = {},
): WorkspaceConfig {
  return {
    ...config,
    settings: {
      ...config.settings,
      signIn: { ...config.settings.signIn, ...signIn },
      capabilities: { ...config.settings.capabilities, ...capabilities },
    },
  }
}

/** What a browser keeps after signing in: the cookie header to send, and the CSRF token. */
export interface BrowserSession {
  readonly cookie: string
  readonly csrfToken: string
  readonly refreshToken: string
  readonly body: Record<string, unknown>
}

export async function signIn(
  api: Api,
  username: string,
  password: string,
  remoteAddress = '127.0.0.1',
): Promise<BrowserSession> {
  const res = await api.inject({
    method: 'POST',
    url: '/provisio/v1/auth/login',
    payload: { username, password },
    remoteAddress,
  })
  expect(res.statusCode, res.body).toBe(200)
  const body = res.json() as { csrfToken: string; refreshToken: string }
  const cookie = res.cookies.map((c) => `${c.name}=${c.value}`).join('; ')
  return { cookie, csrfToken: body.csrfToken, refreshToken: body.refreshToken, body: res.json() }
}
