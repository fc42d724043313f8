import type { ConfigProblem } from '../errors.js'
import { coerceError } from '../errors.js'
import { compileTransform } from '../transforms/compile-transform.js'
import type { TransformDefinition } from '../transforms/transform-types.js'

/** What a transform is checked against: the named transforms and the source names. */
export interface TransformCheckContext {
  readonly resolve: (id: string) => TransformDefinition | undefined
  readonly sourceNames: ReadonlySet<string>
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
    problems.push({ ...at, message: coerceError(err).message })
    return
  }
  walkTransforms(def, at.path, (t, path) => {
    const sourceName = t.attributes?.['sourceName']
    if (
      t.type === 'accountAttribute' &&
      typeof sourceName === 'string' &&
      !check.sourceNames.has(sourceName)
    ) {
      problems.push({
        ...at,
        path: `${path}.attributes.sourceName`,
        message: `no source named "${sourceName}"`,
      })
    }
  })
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
