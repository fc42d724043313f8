import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

/**
 * The version in Provisio's own package.json. It is looked for upwards from this file, since the built
 * CLI (dist/src/cli) and the sources (src/cli) sit at different depths.
 */
export function packageVersion(from: string = import.meta.dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string
        version?: string
      }
      if (pkg.name === 'provisio' && typeof pkg.version === 'string') return pkg.version
    } catch {
      // No package.json here (or not ours): keep looking upwards.
    }
    if (dirname(dir) === dir) return 'unknown'
  }
}
