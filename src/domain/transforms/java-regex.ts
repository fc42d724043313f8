/**
 * The reference product's regex-taking transforms (`replace`, `replaceAll`, `split`) use
 * `java.util.regex`. JavaScript's syntax is close; this file bridges the differences users actually
 * write: leading inline flags (`(?i)`), `\A` / `\z` / `\Z`, the POSIX and block classes
 * (`\p{Alpha}`, `\p{InCombiningDiacriticalMarks}`…), Java's replacement syntax (`$1`, `${name}`,
 * `\$`), and `String.split`'s rules (no captured groups in the result, trailing empty strings removed).
 */

const POSIX_CLASSES: Readonly<Record<string, string>> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: ' \\t\\n\\x0B\\f\\r',
  InCombiningDiacriticalMarks: '\\u0300-\\u036F',
  javaLowerCase: '\\p{Ll}',
  javaUpperCase: '\\p{Lu}',
}

/** Translates a Java regex to a JavaScript one; throws a SyntaxError when it is not valid. */
export function compileJavaRegex(source: string, global = true): RegExp {
  let flags = global ? 'g' : ''
  let body = source
  const inline = /^\(\?([imsux]+)\)/.exec(body)
  if (inline?.[1] !== undefined) {
    for (const f of inline[1]) if ((f === 'i' || f === 'm' || f === 's') && !flags.includes(f)) flags += f
    body = body.slice(inline[0].length)
  }
  body = translateClasses(body)
  // Unicode mode is needed for \p{L}; some Java-valid patterns (e.g. `\-` outside a class) are not valid
  // in it, so fall back to the legacy mode, whose syntax is closer to Java's.
  try {
    return new RegExp(body, flags + 'u')
  } catch {
    return new RegExp(body, flags)
  }
}

function translateClasses(body: string): string {
  let out = ''
  let inClass = false
  for (let i = 0; i < body.length; i++) {
    const c = body[i]
    if (c === '\\' && i + 1 < body.length) {
      const n = body[i + 1]
      if ((n === 'p' || n === 'P') && body[i + 2] === '{') {
        const end = body.indexOf('}', i + 3)
        const name = end > 0 ? body.slice(i + 3, end).replace(/^Is/, '') : ''
        const range = POSIX_CLASSES[name]
        const negate = n === 'P'
        // A negated class inside [...] cannot be inlined as a range; leave it to the engine.
        if (range !== undefined && !(inClass && negate)) {
          out += inClass ? range : `[${negate ? '^' : ''}${range}]`
          i = end
          continue
        }
      }
      if (!inClass && n === 'A') {
        out += '^'
        i++
        continue
      }
      if (!inClass && (n === 'z' || n === 'Z')) {
        out += '$'
        i++
        continue
      }
      out += c + n
      i++
      continue
    }
    if (c === '[') inClass = true
    else if (c === ']') inClass = false
    out += c
  }
  return out
}

type ReplacementPart = string | number | { readonly group: string }

/** A compiled replacement: JavaScript replacement text (no group references), or a replacer function. */
export type JavaReplacement = string | ((match: string, ...rest: unknown[]) => string)

/** `text.replace(re, replacement)` for either form of a compiled replacement. */
export function replaceWith(text: string, re: RegExp, replacement: JavaReplacement): string {
  return typeof replacement === 'string' ? text.replace(re, replacement) : text.replace(re, replacement)
}

/**
 * Compiles a Java `Matcher.replaceAll` replacement (`$1`, `${name}`, `\$` for a literal dollar) into a
 * function usable with `String.prototype.replace`. Throws on a dangling `$` or `\`, as Java does.
 */
export function compileJavaReplacement(replacement: string): JavaReplacement {
  const parts: ReplacementPart[] = []
  let literal = ''
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i]
    if (c === '\\') {
      if (i + 1 >= replacement.length) throw new SyntaxError('character to be escaped is missing')
      literal += replacement[++i]
    } else if (c === '$') {
      const rest = replacement.slice(i + 1)
      const named = /^\{([A-Za-z][A-Za-z0-9]*)\}/.exec(rest)
      const numbered = /^\d/.exec(rest)
      if (named?.[1] !== undefined) {
        if (literal) parts.push(literal)
        literal = ''
        parts.push({ group: named[1] })
        i += named[0].length
      } else if (numbered) {
        if (literal) parts.push(literal)
        literal = ''
        parts.push(Number(numbered[0]))
        i += 1
      } else {
        throw new SyntaxError('illegal group reference')
      }
    } else {
      literal += c
    }
  }
  if (literal) parts.push(literal)
  if (parts.length === 0) return () => ''
  if (parts.length === 1 && typeof parts[0] === 'string') {
    const text = parts[0]
    return () => text
  }
  return (match, ...rest) => {
    // String.replace passes (match, g1…gn, offset, input[, groups]).
    const last = rest[rest.length - 1]
    const named =
      typeof last === 'object' && last !== null ? (last as Record<string, string | undefined>) : {}
    const groupCount = rest.length - (typeof last === 'object' && last !== null ? 3 : 2)
    let out = ''
    for (const p of parts) {
      if (typeof p === 'string') out += p
      else if (typeof p === 'number') {
        if (p === 0) out += match
        else if (p <= groupCount) out += (rest[p - 1] as string | undefined) ?? ''
        else throw new SyntaxError(`no group ${p}`)
      } else out += named[p.group] ?? ''
    }
    return out
  }
}

/** Java's `String.split(regex)`: captured groups are not returned and trailing empty strings are removed. */
export function javaSplit(text: string, delimiter: RegExp): string[] {
  if (text === '') return ['']
  const parts: string[] = []
  const re = delimiter.global ? delimiter : new RegExp(delimiter.source, delimiter.flags + 'g')
  re.lastIndex = 0
  let start = 0
  let m: RegExpExecArray | null
  while ((m = re.exec(text)) !== null) {
    const end = m.index
    if (m[0].length === 0) {
      re.lastIndex++
      // A zero-width match at the very beginning never yields a leading empty string (Java 8+).
      if (end === 0 || end >= text.length) continue
    }
    parts.push(text.slice(start, end))
    start = end + m[0].length
    if (re.lastIndex > text.length) break
  }
  parts.push(text.slice(start))
  let n = parts.length
  while (n > 0 && parts[n - 1] === '') n--
  return parts.slice(0, n)
}

/** Escapes text so it matches itself inside a RegExp. */
export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')
}
