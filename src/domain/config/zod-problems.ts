import type { z } from 'zod'
import type { ConfigProblem } from '../errors.js'

/**
 * Turns a zod error into configuration problems with dotted field paths (`schemas[0].attributes[2].name`).
 * Unknown keys are left out: unknownFieldProblems reports them, with the nearest known name, for loose and
 * strict schemas alike.
 */
export function zodProblems(error: z.ZodError, file: string, object: string, prefix = ''): ConfigProblem[] {
  return error.issues
    .filter((issue) => issue.code !== 'unrecognized_keys')
    .map((issue) => ({
      file,
      object,
      path: joinPath(prefix, issue.path),
      message: issue.message,
    }))
}

export function joinPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`
    else out += out === '' ? String(p) : `.${String(p)}`
  }
  return out
}
