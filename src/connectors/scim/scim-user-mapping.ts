import type { AttributeChange, Attributes } from '../connector.js'
import { ConnectorError } from '../../domain/errors.js'
import {
  attributePathOf,
  hasSelectedValue,
  parseScimPath,
  readScimPath,
  selectedValue,
  selectorPathOf,
  writeScimPath,
  type ScimPath,
  type ScimResource,
} from './scim-path.js'

export const SCIM_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User'

/** One operation of a SCIM PATCH request (RFC 7644 §3.5.2). */
export interface ScimPatchOperation {
  readonly op: 'add' | 'remove' | 'replace'
  readonly path: string
  readonly value?: unknown
}

// Set by the server, or kept elsewhere (groups through the Group resources): never written by a client.
const READ_ONLY = new Set(['id', 'meta', 'schemas', 'groups'])
// Top-level attributes not shown as account attributes of their own name.
const NOT_SHOWN = new Set(['schemas', 'meta', 'groups', 'password'])

/**
 * Translates between the engine's flat account attributes and SCIM User resources. A mapped name goes
 * to its path; any other name is taken as a SCIM path itself (`title`, `userType`, `password`), so only
 * renamings need a map entry.
 */
export class ScimUserMapping {
  readonly #map: ReadonlyMap<string, ScimPath>
  readonly #groupsAttribute: string
  /** The attribute an account's nativeIdentity is. */
  readonly idPath: ScimPath

  constructor(attributeMap: Readonly<Record<string, string>>, idAttribute: string, groupsAttribute: string) {
    this.#map = new Map(Object.entries(attributeMap).map(([name, text]) => [name, parseScimPath(text)]))
    this.idPath = parseScimPath(idAttribute)
    this.#groupsAttribute = groupsAttribute
  }

  /** Whether the nativeIdentity is the SCIM `id` the server assigns. */
  get idIsServerAssigned(): boolean {
    return this.idPath.schema === undefined && this.idPath.attribute === 'id'
  }

  /** The body of a POST /Users; the groups attribute is left out (membership is kept on the Groups). */
  newUser(nativeIdentity: string | null, attributes: Attributes): ScimResource {
    const user: ScimResource = { schemas: [SCIM_USER_SCHEMA] }
    const extensions = new Set<string>()
    const write = (path: ScimPath, value: unknown): void => {
      if (isReadOnly(path)) return
      writeScimPath(user, path, value)
      if (path.schema !== undefined) extensions.add(path.schema)
    }
    for (const [name, raw] of Object.entries(attributes)) {
      if (name === this.#groupsAttribute || isEmpty(raw)) continue
      write(this.#pathOf(name), single(raw))
    }
    // The account id the engine chose wins over an attribute that disagrees with it.
    if (nativeIdentity !== null && !this.idIsServerAssigned) write(this.idPath, nativeIdentity)
    user['schemas'] = [SCIM_USER_SCHEMA, ...extensions]
    return user
  }

  /** The account attributes of a user, without its groups. */
  attributesOf(user: ScimResource): Attributes {
    const out: Attributes = {}
    const consumed = new Set<string>()
    for (const [name, path] of this.#map) {
      const value = readScimPath(user, path)
      if (value !== undefined) out[name] = value
      if (path.schema === undefined) consumed.add(path.attribute.toLowerCase())
    }
    // Unmapped simple attributes show under their own names, as an unmapped name is written.
    for (const [key, value] of Object.entries(user)) {
      const lower = key.toLowerCase()
      if (NOT_SHOWN.has(lower) || consumed.has(lower) || lower.startsWith('urn:') || key in out) continue
      if (isSimple(value)) out[key] = value
    }
    if (!('id' in out) && typeof user['id'] === 'string') out['id'] = user['id']
    return out
  }

  nativeIdentityOf(user: ScimResource): string {
    const value = readScimPath(user, this.idPath)
    return typeof value === 'string' || typeof value === 'number' ? String(value) : String(user['id'])
  }

  /**
   * The PATCH operations of one change of an attribute other than the groups, given the user as it is:
   * a value selected by a filter that the user lacks is added (`replace` would find no target).
   * `Add` sets the value as `Set` does; `Remove` clears it when it holds one of the values.
   */
  operationsFor(user: ScimResource, change: AttributeChange): ScimPatchOperation[] {
    const path = this.#pathOf(change.attribute)
    if (isReadOnly(path)) return []
    const current = readScimPath(user, path)
    const removal: ScimPatchOperation = { op: 'remove', path: selectorPathOf(path) }
    if (change.op === 'Remove') {
      if (current === undefined) return []
      const held = list(current).map(String)
      const dropped = list(change.value).map(String)
      return dropped.length === 0 || dropped.some((v) => held.includes(v)) ? [removal] : []
    }
    if (isEmpty(change.value)) return current === undefined ? [] : [removal]
    const value = single(change.value)
    if (path.filter && !hasSelectedValue(user, path)) {
      return [{ op: 'add', path: attributePathOf(path), value: [selectedValue(path, value)] }]
    }
    return [{ op: 'replace', path: path.text, value }]
  }

  #pathOf(name: string): ScimPath {
    const mapped = this.#map.get(name)
    if (mapped) return mapped
    try {
      return parseScimPath(name)
    } catch {
      throw new ConnectorError(
        'TERMINAL',
        `attribute ${name} is not in the source's attributeMap and is no SCIM attribute path`,
        { code: 'SCHEMA' },
      )
    }
  }
}

function isSimple(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
}

function isReadOnly(path: ScimPath): boolean {
  return path.schema === undefined && READ_ONLY.has(path.attribute.toLowerCase())
}

function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)
}

/** A one-element list is its element: the engine's lists are SCIM's single values as often as not. */
function single(value: unknown): unknown {
  return Array.isArray(value) && value.length === 1 ? value[0] : value
}

function list(value: unknown): unknown[] {
  if (value === null || value === undefined) return []
  return Array.isArray(value) ? value : [value]
}
