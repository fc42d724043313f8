import { InputError } from '../errors.js'

/** One operation of an RFC 6902 JSON Patch, as the v3 API's PATCH routes take them. */
export interface JsonPatchOperation {
  readonly op: 'add' | 'remove' | 'replace' | 'move' | 'copy' | 'test'
  readonly path: string
  readonly value?: unknown
  readonly from?: string
}

type Container = Record<string, unknown> | unknown[]

/**
 * Applies a JSON Patch (RFC 6902) to a copy of a document and returns the copy; the document is never
 * changed. All or nothing: the first operation that cannot be applied (a missing member, an index out of
 * range, a failed `test`) is an InputError naming the operation by its index and path, as `patch[2]
 * (replace /owner/name)`, and no result is returned.
 */
export function applyJsonPatch(document: unknown, operations: readonly JsonPatchOperation[]): unknown {
  let doc = structuredClone(document)
  operations.forEach((operation, index) => {
    const where = `patch[${index}] (${operation.op} ${operation.path})`
    const fail = (why: string): never => {
      throw new InputError(`${where}: ${why}`)
    }
    const path = parsePointer(operation.path, fail)
    switch (operation.op) {
      case 'add':
        doc = add(doc, path, required(operation, fail), fail)
        return
      case 'remove':
        doc = remove(doc, path, fail).doc
        return
      case 'replace':
        remove(doc, path, fail)
        doc = add(doc, path, required(operation, fail), fail)
        return
      case 'move':
      case 'copy': {
        if (operation.from === undefined) fail('needs "from"')
        const from = parsePointer(operation.from as string, fail)
        if (operation.op === 'move' && isPrefix(from, path) && from.length < path.length) {
          fail('cannot move a value into itself')
        }
        const value = operation.op === 'move' ? remove(doc, from, fail) : { doc, value: get(doc, from, fail) }
        doc = add(value.doc, path, structuredClone(value.value), fail)
        return
      }
      case 'test':
        if (!deepEqual(get(doc, path, fail), required(operation, fail))) fail('the value is not as expected')
        return
      default:
        fail(`unknown operation "${String((operation as { op: unknown }).op)}"`)
    }
  })
  return doc
}

function required(operation: JsonPatchOperation, fail: (why: string) => never): unknown {
  if (!Object.hasOwn(operation, 'value') || operation.value === undefined) fail('needs a "value"')
  return structuredClone(operation.value)
}

/** A JSON Pointer (RFC 6901) as its tokens: `/a/b~1c` → ['a', 'b/c']; '' is the whole document. */
function parsePointer(pointer: string, fail: (why: string) => never): string[] {
  if (pointer === '') return []
  if (!pointer.startsWith('/')) fail(`"${pointer}" is not a JSON pointer (it must start with /)`)
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replaceAll('~1', '/').replaceAll('~0', '~'))
}

function isPrefix(a: readonly string[], b: readonly string[]): boolean {
  return a.every((t, i) => b[i] === t)
}

/** The container holding the pointer's last token, walking from the document. */
function parentOf(doc: unknown, path: readonly string[], fail: (why: string) => never): Container {
  let node = doc
  for (const token of path.slice(0, -1)) node = child(node, token, fail)
  if (node === null || typeof node !== 'object') {
    fail(`${describe(path.slice(0, -1))} is not an object or a list`)
  }
  return node as Container
}

function child(node: unknown, token: string, fail: (why: string) => never): unknown {
  if (Array.isArray(node)) return node[arrayIndex(node, token, false, fail)]
  if (node !== null && typeof node === 'object' && Object.hasOwn(node, token)) {
    return (node as Record<string, unknown>)[token]
  }
  return fail(`no member "${token}"`)
}

function arrayIndex(list: unknown[], token: string, adding: boolean, fail: (why: string) => never): number {
  if (adding && token === '-') return list.length
  if (!/^(0|[1-9]\d*)$/.test(token)) fail(`"${token}" is not a list index`)
  const i = Number(token)
  if (i > list.length || (!adding && i === list.length)) {
    fail(`index ${i} is out of range (${list.length} items)`)
  }
  return i
}

function get(doc: unknown, path: readonly string[], fail: (why: string) => never): unknown {
  let node = doc
  for (const token of path) node = child(node, token, fail)
  return node
}

function add(doc: unknown, path: readonly string[], value: unknown, fail: (why: string) => never): unknown {
  if (path.length === 0) return value
  const parent = parentOf(doc, path, fail)
  const token = path[path.length - 1] as string
  if (Array.isArray(parent)) parent.splice(arrayIndex(parent, token, true, fail), 0, value)
  else if (isUnsafeKey(token)) fail(`"${token}" cannot be a member name`)
  else parent[token] = value
  return doc
}

function remove(
  doc: unknown,
  path: readonly string[],
  fail: (why: string) => never,
): { doc: unknown; value: unknown } {
  if (path.length === 0) return { doc: undefined, value: doc }
  const parent = parentOf(doc, path, fail)
  const token = path[path.length - 1] as string
  if (Array.isArray(parent)) {
    const [value] = parent.splice(arrayIndex(parent, token, false, fail), 1)
    return { doc, value }
  }
  if (!Object.hasOwn(parent, token)) fail(`no member "${token}"`)
  const value = parent[token]
  delete parent[token]
  return { doc, value }
}

/** `__proto__` and friends would change the object's prototype instead of adding a member. */
function isUnsafeKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype'
}

function describe(path: readonly string[]): string {
  return path.length === 0 ? 'the document' : `/${path.join('/')}`
}

/** JSON equality: same types, same members (in any order), same items in the same order. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => deepEqual(x, b[i]))
  }
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined)
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined)
  return (
    ka.length === kb.length &&
    ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  )
}
