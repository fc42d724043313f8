import { compileJavaRegex, compileJavaReplacement, javaSplit, replaceWith } from './java-regex.js'

/**
 * `java.lang.String` methods that Velocity templates written for the reference product call
 * (`$fn.length()`, `$dept.equalsIgnoreCase('it')`, `$mail.replaceAll('@.*', '')`…) and that a JavaScript
 * string lacks or implements differently (`replace` replaces every occurrence in Java, `split` takes a
 * regex). Methods both share (`toUpperCase`, `substring`, `trim`, `startsWith`…) need no entry.
 */
const METHODS: Readonly<Record<string, (s: string, args: readonly unknown[]) => unknown>> = {
  length: (s) => s.length,
  isEmpty: (s) => s.length === 0,
  isBlank: (s) => s.trim().length === 0,
  equals: (s, [o]) => s === o,
  equalsIgnoreCase: (s, [o]) => typeof o === 'string' && s.toLowerCase() === o.toLowerCase(),
  contains: (s, [o]) => s.includes(String(o)),
  compareTo: (s, [o]) => compare(s, String(o)),
  compareToIgnoreCase: (s, [o]) => compare(s.toLowerCase(), String(o).toLowerCase()),
  matches: (s, [re]) => {
    const m = cachedRegex(String(re)).exec(s)
    return m !== null && m.index === 0 && m[0].length === s.length
  },
  replace: (s, [a, b]) => s.split(String(a)).join(String(b)),
  replaceAll: (s, [re, rep]) => replaceWith(s, cachedRegex(String(re)), compileJavaReplacement(String(rep))),
  replaceFirst: (s, [re, rep]) =>
    replaceWith(s, compileJavaRegex(String(re), false), compileJavaReplacement(String(rep))),
  split: (s, [re]) => javaSplit(s, cachedRegex(String(re))),
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

// Templates call these with constant patterns; a small cache keeps them from being rebuilt per render.
const regexCache = new Map<string, RegExp>()
function cachedRegex(source: string): RegExp {
  let re = regexCache.get(source)
  if (re === undefined) {
    if (regexCache.size > 256) regexCache.clear()
    re = compileJavaRegex(source)
    regexCache.set(source, re)
  }
  re.lastIndex = 0
  return re
}

interface MethodCall {
  readonly property: string
  readonly context: unknown
  readonly params: unknown[]
}

/** velocityjs `customMethodHandlers` entry that routes the methods above when called on a string. */
export const JAVA_STRING_METHOD_HANDLER = {
  uid: 'provisio: java.lang.String',
  match: ({ property, context }: MethodCall): boolean =>
    typeof context === 'string' && Object.hasOwn(METHODS, property),
  resolve: ({ property, context, params }: MethodCall): unknown => {
    const method = METHODS[property]
    return method === undefined ? undefined : method(context as string, params)
  },
}

/** Methods JavaScript strings share with `java.lang.String`, called natively. */
const SHARED = [
  'charAt',
  'codePointAt',
  'concat',
  'endsWith',
  'indexOf',
  'lastIndexOf',
  'startsWith',
  'substring',
  'toLowerCase',
  'toUpperCase',
  'toString',
  'trim',
]

/** Every string method a template may call (for the unsupported-method check). */
export const JAVA_STRING_METHOD_NAMES: ReadonlySet<string> = new Set([...Object.keys(METHODS), ...SHARED])
