import { appendFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadWorkspace } from '../src/engine/workspace/load-workspace.js'
import { problemsOf } from './support/config-problems.js'
import { demoWorkspace } from './support/temp-workspace.js'

describe('signIn in provisio.yaml', () => {
  it('has defaults, and takes an OpenID Connect provider whose secret is a reference', async () => {
    const ws = await demoWorkspace()
    expect(ws.config.settings.signIn).toEqual({
      passwordMinLength: 12,
      invitationHours: 72,
      session: { idleMinutes: 30, absoluteHours: 12 },
      lockout: { maxFailuresPerAccount: 5, maxFailuresPerAddress: 20, windowMinutes: 15 },
    })
    appendFileSync(
      join(ws.dir, 'provisio.yaml'),
      [
        'signIn:',
        '  publicUrl: https://provisio.example.org',
        '  oidc:',
        '    issuer: https://login.example.org',
        '    clientId: provisio',
        '    clientSecret: ${env:OIDC_CLIENT_SECRET}',
        '    redirectUri: https://provisio.example.org/provisio/v1/auth/oidc/callback',
        '',
      ].join('\n'),
    )
    const config = await loadWorkspace(ws.dir)
    expect(config.settings.signIn.oidc).toEqual({
      issuer: 'https://login.example.org',
      clientId: 'provisio',
      clientSecret: '${env:OIDC_CLIENT_SECRET}',
      redirectUri: 'https://provisio.example.org/provisio/v1/auth/oidc/callback',
      claim: 'email',
      identityAttribute: 'email',
      scopes: ['openid', 'email'],
    })
  })

  it('names each bad field: a plain secret, plain http to another host, a short minimum, an unknown field', async () => {
    const ws = await demoWorkspace()
    appendFileSync(
      join(ws.dir, 'provisio.yaml'),
      [
        'signIn:',
        '  passwordMinLength: 4',
        '  sessions: {}',
        '  oidc:',
        '    issuer: http://login.example.org',
        '    clientId: provisio',
        '    clientSecret: hunter2',
        '    redirectUri: https://provisio.example.org/provisio/v1/auth/oidc/callback',
        '',
      ].join('\n'),
    )
    const problems = (await problemsOf(ws.dir)).join('\n')
    expect(problems).toMatch(/signIn\.passwordMinLength/)
    expect(problems).toMatch(/signIn\.sessions/)
    expect(problems).toMatch(/signIn\.oidc\.issuer \| must be https/)
    expect(problems).toMatch(/signIn\.oidc\.clientSecret \| must be a secret reference/)
    expect(problems).not.toContain('hunter2')
  })
})
