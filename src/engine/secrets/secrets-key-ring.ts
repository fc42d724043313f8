import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { InputError } from '../../domain/errors.js'
import {
  formatSecretKey,
  newSecretKey,
  parseSecretKey,
  type KeyRing,
  type SecretKey,
} from '../../domain/secrets/sealed-secrets.js'

/**
 * Where the keys that seal secrets at rest come from, outside the database: the environment variable
 * (comma-separated keys, the first seals; for servers and several workers) or else the workspace's key
 * file (one key a line, the first seals; made on first need, mode 600). Keys of both open.
 */
export const SECRETS_KEY_ENV = 'PROVISIO_SECRETS_KEY'
export const SECRETS_KEY_FILE = 'secrets/task-secrets.key'

const HEADER =
  '# Keys that encrypt the secrets of pending manual tasks (provisio keys rotate).\n' +
  '# The first seals; every one opens. Never commit or share this file.\n'

type Env = Readonly<Record<string, string | undefined>>

/** Names the places keys come from, for an error saying a key is missing. */
export function keyPlaces(workspaceDir: string): string {
  return `${SECRETS_KEY_ENV}, ${join(workspaceDir, SECRETS_KEY_FILE)}`
}

function envKeys(env: Env): SecretKey[] {
  const value = env[SECRETS_KEY_ENV]
  if (value === undefined || value.trim() === '') return []
  return value.split(',').map((k, i) => parseSecretKey(k, `${SECRETS_KEY_ENV} (key ${i + 1})`))
}

function fileKeys(workspaceDir: string): SecretKey[] {
  const file = join(workspaceDir, SECRETS_KEY_FILE)
  if (!existsSync(file)) return []
  // Like ssh with a private key: a key others can read protects nothing.
  const mode = statSync(file).mode & 0o777
  if ((mode & 0o077) !== 0) {
    throw new InputError(
      `${file} can be read by others (mode ${mode.toString(8)}): make it the owner's only (chmod 600)`,
    )
  }
  const keys: SecretKey[] = []
  for (const [i, line] of readFileSync(file, 'utf8').split('\n').entries()) {
    const text = line.trim()
    if (text === '' || text.startsWith('#')) continue
    keys.push(parseSecretKey(text, `${file}: line ${i + 1}`))
  }
  return keys
}

function ring(keys: readonly SecretKey[]): KeyRing | undefined {
  const [current] = keys
  if (!current) return undefined
  const unique = keys.filter((k, i) => keys.findIndex((o) => o.id === k.id) === i)
  return { current, keys: unique }
}

/** The keys there are (undefined: none yet); the environment's first key seals when it is set. */
export function readKeyRing(workspaceDir: string, env: Env = process.env): KeyRing | undefined {
  return ring([...envKeys(env), ...fileKeys(workspaceDir)])
}

/** The keys to seal with: without any, a new key file is made (mode 600). */
export function keyRingForSealing(workspaceDir: string, env: Env = process.env): KeyRing {
  const found = readKeyRing(workspaceDir, env)
  if (found) return found
  const key = newSecretKey()
  writeKeyFile(workspaceDir, [key])
  return { current: key, keys: [key] }
}

/** Rotation with the key file: a new key goes first (it seals from now on); the others still open. */
export function addKeyToFile(workspaceDir: string): SecretKey {
  const key = newSecretKey()
  writeKeyFile(workspaceDir, [key, ...fileKeys(workspaceDir)])
  return key
}

/** Drops from the key file the keys not in `keep` (nothing sealed with them is left); returns how many. */
export function pruneKeyFile(workspaceDir: string, keep: ReadonlySet<string>): number {
  const keys = fileKeys(workspaceDir)
  const kept = keys.filter((k) => keep.has(k.id))
  if (kept.length === keys.length) return 0
  writeKeyFile(workspaceDir, kept)
  return keys.length - kept.length
}

/** Writes the key file whole (a temporary file renamed into place), readable by the owner only. */
function writeKeyFile(workspaceDir: string, keys: readonly SecretKey[]): void {
  const dir = join(workspaceDir, 'secrets')
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    // Whatever lands in this folder stays out of version control.
    writeFileSync(join(dir, '.gitignore'), '*\n')
  }
  const file = join(workspaceDir, SECRETS_KEY_FILE)
  const temp = `${file}.${process.pid}.tmp`
  writeFileSync(temp, HEADER + keys.map((k) => formatSecretKey(k) + '\n').join(''), { mode: 0o600 })
  // writeFileSync's mode is for a new file only, and goes through the umask.
  chmodSync(temp, 0o600)
  renameSync(temp, file)
}
