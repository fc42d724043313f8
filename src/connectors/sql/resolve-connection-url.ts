import { resolveSecret } from '../../domain/config/secret-ref.js'
import { InputError } from '../../domain/errors.js'

/**
 * The URL node-postgres connects with, from `url` and `password` (either may be a secret reference).
 * The password goes in as the `password` query parameter, which node-postgres prefers to the URL's
 * user-info and which works for every host form, Unix sockets included. The result holds the secret:
 * it is handed to the driver and never shown; messages name the setting, never the value.
 */
export function resolveConnectionUrl(
  settings: { readonly url: string; readonly password?: string | undefined },
  env: Readonly<Record<string, string | undefined>>,
  readSecretFile?: (path: string) => string,
): string {
  const url = resolveSecret(settings.url, env, readSecretFile)
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new InputError(`connectorAttributes.url: ${shown(settings.url)} is not a valid URL`)
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new InputError(`connectorAttributes.url: ${shown(settings.url)} is not a postgres:// URL`)
  }
  if (settings.password !== undefined) {
    parsed.searchParams.set('password', resolveSecret(settings.password, env, readSecretFile))
  }
  return parsed.toString()
}

/** The setting as written, when it is a reference; a URL written out could hold a mistaken secret. */
function shown(url: string): string {
  return url.startsWith('${') ? url : 'the URL'
}
