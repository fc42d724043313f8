/**
 * `java.util.List` and `java.util.Map` methods that templates call and that velocityjs does not
 * provide itself (it has `get`, `put`, `size`, `add`, `remove`, `subList`, `keySet`, `entrySet`).
 * A list is a JavaScript array; a map is a plain object (`$identity`, a `{}` literal).
 */
const LIST: Readonly<Record<string, (list: readonly unknown[], args: readonly unknown[]) => unknown>> = {
  contains: (list, [o]) => list.some((x) => javaEquals(x, o)),
  isEmpty: (list) => list.length === 0,
  indexOf: (list, [o]) => list.findIndex((x) => javaEquals(x, o)),
  lastIndexOf: (list, [o]) => list.findLastIndex((x) => javaEquals(x, o)),
  containsAll: (list, [other]) =>
    Array.isArray(other) && other.every((o) => list.some((x) => javaEquals(x, o))),
}

const MAP: Readonly<Record<string, (map: Record<string, unknown>, args: readonly unknown[]) => unknown>> = {
  containsKey: (map, [k]) => typeof k === 'string' && Object.hasOwn(map, k),
  containsValue: (map, [v]) => Object.values(map).some((x) => javaEquals(x, v)),
  isEmpty: (map) => Object.keys(map).length === 0,
  values: (map) => Object.values(map),
}

function javaEquals(a: unknown, b: unknown): boolean {
  return a === b || (a !== null && b !== null && typeof a === typeof b && String(a) === String(b))
}

/** Methods velocityjs itself resolves on lists and maps (its built-in handlers). */
const BUILT_IN_LIST = ['get', 'size', 'add', 'remove', 'subList', 'set']
const BUILT_IN_MAP = ['get', 'put', 'size', 'remove', 'keySet', 'entrySet']

export const JAVA_LIST_METHOD_NAMES: ReadonlySet<string> = new Set([...Object.keys(LIST), ...BUILT_IN_LIST])
export const JAVA_MAP_METHOD_NAMES: ReadonlySet<string> = new Set([...Object.keys(MAP), ...BUILT_IN_MAP])

interface MethodCall {
  readonly property: string
  readonly context: unknown
  readonly params: unknown[]
}

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v)

/** velocityjs `customMethodHandlers` entry for the list and map methods above. */
export const JAVA_COLLECTION_METHOD_HANDLER = {
  uid: 'provisio: java.util.List/Map',
  match: ({ property, context }: MethodCall): boolean =>
    (Array.isArray(context) && Object.hasOwn(LIST, property)) ||
    // A map's own member of that name (a function the context provides) wins.
    (isMap(context) && Object.hasOwn(MAP, property) && !Object.hasOwn(context, property)),
  resolve: ({ property, context, params }: MethodCall): unknown => {
    if (Array.isArray(context)) return LIST[property]?.(context, params)
    return isMap(context) ? MAP[property]?.(context, params) : undefined
  },
}
