import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'

/**
 * How connectors read `${file:PATH}` secret references: a relative path is the workspace's, so a
 * workspace and its secrets folder move together.
 */
export function secretFileReader(workspaceDir: string): (path: string) => string {
  return (path) => {
    const full = resolve(workspaceDir, path)
    try {
      return readFileSync(full, 'utf8')
    } catch (err) {
      throw new Error(
        `cannot read the secret file ${full}: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
      )
    }
  }
}
