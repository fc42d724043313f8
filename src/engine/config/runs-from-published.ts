import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { SETTINGS_FILE } from '../workspace/load-workspace.js'

/**
 * Whether a process runs from the newest published configuration instead of a workspace folder: when asked
 * to (`--published`), or when it shares a PostgreSQL server (DATABASE_URL) and its folder holds no workspace,
 * as on a worker machine that was given only the database's address.
 */
export function runsFromPublished(
  dir: string,
  asked: boolean,
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (asked) return true
  return Boolean(env['DATABASE_URL']) && !existsSync(join(resolve(dir), SETTINGS_FILE))
}
