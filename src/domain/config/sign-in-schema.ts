import { z } from 'zod'
import { isSecretRef } from './secret-ref.js'
import { nonEmpty } from './schema-primitives.js'

/** An http(s) URL; plain http only to this machine (a provider run for development or tests). */
const url = z.url({ protocol: /^https?$/ }).refine((u) => isHttpsOrLoopback(u), {
  error: 'must be https (plain http only for localhost, 127.0.0.1 or [::1])',
})

export function isHttpsOrLoopback(u: string): boolean {
  const parsed = new URL(u)
  return parsed.protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname)
}

/**
 * Sign-in through an external OpenID Connect provider: the identity is the one whose `identityAttribute`
 * equals the provider's `claim` (exactly one).
 */
export const oidcSignInSchema = z.strictObject({
  issuer: url,
  clientId: nonEmpty,
  /** A secret reference (`${env:NAME}` or `${file:PATH}`), never the secret itself. */
  clientSecret: z.string().refine(isSecretRef, {
    error: 'must be a secret reference such as ${env:OIDC_CLIENT_SECRET} or ${file:secrets/oidc}',
  }),
  /** Provisio's callback as registered at the provider: `<public URL>/provisio/v1/auth/oidc/callback`. */
  redirectUri: url,
  claim: nonEmpty.default('email'),
  identityAttribute: nonEmpty.default('email'),
  scopes: z.array(z.string().regex(/^[\x21-\x7e]+$/, 'a scope has no spaces')).default(['openid', 'email']),
})

const sessionDefaults = { idleMinutes: 30, absoluteHours: 12 }
const lockoutDefaults = { maxFailuresPerAccount: 5, maxFailuresPerAddress: 20, windowMinutes: 15 }

/** How people sign in (docs/authentication.md, "Signing in"). */
export const signInSchema = z.strictObject({
  /** The address people reach Provisio at, for invitation links; absent: the server's own address. */
  publicUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** The shortest password accepted (NIST SP 800-63B asks at least 8; 12 by default). */
  passwordMinLength: z.number().int().min(8).max(128).default(12),
  /** How long an invitation link can be used. */
  invitationHours: z.number().int().min(1).max(720).default(72),
  session: z
    .strictObject({
      /** A session unused this long ends. */
      idleMinutes: z.number().int().min(1).max(1440).default(sessionDefaults.idleMinutes),
      /** A session ends this long after sign-in, however busy. */
      absoluteHours: z.number().int().min(1).max(720).default(sessionDefaults.absoluteHours),
    })
    .default(sessionDefaults),
  /** Failed sign-ins allowed per account and per address in the window before 429 Too Many Requests. */
  lockout: z
    .strictObject({
      maxFailuresPerAccount: z.number().int().min(1).max(1000).default(lockoutDefaults.maxFailuresPerAccount),
      maxFailuresPerAddress: z
        .number()
        .int()
        .min(1)
        .max(100_000)
        .default(lockoutDefaults.maxFailuresPerAddress),
      windowMinutes: z.number().int().min(1).max(1440).default(lockoutDefaults.windowMinutes),
    })
    .default(lockoutDefaults),
  oidc: oidcSignInSchema.optional(),
})

export const SIGN_IN_DEFAULTS: z.infer<typeof signInSchema> = {
  passwordMinLength: 12,
  invitationHours: 72,
  session: sessionDefaults,
  lockout: lockoutDefaults,
}

export type SignInSettings = z.infer<typeof signInSchema>
export type OidcSignInSettings = z.infer<typeof oidcSignInSchema>
