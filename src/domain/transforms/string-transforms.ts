import { Buffer } from 'node:buffer'
import {
  compileJavaRegex,
  compileJavaReplacement,
  escapeRegex,
  javaSplit,
  replaceWith,
  type JavaReplacement,
} from './java-regex.js'
import type { Evaluator, TransformNode } from './transform-node.js'
import type { TransformValue } from './transform-types.js'

/** The common shape: read the input, return null for a null input, otherwise apply `fn`. */
function onInput(node: TransformNode, fn: (s: string) => TransformValue): Evaluator {
  const input = node.input()
  return (ctx) => {
    const v = input(ctx)
    return v === null ? null : fn(v)
  }
}

export const compileLower = (node: TransformNode): Evaluator => onInput(node, (s) => s.toLowerCase())
export const compileUpper = (node: TransformNode): Evaluator => onInput(node, (s) => s.toUpperCase())
// JavaScript's trim also removes non-breaking and other Unicode spaces, which HR exports are full of;
// Java's String.trim() only removes characters up to U+0020.
export const compileTrim = (node: TransformNode): Evaluator => onInput(node, (s) => s.trim())

/** NFKD, then every character of the Combining Diacritical Marks block removed, as the reference does. */
export const compileDecomposeDiacriticalMarks = (node: TransformNode): Evaluator =>
  onInput(node, (s) => s.normalize('NFKD').replace(/[\u0300-\u036f]/g, ''))

export const compileBase64Encode = (node: TransformNode): Evaluator =>
  onInput(node, (s) => Buffer.from(s, 'utf8').toString('base64'))

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/
const BASE64_URL = /^[A-Za-z0-9_-]*={0,2}$/

/** Decodes standard (or URL-safe) Base64 to UTF-8 text; whitespace is ignored, other input is an error. */
export function compileBase64Decode(node: TransformNode): Evaluator {
  return onInput(node, (s) => {
    const text = s.replace(/\s+/g, '')
    const url = !BASE64.test(text)
    if ((url && !BASE64_URL.test(text)) || text.replace(/=+$/, '').length % 4 === 1) {
      throw node.error(
        `input is not valid Base64: ${JSON.stringify(s.length > 40 ? s.slice(0, 40) + '…' : s)}`,
      )
    }
    return Buffer.from(text, url ? 'base64url' : 'base64').toString('utf8')
  })
}

/**
 * `leftPad` / `rightPad` (Apache Commons `StringUtils.leftPad` semantics): pad with `padding` (default
 * one space; a longer padding string is repeated and cut) up to `length`; longer input is unchanged.
 */
function compilePad(node: TransformNode, left: boolean): Evaluator {
  const length = node.integer('length')
  if (length < 0) throw node.error(`${node.attributePath('length')} must not be negative`)
  const padding = node.string('padding', ' ') || ' '
  return onInput(node, (s) => {
    const missing = length - s.length
    if (missing <= 0) return s
    const pad = padding.repeat(Math.ceil(missing / padding.length)).slice(0, missing)
    return left ? pad + s : s + pad
  })
}
export const compileLeftPad = (node: TransformNode): Evaluator => compilePad(node, true)
export const compileRightPad = (node: TransformNode): Evaluator => compilePad(node, false)

/**
 * `substring`: `begin` (-1 means 0; otherwise `beginOffset` is added), `end` (exclusive; absent or -1
 * means the end of the input; otherwise `endOffset` is added). Indices past the end are clamped to the
 * input's length, so "the first 8 characters" of a shorter name is the whole name (Java would throw;
 * the docs are silent); a begin after the end is an error.
 */
