import { createReadStream, existsSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import { parse } from 'csv-parse'
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

  const parser = createReadStream(path, { encoding: attrs.encoding === 'latin1' ? 'latin1' : 'utf8' }).pipe(
    parse({
      bom: true,
      delimiter: attrs.delimiter,
      quote: attrs.quoteChar,
      info: true,
      // Stray quotes are kept as text, and column counts are checked here, so that one bad row
      // never swallows the rows after it.
      relax_quotes: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
    }),
  )
  parser.on('skip', (err: Error & { lines?: number }) => {
    errors.push({ line: err.lines ?? 0, message: err.message })
  })

  let header: string[] | undefined
  let columns: { index: number; name: string; multi: boolean }[] = []
  let idIndex = -1
  let displayIndex = -1
  let previousEnd = 0
  for await (const { record, info } of parser as AsyncIterable<{
    record: string[]
    info: { lines: number }
  }>) {
    // info.lines is where the record ends; a quoted field may span lines, so it starts after the previous one.
    const line = previousEnd + 1
    previousEnd = info.lines
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
      columns = schema.attributes
        .filter((a) => byName.has(a.name))
        .map((a) => ({ index: byName.get(a.name) as number, name: a.name, multi: a.isMulti }))
      continue
    }
    if (record.length !== header.length) {
      const id = (record[idIndex] ?? '').trim()
      errors.push({
        line,
        message: `expected ${header.length} columns, found ${record.length}`,
        ...(id !== '' ? { nativeIdentity: id } : {}),
      })
      continue
    }
    const nativeIdentity = (record[idIndex] ?? '').trim()
    if (nativeIdentity === '') {
      errors.push({ line, message: `the account id column "${schema.identityAttribute}" is empty` })
      continue
    }
    const first = seen.get(nativeIdentity)
    if (first !== undefined) {
      errors.push({ line, message: `duplicate account id "${nativeIdentity}" (first on line ${first})` })
      continue
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
  }
  if (header === undefined) throw new InputError(`source "${source.name}": ${path} is empty (no header row)`)
  errors.sort((a, b) => a.line - b.line)
  return { file: path, accounts, errors }
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
