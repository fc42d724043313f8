/**
 * The SCIM attribute paths a source's attribute map may name (RFC 7644 §3.5.2, the subset a flat account
 * attribute needs): `attr`, `attr.sub`, `attr[sub eq "value"].sub`, each optionally prefixed by a schema
 * extension URN (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber`).
 */
export interface ScimPath {
  /** The path as written; also the path of a PATCH operation. */
  readonly text: string
  /** The extension schema URN, when the attribute belongs to one. */
  readonly schema?: string
  readonly attribute: string
  /** Selects one value of a multi-valued attribute, e.g. the `work` one of `emails`. */
  readonly filter?: { readonly attribute: string; readonly value: string | boolean }
  readonly subAttribute?: string
}

export type ScimResource = Record<string, unknown>

const NAME = '[A-Za-z$][\\w$-]*'
const PATH = new RegExp(
  `^(${NAME})(?:\\[\\s*(${NAME})\\s+eq\\s+("(?:[^"\\\\]|\\\\.)*"|true|false)\\s*\\])?(?:\\.(${NAME}))?$`,
)

/** Parses a path; throws an Error saying what is wrong. */
export function parseScimPath(text: string): ScimPath {
  let rest = text.trim()
  let schema: string | undefined
  if (/^urn:/i.test(rest)) {
    // The attribute follows the URN's last colon (a filter value may hold colons of its own).
    const end = rest.includes('[') ? rest.indexOf('[') : rest.length
    const colon = rest.lastIndexOf(':', end)
    schema = rest.slice(0, colon)
    rest = rest.slice(colon + 1)
  }
  const m = PATH.exec(rest)
  if (!m) {
    throw new Error(`${text} is not a SCIM attribute path (attr, attr.sub or attr[sub eq "value"].sub)`)
  }
  const [, attribute = '', filterAttribute, filterValue, subAttribute] = m
  if (filterAttribute !== undefined && subAttribute === undefined) {
    throw new Error(`${text} selects a value but no sub-attribute of it (e.g. ${text}.value)`)
  }
  return {
    text: text.trim(),
    ...(schema !== undefined ? { schema } : {}),
    attribute,
    ...(filterAttribute !== undefined
      ? {
          filter: {
            attribute: filterAttribute,
            value: JSON.parse(filterValue as string) as string | boolean,
          },
        }
      : {}),
    ...(subAttribute !== undefined ? { subAttribute } : {}),
  }
}

/** The path without its value filter and sub-attribute: where an `add` of a whole value goes. */
export function attributePathOf(path: ScimPath): string {
  return path.schema === undefined ? path.attribute : `${path.schema}:${path.attribute}`
}

/**
 * The value at a path: one value, or a list when the path reaches several (a sub-attribute of a
 * multi-valued attribute without a filter); undefined when absent.
 */
export function readScimPath(resource: ScimResource, path: ScimPath): unknown {
  const container = path.schema === undefined ? resource : objectAt(resource, path.schema)
  const value = container === undefined ? undefined : field(container, path.attribute)
  if (value === undefined || value === null) return undefined
  if (path.subAttribute === undefined) return value
  const sub = path.subAttribute
  const elements = path.filter ? selected(value, path) : Array.isArray(value) ? value : [value]
  const values = elements
    .map((e) => (isObject(e) ? field(e, sub) : undefined))
    .filter((v) => v !== undefined && v !== null)
  if (values.length === 0) return undefined
  // A sub-attribute of every value of a multi-valued attribute (`emails.value`) stays a list.
  return values.length === 1 && (path.filter || !Array.isArray(value)) ? values[0] : values
}

/** The path without its sub-attribute (`emails[type eq "work"]`): the value a `remove` drops whole. */
export function selectorPathOf(path: ScimPath): string {
  if (!path.filter) return path.text
  return `${attributePathOf(path)}[${path.filter.attribute} eq ${JSON.stringify(path.filter.value)}]`
}

/** Whether the resource holds a value the path's filter selects (PATCH `replace` needs one, RFC 7644 §3.5.2.3). */
export function hasSelectedValue(resource: ScimResource, path: ScimPath): boolean {
  const container = path.schema === undefined ? resource : objectAt(resource, path.schema)
  const value = container === undefined ? undefined : field(container, path.attribute)
  return value !== undefined && value !== null && selected(value, path).length > 0
}

/** Writes a value at a path into a resource being built (a POST body). */
export function writeScimPath(resource: ScimResource, path: ScimPath, value: unknown): void {
  let container = resource
  if (path.schema !== undefined) {
    const existing = resource[path.schema]
    container = isObject(existing) ? existing : {}
    resource[path.schema] = container
  }
  if (path.subAttribute === undefined) {
    container[path.attribute] = value
  } else if (path.filter) {
    const list = Array.isArray(container[path.attribute]) ? (container[path.attribute] as unknown[]) : []
    container[path.attribute] = list
    let element = list.find((e) => isObject(e) && matches(e, path)) as ScimResource | undefined
    if (element === undefined) {
      element = { [path.filter.attribute]: path.filter.value }
      list.push(element)
    }
    element[path.subAttribute] = value
  } else {
    const existing = container[path.attribute]
    const complex = isObject(existing) ? existing : {}
    complex[path.subAttribute] = value
    container[path.attribute] = complex
  }
}

/** A new value of the attribute the path's filter selects, holding `value` (for a PATCH `add`). */
export function selectedValue(path: ScimPath, value: unknown): ScimResource {
  const element: ScimResource = {}
  if (path.filter) element[path.filter.attribute] = path.filter.value
  if (path.subAttribute !== undefined) element[path.subAttribute] = value
  return element
}

function selected(value: unknown, path: ScimPath): unknown[] {
  const list = Array.isArray(value) ? value : [value]
  return path.filter ? list.filter((e) => isObject(e) && matches(e, path)) : list
}

// Attribute names and string comparisons are case-insensitive in SCIM (RFC 7643 §2.1, `type` is
// caseExact false), so `Work` is selected by `type eq "work"`.
function matches(element: ScimResource, path: ScimPath): boolean {
  const filter = path.filter
  if (!filter) return true
  const actual = field(element, filter.attribute)
  if (typeof filter.value === 'boolean') return actual === filter.value
  return typeof actual === 'string' && actual.toLowerCase() === filter.value.toLowerCase()
}

function field(obj: ScimResource, name: string): unknown {
  if (name in obj) return obj[name]
  const lower = name.toLowerCase()
  const key = Object.keys(obj).find((k) => k.toLowerCase() === lower)
  return key === undefined ? undefined : obj[key]
}

function objectAt(obj: ScimResource, name: string): ScimResource | undefined {
  const value = field(obj, name)
  return isObject(value) ? value : undefined
}

function isObject(value: unknown): value is ScimResource {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
