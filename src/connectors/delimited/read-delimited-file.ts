import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { isAbsolute, resolve } from 'node:path'
import Papa from 'papaparse'
import type { DelimitedFileAttributes, SourceConfig } from '../../domain/config/config-schemas.js'
import { delimitedFileAttributesSchema } from '../../domain/config/config-schemas.js'
import { accountSchemaOf } from '../../domain/config/workspace-config.js'
import { InputError } from '../../domain/errors.js'
import type { AttributeValue, SourceAccount } from '../../domain/model.js'

/** A row that could not be read, with its line number in the file (1-based, the header is line 1). */
export interface RowError {
  readonly line: number
  readonly message: string
  /** The account id on the bad row, when it could be read: that account is kept, not deleted. */
  readonly nativeIdentity?: string
}

export interface DelimitedFileRead {
  readonly file: string
  readonly accounts: SourceAccount[]
  readonly errors: RowError[]
}

/** Where a delimited source's file is: `--file`, else `connectorAttributes.file` relative to the workspace. */
export function delimitedFilePath(source: SourceConfig, workspaceDir: string, override?: string): string {
  const attrs = delimitedAttributes(source)
  const file = override ?? attrs.file
  return isAbsolute(file) ? file : resolve(override ? process.cwd() : workspaceDir, file)
}

export function delimitedAttributes(source: SourceConfig): DelimitedFileAttributes {
  return delimitedFileAttributesSchema.parse(source.connectorAttributes)
}

/**
 * Reads a delimited (CSV) account file against the source's account schema. A bad row is reported
 * with its line and skipped; every other row is read. Only a file that cannot be read at all (missing,
 * no header, no account-id column) throws.
 */
export async function readDelimitedFile(source: SourceConfig, path: string): Promise<DelimitedFileRead> {
  if (!existsSync(path)) throw new InputError(`source "${source.name}": file not found: ${path}`)
  const attrs = delimitedAttributes(source)
  const schema = accountSchemaOf(source)
  const accounts: SourceAccount[] = []
  const errors: RowError[] = []
  const seen = new Map<string, number>()
  let text = await readFile(path, attrs.encoding === 'latin1' ? 'latin1' : 'utf8')
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)

  let header: string[] | undefined
  let columns: { index: number; name: string; multi: boolean }[] = []
  let idIndex = -1
  let displayIndex = -1
  parseRows(
    text,
    1,
    attrs,
    (record, line) => {
      if (header === undefined) {
        header = record.map((h) => h.trim())
        const byName = new Map(header.map((h, i) => [h, i]))
        idIndex = byName.get(schema.identityAttribute) ?? -1
        if (idIndex < 0) {
          throw new InputError(
            `source "${source.name}": ${path}: the header has no "${schema.identityAttribute}" column (the account id)`,
          )
        }
        displayIndex = schema.displayAttribute ? (byName.get(schema.displayAttribute) ?? -1) : -1
        // Sorted by name, so every account's attributes serialise (and hash) in one order.
        columns = schema.attributes
          .filter((a) => byName.has(a.name))
          .map((a) => ({ index: byName.get(a.name) as number, name: a.name, multi: a.isMulti }))
          .sort((a, b) => (a.name < b.name ? -1 : 1))
        return
      }
      if (record.length !== header.length) {
        const id = (record[idIndex] ?? '').trim()
        errors.push({
          line,
          message: `expected ${header.length} columns, found ${record.length}`,
          ...(id !== '' ? { nativeIdentity: id } : {}),
        })
        return
      }
      const nativeIdentity = (record[idIndex] ?? '').trim()
      if (nativeIdentity === '') {
        errors.push({ line, message: `the account id column "${schema.identityAttribute}" is empty` })
        return
      }
      const first = seen.get(nativeIdentity)
      if (first !== undefined) {
        errors.push({ line, message: `duplicate account id "${nativeIdentity}" (first on line ${first})` })
        return
      }
      seen.set(nativeIdentity, line)
      const attributes: Record<string, AttributeValue> = {}
      for (const c of columns) {
        const raw = (record[c.index] ?? '').trim()
        if (raw === '') continue
        attributes[c.name] = c.multi ? splitMulti(raw, attrs.multiValueDelimiter) : raw
      }
      const display = displayIndex >= 0 ? (record[displayIndex] ?? '').trim() : ''
      accounts.push({ nativeIdentity, displayName: display === '' ? nativeIdentity : display, attributes })
    },
    (line, message) => errors.push({ line, message }),
  )
  if (header === undefined) throw new InputError(`source "${source.name}": ${path} is empty (no header row)`)
  errors.sort((a, b) => a.line - b.line)
  return { file: path, accounts, errors }
}

/**
 * Parses delimited text row by row, with the line each row starts on. A row with broken quoting
 * would swallow the rows after it (its open quote runs on), so that row alone is reported and the
 * text after its first line is parsed again: one bad row never hides the others.
 */
function parseRows(
  text: string,
  firstLine: number,
  attrs: DelimitedFileAttributes,
  onRow: (record: string[], line: number) => void,
  onError: (line: number, message: string) => void,
): void {
  let counted = 0
  let line = firstLine
  let start = 0
  let rest: { text: string; line: number } | undefined
  Papa.parse<string[]>(text, {
    delimiter: attrs.delimiter,
    quoteChar: attrs.quoteChar,
    escapeChar: attrs.quoteChar,
    skipEmptyLines: true,
    step: (row, parser) => {
      // Skipped blank lines sit before the row: its first line is after them.
      while (start < text.length && (text[start] === '\n' || text[start] === '\r')) start++
      line += countNewlines(text, counted, start)
      counted = start
      const quoteError = row.errors.find((e) => e.type === 'Quotes')
      if (quoteError) {
        const end = text.indexOf('\n', start)
        onError(line, `malformed quotes: ${quoteError.message.toLowerCase()}`)
        rest = end < 0 ? undefined : { text: text.slice(end + 1), line: line + 1 }
        parser.abort()
        return
      }
      onRow(row.data, line)
      start = row.meta.cursor
    },
  })
  if (rest) parseRows(rest.text, rest.line, attrs, onRow, onError)
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++
  return n
}

/** Multi-valued cells: split, trimmed, empty values dropped, duplicates removed, sorted for a stable hash. */
function splitMulti(raw: string, delimiter: string): string[] {
  const values = new Set<string>()
  for (const v of raw.split(delimiter)) {
    const t = v.trim()
    if (t !== '') values.add(t)
  }
  return [...values].sort()
}
