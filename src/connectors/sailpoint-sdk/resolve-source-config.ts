import { isSecretRef, resolveSecret } from '../../domain/config/secret-ref.js'
import { ConnectorError } from '../../domain/errors.js'

/** A source configuration with its secret references resolved, and the secrets, to keep out of messages. */
export interface ResolvedSourceConfig {
  readonly config: Record<string, unknown>
  readonly secrets: readonly string[]
}

/**
 * Resolves the secret references (`${env:NAME}`, `${file:PATH}`) among a source configuration's string
 * values, at any depth. Done at each invocation, so a rotated secret is picked up by the next command. A
 * secret that cannot be had is TERMINAL: the message names the field and the reference, never a value.
 */
export function resolveSourceConfig(
  sourceName: string,
  config: Readonly<Record<string, unknown>>,
  env: Readonly<Record<string, string | undefined>>,
  readSecretFile?: (path: string) => string,
): ResolvedSourceConfig {
  const secrets: string[] = []
  const walk = (value: unknown, path: string): unknown => {
    if (isSecretRef(value)) {
      try {
        const secret = resolveSecret(value, env, readSecretFile)
        if (secret !== '') secrets.push(secret)
        return secret
      } catch (err) {
        throw new ConnectorError(
          'TERMINAL',
          `source ${sourceName}: connectorAttributes.${path}: ${err instanceof Error ? err.message : String(err)}`,
          { code: 'SECRET_UNAVAILABLE' },
        )
      }
    }
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}.${i}`))
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, `${path}.${k}`)]))
    }
    return value
  }
  return { config: walk(config, 'config') as Record<string, unknown>, secrets }
}
