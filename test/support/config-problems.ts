import { ConfigError } from '../../src/domain/errors.js'
import { loadWorkspace } from '../../src/engine/workspace/load-workspace.js'

/** Loads a workspace and returns its configuration problems as `file | object | path | message` lines. */
export async function problemsOf(dir: string): Promise<string[]> {
  try {
    await loadWorkspace(dir)
  } catch (err) {
    if (err instanceof ConfigError) {
      return err.problems.map((p) => `${p.file} | ${p.object ?? ''} | ${p.path} | ${p.message}`)
    }
    throw err
  }
  return []
}
