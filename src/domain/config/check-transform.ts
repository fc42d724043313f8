import type { ConfigProblem } from '../errors.js'
import { coerceError, TransformError } from '../errors.js'
import { transformProblems } from '../transforms/transform-errors.js'
import { compileTransform } from '../transforms/compile-transform.js'
import type { TransformDefinition } from '../transforms/transform-types.js'

/** What a transform is checked against: the named transforms and the source names. */
export interface TransformCheckContext {
  readonly resolve: (id: string) => TransformDefinition | undefined
  readonly sourceNames: ReadonlySet<string>
  /**
   * How a source name the workspace lacks is reported: an error (the default) where the transform is
   * used, a warning for a named transform nothing uses (it can only fail once something does).
   */
  readonly missingSource?: 'error' | 'warning'
}

/** Where a problem was found. */
export interface ProblemSite {
  readonly file: string
  readonly object: string
  readonly path: string
}

/**
 * Compiles a transform (unknown types, missing attributes, reference cycles) and checks source names in
 * it. `fieldAttributes` are an account-profile field's attributes, which its generators read.
 */
export function checkTransform(
  def: TransformDefinition,
  check: TransformCheckContext,
  at: ProblemSite,
  problems: ConfigProblem[],
  fieldAttributes?: Readonly<Record<string, unknown>>,
): void {
  try {
    compileTransform(def, { resolve: check.resolve, fieldAttributes })
  } catch (err) {
    // Every problem of the transform is its own line (all broken rows of a lookup table, not the first).
    const found = err instanceof TransformError ? transformProblems(err) : [coerceError(err)]
    for (const e of found) problems.push({ ...at, message: e.message })
    return
  }
  walkTransforms(def, at.path, (t, path) => {
    const sourceName = t.attributes?.['sourceName']
    if (
      t.type === 'accountAttribute' &&
      typeof sourceName === 'string' &&
      !check.sourceNames.has(sourceName)
    ) {
      // A named transform's root sits at path ''.
      const where = path === '' ? 'attributes.sourceName' : `${path}.attributes.sourceName`
      problems.push(
        check.missingSource === 'warning'
          ? {
              ...at,
              path: where,
              message: `no source named "${sourceName}" (no identity profile or provisioning policy uses this transform yet; it fails when one does)`,
              severity: 'warning',
            }
          : { ...at, path: where, message: `no source named "${sourceName}"` },
      )
    }
  })
}

/**
 * The names of the named transforms that `roots` (the transforms the workspace evaluates: identity
 * profile mappings, provisioning policy fields) reference, directly or through other named transforms.
 */
export function referencedTransformNames(
  roots: readonly unknown[],
  resolve: (id: string) => TransformDefinition | undefined,
): Set<string> {
  const names = new Set<string>()
  const pending = [...roots]
  for (let root = pending.pop(); root !== undefined; root = pending.pop()) {
    walkTransforms(root, '', (t) => {
      const id = t.attributes?.['id']
      if (t.type !== 'reference' || typeof id !== 'string' || names.has(id)) return
      names.add(id)
      const target = resolve(id)
      if (target !== undefined) pending.push(target)
    })
  }
  return names
}

function walkTransforms(
  value: unknown,
  path: string,
  visit: (t: TransformDefinition, path: string) => void,
): void {
  walkObjects(value, path, (obj, p) => {
    if (typeof obj['type'] === 'string') visit(obj as unknown as TransformDefinition, p)
  })
}

/** Visits every object in a YAML value, at any depth, with its dotted path. */
export function walkObjects(
  value: unknown,
  path: string,
  visit: (obj: Record<string, unknown>, path: string) => void,
): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => walkObjects(v, `${path}[${i}]`, visit))
    return
  }
  if (value === null || typeof value !== 'object') return
  const obj = value as Record<string, unknown>
  visit(obj, path)
  for (const [k, v] of Object.entries(obj)) walkObjects(v, path === '' ? k : `${path}.${k}`, visit)
}
