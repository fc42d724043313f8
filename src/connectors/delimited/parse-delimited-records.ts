/** How delimited text is split into records. */
export interface DelimitedSyntax {
  readonly delimiter: string
  readonly quoteChar: string
  /** Whether a quoted field may hold line breaks; when not, such a record is refused. */
  readonly multilineFields: boolean
  /** The header's column names, once it is read: they name columns in messages, and their count is a record's. */
  readonly header: () => readonly string[] | undefined
}

/** A record, with the lines it starts and ends on (1-based; they differ when a quoted field holds line breaks). */
export interface DelimitedRecord {
  readonly fields: string[]
  readonly line: number
  readonly endLine: number
}

/** A record that cannot be split safely, with its lines and the raw text of those lines. */
export interface RefusedRecord {
  readonly line: number
  readonly endLine: number
  readonly message: string
  /** The physical lines the refused record covers, as they are in the file. */
  readonly lines: readonly string[]
}

const LF = 10
const CR = 13

/**
 * Splits delimited text into records. Line breaks are LF, CRLF or a lone CR (old Mac exports), blank
 * lines are skipped, and a quote inside an unquoted field is an ordinary character. A stray quote
 * would otherwise swallow the rows after it into one field: so a quoted field that runs over several
 * lines is refused unless multi-line fields are allowed, and even then when its lines look like whole
 * records; a quote that never closes refuses its own line only, and reading goes on at the next one.
 */
export function parseDelimitedRecords(
  text: string,
  syntax: DelimitedSyntax,
  onRecord: (record: DelimitedRecord) => void,
  onRefused: (refused: RefusedRecord) => void,
): void {
  const d = syntax.delimiter.charCodeAt(0)
  const q = syntax.quoteChar.charCodeAt(0)
  const len = text.length
  let i = 0
  let line = 1
  while (i < len) {
    const c0 = text.charCodeAt(i)
    if (c0 === LF || c0 === CR) {
      i += c0 === CR && text.charCodeAt(i + 1) === LF ? 2 : 1
      line++
      continue
    }
    const start = i
    const startLine = line
    const fields: string[] = []
    let problem: string | undefined
    let unclosed = false
    for (;;) {
      if (text.charCodeAt(i) === q) {
        // A quoted field: up to the next quote not doubled.
        const open = i
        let value = ''
        let from = i + 1
        let close = -1
        for (;;) {
          const k = text.indexOf(syntax.quoteChar, from)
          if (k < 0) break
          if (text.charCodeAt(k + 1) === q) {
            value += text.slice(from, k + 1)
            from = k + 2
            continue
          }
          value += text.slice(from, k)
          close = k
          break
        }
        if (close < 0) {
          // Nothing closes it: only its own line is refused, and the next line is read afresh.
          const end = lineEnd(text, start)
          onRefused({
            line: startLine,
            endLine: startLine,
            message: `${columnLabel(syntax, fields.length)}: a quote opens a field that never closes`,
            lines: [text.slice(start, end)],
          })
          i = end
          line = startLine
          unclosed = true
          break
        }
        const breaks = countLineBreaks(text, open, close)
        if (breaks > 0 && problem === undefined) {
          if (!syntax.multilineFields) {
            problem =
              `${columnLabel(syntax, fields.length)}: a quoted field runs over lines ${line}-${line + breaks} ` +
              '(a stray quote joins rows; set connectorAttributes.multilineFields: true if fields hold line breaks)'
          } else if (holdsWholeRecord(value, d, syntax.header()?.length)) {
            problem =
              `${columnLabel(syntax, fields.length)}: a quoted field runs over lines ${line}-${line + breaks} ` +
              'and its lines look like whole records (a stray quote joins rows)'
          }
        }
        line += breaks
        fields.push(value)
        i = close + 1
        const c = text.charCodeAt(i)
        if (c === d) {
          i++
          continue
        }
        if (i >= len || c === LF || c === CR) break
        // Text after a closing quote: the quote was not what opened the field.
        problem ??= `${columnLabel(syntax, fields.length - 1)}: text after the closing quote (a stray quote in the field?)`
        i = lineEnd(text, i)
        break
      }
      let j = i
      for (; j < len; j++) {
        const c = text.charCodeAt(j)
        if (c === d || c === LF || c === CR) break
      }
      fields.push(text.slice(i, j))
      i = j
      if (j < len && text.charCodeAt(j) === d) {
        i++
        continue
      }
      break
    }
    if (unclosed) continue
    if (problem !== undefined) {
      onRefused({ line: startLine, endLine: line, message: problem, lines: splitLines(text.slice(start, i)) })
    } else {
      onRecord({ fields, line: startLine, endLine: line })
    }
  }
}

/** `column 3 ("title")`: the column's position, and its name once the header is read. */
export function columnLabel(syntax: Pick<DelimitedSyntax, 'header'>, index: number): string {
  const name = syntax.header()?.[index]
  return `column ${index + 1}${name !== undefined && name !== '' ? ` (${JSON.stringify(name)})` : ''}`
}

/** Where the physical line that `from` is on ends (its line break, or the end of the text). */
function lineEnd(text: string, from: number): number {
  for (let j = from; j < text.length; j++) {
    const c = text.charCodeAt(j)
    if (c === LF || c === CR) return j
  }
  return text.length
}

function countLineBreaks(text: string, from: number, to: number): number {
  let n = 0
  for (let j = from; j < to; j++) {
    const c = text.charCodeAt(j)
    if (c === LF) n++
    else if (c === CR && text.charCodeAt(j + 1) !== LF) n++
  }
  return n
}

function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/)
}

/**
 * Whether a multi-line field holds a whole record: a line inside it (not its first or last, which
 * share their line with other fields) with a record's count of delimiters. An address or a note
 * seldom has that shape; rows that a stray quote joined always do.
 */
function holdsWholeRecord(value: string, delimiter: number, columns: number | undefined): boolean {
  const lines = splitLines(value)
  const needed = Math.max(1, (columns ?? 2) - 1)
  for (let k = 1; k < lines.length - 1; k++) {
    const l = lines[k] as string
    let n = 0
    for (let j = 0; j < l.length; j++) if (l.charCodeAt(j) === delimiter) n++
    if (n >= needed) return true
  }
  return false
}
