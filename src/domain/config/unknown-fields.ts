import type { z } from 'zod'
import type { ConfigProblem } from '../errors.js'
import { IGNORED_FIELDS, OPEN_FIELDS, type ConfigObjectKind } from './ignored-fields.js'
import { nearestName } from './nearest-name.js'

/** A field of a configuration object that its schema does not name. */
export interface UnknownField {
  /** Where it is: `schemas[0].attributes[2].nativeName`. */
  readonly path: string
  /** The path as keys and list indexes. */
  readonly segments: readonly (string | number)[]
  /** The same place with list indexes as `[]`, the way IGNORED_FIELDS names places: `schemas[].attributes[]`. */
  readonly parent: string
  readonly key: string
  /** The fields the schema knows at that place. */
  readonly known: readonly string[]
}

// zod 4 keeps each schema's definition in `_zod.def`; only the parts the walk reads are typed here.
interface Def {
  readonly type: string
  readonly shape?: Readonly<Record<string, Schema>>
  readonly catchall?: Schema
  readonly innerType?: Schema
  readonly in?: Schema
  readonly out?: Schema
  readonly options?: readonly Schema[]
  readonly discriminator?: string
  readonly values?: readonly unknown[]
  readonly element?: Schema
  readonly valueType?: Schema
  readonly getter?: () => Schema
}
interface Schema {
  readonly _zod: { readonly def: Def }
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional'])

/** The schema that decides a value's shape, past wrappers (optional, default…), pipes and lazy schemas. */
function unwrap(schema: Schema): Def {
  let def = schema._zod.def
  for (;;) {
    if (WRAPPERS.has(def.type) && def.innerType) def = def.innerType._zod.def
    else if (def.type === 'lazy' && def.getter) def = def.getter()._zod.def
    // preprocess(fn, s) is a pipe from a transform into s; s.transform(fn) a pipe from s into one.
    else if (def.type === 'pipe' && def.in && def.out) {
      def = def.in._zod.def.type === 'transform' ? def.out._zod.def : def.in._zod.def
    } else return def
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

/**
 * Every field of `value` that `schema` does not name, at any depth: the schemas stay the one description
 * of what a configuration holds, and this walk compares the raw object (before zod drops or keeps what it
 * does not know) with them. Maps (`z.record`) accept any key; their values are walked.
 */
export function findUnknownFields(value: unknown, schema: z.ZodType): UnknownField[] {
  const out: UnknownField[] = []
  walk(value, schema as unknown as Schema, { path: '', segments: [], parent: '' }, out)
  return out
}

/**
 * A copy of `value` without the given fields, so an object with a misspelt field still loads (a strict
 * schema would refuse it whole) and one typo is reported once, not again by every object referring to it.
 */
export function withoutFields(value: unknown, fields: readonly UnknownField[]): unknown {
  if (fields.length === 0) return value
  const copy: unknown = structuredClone(value)
  for (const f of fields) {
    let node: unknown = copy
    for (const s of f.segments.slice(0, -1)) node = (node as Record<string | number, unknown>)[s]
    delete (node as Record<string, unknown>)[f.key]
  }
  return copy
}

interface Where {
  readonly path: string
  readonly segments: readonly (string | number)[]
  readonly parent: string
}

function at(where: Where, key: string | number): Where {
  return typeof key === 'number'
    ? { path: `${where.path}[${key}]`, segments: [...where.segments, key], parent: `${where.parent}[]` }
    : { path: join(where.path, key), segments: [...where.segments, key], parent: join(where.parent, key) }
}

function walk(value: unknown, schema: Schema, where: Where, out: UnknownField[]): void {
  const def = unwrap(schema)
  switch (def.type) {
    case 'object': {
      if (!isPlainObject(value) || !def.shape) return
      const shape = def.shape
      // An object with a catchall schema of its own (not loose's `unknown`, not strict's `never`) is a map.
      const catchall = def.catchall ? unwrap(def.catchall).type : undefined
      const open = catchall !== undefined && catchall !== 'unknown' && catchall !== 'never'
      const known = Object.keys(shape)
      for (const [key, v] of Object.entries(value)) {
        // Own keys only: a field named `constructor` or `__proto__` is unknown, not Object's.
        const field = Object.hasOwn(shape, key) ? shape[key] : open ? def.catchall : undefined
        if (field) walk(v, field, at(where, key), out)
        else out.push({ ...at(where, key), parent: where.parent, key, known })
      }
      return
    }
    case 'array':
      if (Array.isArray(value) && def.element) {
        const element = def.element
        value.forEach((v, i) => walk(v, element, at(where, i), out))
      }
      return
    case 'record':
      if (isPlainObject(value) && def.valueType) {
        const valueType = def.valueType
        for (const [key, v] of Object.entries(value)) walk(v, valueType, at(where, key), out)
      }
      return
    case 'union':
      walkUnion(value, def, where, out)
      return
    default:
      return
  }
}

/** A union is walked with the option the value is meant for: by its discriminator, else the best fit. */
function walkUnion(value: unknown, def: Def, where: Where, out: UnknownField[]): void {
  const options = def.options ?? []
  if (def.discriminator !== undefined && isPlainObject(value)) {
    const tag = value[def.discriminator]
    const chosen = options.find((o) => {
      const field = unwrap(o).shape?.[def.discriminator as string]
      return field !== undefined && (unwrap(field).values ?? []).includes(tag)
    })
    // An unknown discriminator value is zod's to report; the fields cannot be judged without it.
    if (chosen) walk(value, chosen, where, out)
    return
  }
  const kind = Array.isArray(value) ? 'array' : isPlainObject(value) ? 'object' : undefined
  let best: UnknownField[] | undefined
  for (const option of options.filter((o) => unwrap(o).type === kind)) {
    const found: UnknownField[] = []
    walk(value, option, where, found)
    if (best === undefined || found.length < best.length) best = found
  }
  if (best) out.push(...best)
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`
}

/**
 * The problems of an object's unknown fields: a field of the reference product that Provisio ignores is a
 * warning (IGNORED_FIELDS); an unknown field is an error, or a warning where the reference leaves the map
 * open (OPEN_FIELDS); either names the nearest known field when one is close.
 */
export function unknownFieldProblems(
  value: unknown,
  schema: z.ZodType,
  kind: ConfigObjectKind,
  at: { file: string; object: string; prefix?: string; allowed?: readonly string[] },
): ConfigProblem[] {
  const prefix = at.prefix ?? ''
  const problems: ConfigProblem[] = []
  for (const f of findUnknownFields(value, schema)) {
    if (f.parent === '' && at.allowed?.includes(f.key)) continue
    const path = prefix === '' ? f.path : `${prefix}.${f.path}`
    const site = { file: at.file, object: at.object, path }
    const ignored = IGNORED_FIELDS[kind]
    if (Object.hasOwn(ignored, f.parent) && ignored[f.parent]?.includes(f.key)) {
      problems.push({
        ...site,
        severity: 'warning',
        message: 'ignored: a field of the reference product that Provisio does not use',
      })
      continue
    }
    const open = OPEN_FIELDS[kind].includes(f.parent)
    problems.push({
      ...site,
      ...(open ? { severity: 'warning' as const } : {}),
      message: `unknown field${open ? ', ignored' : ''}${hint(f.key, [...f.known, ...(f.parent === '' ? (at.allowed ?? []) : [])])}`,
    })
  }
  return problems
}

/** "; did you mean "x"?" or, with no close name, the known fields when they are few enough to read. */
export function hint(key: string, known: readonly string[]): string {
  const near = nearestName(key, known)
  if (near !== undefined) return ` (did you mean "${near}"?)`
  if (known.length > 0 && known.length <= 12) return ` (known fields: ${known.join(', ')})`
  return ''
}
