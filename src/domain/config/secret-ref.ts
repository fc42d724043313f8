import { SecretUnavailableError } from '../errors.js'

/**
 * Secrets live outside the workspace: configuration holds `${env:NAME}` references (an environment
 * variable) or `${file:PATH}` references (a file such as a mounted Kubernetes or Docker secret), resolved
 * only at the moment a connector needs the value, so they are never stored, printed or logged.
 */
const SECRET_REF = /^\$\{(?:env:[A-Za-z_][A-Za-z0-9_]*|file:[^}]+)\}$/

/** The parts of a secret reference, or undefined for a plain value. */
export function parseSecretRef(value: string): { kind: 'env' | 'file'; name: string } | undefined {
  const m = /^\$\{(env|file):(.+)\}$/.exec(value)
  return m && SECRET_REF.test(value) ? { kind: m[1] as 'env' | 'file', name: m[2] as string } : undefined
}

const SECRET_KEY = /pass(word)?|secret|token|credential|private.?key|api.?key/i
/** Settings about a secret, not secrets: which attribute holds a password, how it is hashed, a token's URL. */
const ABOUT_SECRET = /(Attribute|Attributes|Hashing|Url|Uri|Field|Policy)$/

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
    } else if (
      SECRET_KEY.test(key) &&
      !ABOUT_SECRET.test(key) &&
      typeof value === 'string' &&
      value !== '' &&
      !isSecretRef(value)
    ) {
      found.push(path)
    }
  }
  return found
}

/**
 * Resolves a secret reference; a plain value is returned as is. Throws when the variable is unset or the
 * file cannot be read. Files are read by `readFile` (the caller's I/O, relative paths against the
 * workspace); without one, a file reference is refused.
 */
export function resolveSecret(
  value: string,
  env: Readonly<Record<string, string | undefined>>,
  readFile?: (path: string) => string,
): string {
  const ref = parseSecretRef(value)
  if (!ref) return value
  if (ref.kind === 'file') {
    if (!readFile) throw new SecretUnavailableError(`a file secret reference cannot be used here: ${value}`)
    // A trailing newline is how editors and `echo` end a file; it is never part of the secret.
    return readFile(ref.name).replace(/\r?\n$/, '')
  }
  const resolved = env[ref.name]
  if (resolved === undefined) throw new SecretUnavailableError(`environment variable ${ref.name} is not set`)
  return resolved
}

/** The text to show instead of a secret. */
export const MASK = '********'
