import { isUtf8 } from 'node:buffer'

/** A line of a file that is not valid UTF-8: its number (1-based) and its first bad byte. */
export interface InvalidUtf8Line {
  readonly line: number
  /** The bad byte's position in the line, 1-based. */
  readonly byte: number
  readonly value: number
}

/**
 * The lines of a file that are not valid UTF-8, counted as the reader counts them (LF, CRLF or a lone
 * CR ends a line). Only called when the whole file failed the check: a valid file pays one native scan.
 */
export function invalidUtf8Lines(bytes: Uint8Array): Map<number, InvalidUtf8Line> {
  const bad = new Map<number, InvalidUtf8Line>()
  let line = 1
  let start = 0
  for (let i = 0; i <= bytes.length; i++) {
    const b = i < bytes.length ? bytes[i] : 10
    if (b !== 10 && b !== 13) continue
    const text = bytes.subarray(start, i)
    if (!isUtf8(text)) {
      const at = firstInvalidByte(text)
      bad.set(line, { line, byte: at + 1, value: text[at] ?? 0 })
    }
    if (b === 13 && bytes[i + 1] === 10) i++
    start = i + 1
    line++
  }
  return bad
}

/** The index of the first byte that does not begin or continue a valid UTF-8 sequence. */
function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i] as number
    const n =
      b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1
    if (n < 0) return i
    if (n > 0 && !isUtf8(bytes.subarray(i, i + n + 1))) return i
    i += n + 1
  }
  return Math.max(0, bytes.length - 1)
}
