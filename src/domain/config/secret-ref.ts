/**
 * Secrets live outside the workspace: configuration holds `${env:NAME}` references, resolved only
 * at the moment a connector needs the value, so they are never stored, printed or logged.
 */
const SECRET_REF = /^\$\{env:([A-Za-z_][A-Za-z0-9_]*)\}$/
const SECRET_KEY = /pass(word)?|secret|token|credential|private.?key|api.?key/i

export function isSecretRef(value: unknown): value is string {
  return typeof value === 'string' && SECRET_REF.test(value)
}

/** Paths of values under secret-looking keys that are plain text instead of references. */
export function findPlainSecrets(obj: Readonly<Record<string, unknown>>, prefix: string): string[] {
  const found: string[] = []
  for (const [key, value] of Object.entries(obj)) {
    const path = `${prefix}.${key}`
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      found.push(...findPlainSecrets(value as Record<string, unknown>, path))
    } else if (SECRET_KEY.test(key) && typeof value === 'string' && value !== '' && !isSecretRef(value)) {
      found.push(path)
    }
  }
  return found
}

/** Resolves a `${env:NAME}` reference; a plain value is returned as is. Throws when the variable is unset. */
export function resolveSecret(value: string, env: Readonly<Record<string, string | undefined>>): string {
  const m = SECRET_REF.exec(value)
  if (!m) return value
  const name = m[1] as string
  const resolved = env[name]
  if (resolved === undefined) throw new Error(`environment variable ${name} is not set`)
  return resolved
}

/** The text to show instead of a secret. */
export const MASK = '********'
