import { InputError } from '../errors.js'
import { isScopeToken } from './scopes.js'

/** The reference's capabilities (a token's `authorities`); which route needs which is the API's table. */
export const CAPABILITIES = [
  'ORG_ADMIN',
  'SOURCE_ADMIN',
  'ROLE_ADMIN',
  'CERT_ADMIN',
  'HELPDESK',
  'REPORT_ADMIN',
] as const

export type Capability = (typeof CAPABILITIES)[number]

/** The reference's scope of a credential created without one: all the rights of its holder. */
export const DEFAULT_SCOPES: readonly string[] = ['sp:scopes:all']

export function checkCapabilities(values: readonly string[]): Capability[] {
  const known = new Set<string>(CAPABILITIES)
  const unknown = values.filter((v) => !known.has(v))
  if (unknown.length > 0) {
    throw new InputError(
      `unknown capabilit${unknown.length === 1 ? 'y' : 'ies'} ${unknown.join(', ')}: use ${CAPABILITIES.join(', ')}`,
    )
  }
  return [...new Set(values)] as Capability[]
}

/** Scopes travel space-separated (OAuth 2.0): each one non-empty, without spaces. */
export function checkScopes(values: readonly string[] | undefined): string[] {
  if (values === undefined || values.length === 0) return [...DEFAULT_SCOPES]
  for (const s of values) {
    if (!isScopeToken(s)) {
      throw new InputError(`not a scope: ${JSON.stringify(s)} (printable, no spaces)`)
    }
  }
  return [...new Set(values)]
}
