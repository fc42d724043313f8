import { InputError } from '../errors.js'

/**
 * The scopes that stand for every scope: a credential's default (sp:scopes:all) and the reference's
 * other catch-all. A token holding one is limited by its capabilities only.
 */
export const EVERY_SCOPE: readonly string[] = ['sp:scopes:all', 'sp:scopes:default']

/** Whether scopes include a catch-all: nothing is narrowed. */
export function holdsEveryScope(held: readonly string[]): boolean {
  return held.some((s) => EVERY_SCOPE.includes(s))
}

/** Whether a token of `held` scopes may call a route that takes any one of `needed`. */
export function scopesAllow(held: readonly string[], needed: readonly string[]): boolean {
  return holdsEveryScope(held) || needed.some((s) => held.includes(s))
}

/**
 * The scopes of `wanted` that `held` does not cover: a credential or token made by a holder of narrow
 * scopes may not get wider ones than its maker (scopes narrow, never widen). A catch-all covers any scope.
 */
export function scopesBeyond(held: readonly string[], wanted: readonly string[]): string[] {
  if (holdsEveryScope(held)) return []
  return wanted.filter((s) => !held.includes(s))
}

/** Whether a value can be a scope: printable ASCII without spaces (scopes travel space-separated). */
export function isScopeToken(s: string): boolean {
  return /^[\x21-\x7e]+$/.test(s)
}

/**
 * A scope asked for at the token endpoint that is malformed or that the credential was not given (RFC
 * 6749's invalid_scope).
 */
export class InvalidScopeError extends InputError {}

/**
 * The scopes of a token asked for with `requested` (OAuth 2.0's space-separated `scope` parameter) by a
 * holder of `held`: all of `held` when nothing is asked, else exactly what is asked, if `held` covers it.
 * A scope no credential could hold (a tab-separated list, a control or non-ASCII character) is refused
 * even by a holder of every scope, rather than written into a token.
 */
export function requestedScopes(held: readonly string[], requested: string | undefined): string[] {
  const asked = [...new Set((requested ?? '').split(' ').filter((s) => s !== ''))]
  const malformed = asked.filter((s) => !isScopeToken(s))
  if (malformed.length > 0) {
    throw new InvalidScopeError(
      `not a scope: ${malformed.map((s) => JSON.stringify(s)).join(', ')} (printable, separated by spaces)`,
    )
  }
  if (asked.length === 0) return [...held]
  const beyond = scopesBeyond(held, asked)
  if (beyond.length > 0) {
    throw new InvalidScopeError(
      `scope ${beyond.join(' ')} was not granted to this client: it has ${held.join(' ')}`,
    )
  }
  return asked
}