export function compileSubstring(node: TransformNode): Evaluator {
  const begin = node.integer('begin')
  const beginOffset = node.integer('beginOffset', 0)
  const end = node.has('end') ? node.integer('end') : -1
  const endOffset = node.integer('endOffset', 0)
  const from = begin === -1 ? 0 : begin + beginOffset
  if (from < 0) throw node.error(`begin ${from} is negative`)
  return onInput(node, (s) => {
    const to = end === -1 ? s.length : Math.min(end + endOffset, s.length)
    const start = Math.min(from, s.length)
    if (to < start) throw node.error(`begin ${start} is after end ${to} for ${JSON.stringify(s)}`)
    return s.substring(start, to)
  })
}

/** `indexOf` / `lastIndexOf`: the position as text, "-1" when absent. */
function compileIndexOf(node: TransformNode, last: boolean): Evaluator {
  const needle = node.string('substring')
  return onInput(node, (s) => String(last ? s.lastIndexOf(needle) : s.indexOf(needle)))
}
export const compileIndexOfTransform = (node: TransformNode): Evaluator => compileIndexOf(node, false)
export const compileLastIndexOf = (node: TransformNode): Evaluator => compileIndexOf(node, true)

/**
 * `split`: Java `String.split` on `delimiter`, then the element at `index`. A one-character delimiter is
 * taken literally (the docs call it "a single character", and `.` or `|` as a regex would split on
 * everything); a longer one is a regex. Out of range: an error when `throws` (default true), else null.
 */
export function compileSplit(node: TransformNode): Evaluator {
  const delimiterText = node.string('delimiter')
  if (delimiterText === '') throw node.error(`${node.attributePath('delimiter')} must not be empty`)
  const index = node.integer('index')
  if (index < 0) throw node.error(`${node.attributePath('index')} must not be negative`)
  const throws = node.boolean('throws', true)
  const delimiter =
    delimiterText.length === 1
      ? new RegExp(escapeRegex(delimiterText), 'g')
      : regex(node, 'delimiter', delimiterText)
  return onInput(node, (s) => {
    const parts = javaSplit(s, delimiter)
    const part = parts[index]
    if (part !== undefined) return part
    if (!throws) return null
    throw node.error(`IndexOutOfBoundsException: index ${index} out of bounds for length ${parts.length}`)
  })
}

/** `replace`: every match of `regex` replaced by `replacement` (Java syntax: `$1` is a group). */
export function compileReplace(node: TransformNode): Evaluator {
  const re = regex(node, 'regex', node.string('regex'))
  const replacement = replacer(node, 'replacement', node.string('replacement'))
  return onInput(node, (s) => replaceWith(s, re, replacement))
}

/**
 * `replaceAll`: each `table` key is a regex whose matches are replaced by its value, in table order.
 * A missing or empty table returns the input unchanged.
 */
export function compileReplaceAll(node: TransformNode): Evaluator {
  const table = node.raw('table')
  if (table !== undefined && table !== null && (typeof table !== 'object' || Array.isArray(table))) {
    throw node.error(`${node.attributePath('table')} must be an object of regex → replacement`)
  }
  const rules = Object.entries((table ?? {}) as Record<string, unknown>).map(([pattern, replacement]) => {
    const path = `table[${JSON.stringify(pattern)}]`
    if (typeof replacement !== 'string') throw node.error(`${node.attributePath(path)} must be a string`)
    return { re: regex(node, path, pattern), replace: replacer(node, path, replacement) }
  })
  return onInput(node, (s) => {
    let out = s
    for (const r of rules) out = replaceWith(out, r.re, r.replace)
    return out
  })
}

function regex(node: TransformNode, key: string, source: string): RegExp {
  try {
    return compileJavaRegex(source)
  } catch (err) {
    throw node.error(`${node.attributePath(key)} is not a valid regex ${JSON.stringify(source)}`, err)
  }
}

function replacer(node: TransformNode, key: string, replacement: string): JavaReplacement {
  try {
    return compileJavaReplacement(replacement)
  } catch (err) {
    throw node.error(
      `${node.attributePath(key)} is not a valid replacement ${JSON.stringify(replacement)}`,
      err,
    )
  }
}
