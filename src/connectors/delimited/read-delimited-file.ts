import { isUtf8 } from 'node:buffer'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { isAbsolute, resolve } from 'node:path'
import type { SourceConfig } from '../../domain/config/config-schemas.js'
import { accountSchemaOf } from '../../domain/config/workspace-config.js'
import { unstorableText } from '../../domain/aggregation/unstorable-text.js'
import { InputError } from '../../domain/errors.js'
import type { AttributeValue, SourceAccount } from '../../domain/model.js'
import type { RecordFileRead, RowError } from '../connector.js'
import { delimitedFileAttributesSchema, type DelimitedFileAttributes } from './delimited-file-attributes.js'
import { invalidUtf8Lines, type InvalidUtf8Line } from './invalid-utf8-lines.js'
import { columnLabel, parseDelimitedRecords, type DelimitedSyntax } from './parse-delimited-records.js'

/** The parts of a source's configuration a delimited file is read with. */
export type DelimitedSource = Pick<SourceConfig, 'name' | 'connectorAttributes' | 'schemas'>

/** Where a delimited source's file is: `--file`, else `connectorAttributes.file` relative to the workspace. */
export function delimitedFilePath(
  source: Pick<SourceConfig, 'connectorAttributes'>,
  workspaceDir: string,
  override?: string,
): string {
  const attrs = delimitedAttributes(source)
  const file = override ?? attrs.file
  return isAbsolute(file) ? file : resolve(override ? process.cwd() : workspaceDir, file)
}

export function delimitedAttributes(
  source: Pick<SourceConfig, 'connectorAttributes'>,
): DelimitedFileAttributes {
  return delimitedFileAttributesSchema.parse(source.connectorAttributes)
}

/**
 * Reads a delimited (CSV) account file against the source's account schema. A bad row is reported
 * with its line and skipped, and the ids it may hold are named so those accounts are kept; every other
 * row is read. Only a file that cannot be read at all (missing, empty, a bad header) throws.
 */
export async function readDelimitedFile(source: DelimitedSource, path: string): Promise<RecordFileRead> {
  if (!existsSync(path)) throw new InputError(`source "${source.name}": file not found: ${path}`)
  const attrs = delimitedAttributes(source)
  const schema = accountSchemaOf(source)
  const accounts: SourceAccount[] = []
  const errors: RowError[] = []
  const seen = new Map<string, number>()
  const { text, badLines } = decode(await readFile(path), attrs.encoding)
  // Text decoded from bytes has no lone surrogates; a NUL is the one character the store refuses.
  const hasNul = text.includes('\u0000')

  let header: string[] | undefined
  let columns: { index: number; name: string; multi: boolean }[] = []
  let idIndex = -1
  let displayIndex = -1
  const syntax: DelimitedSyntax = {
    delimiter: attrs.delimiter,
    quoteChar: attrs.quoteChar,
    multilineFields: attrs.multilineFields,
    header: () => header,
  }
  const where = `source "${source.name}": ${path}`
  const refuse = (line: number, endLine: number, message: string, ids: Iterable<string>) => {
    const [nativeIdentity, ...otherIds] = new Set([...ids].filter((id) => id !== '' && !unstorableText(id)))
    errors.push({
      line,
      ...(endLine !== line ? { endLine } : {}),
      message,
      ...(nativeIdentity !== undefined ? { nativeIdentity } : {}),
      ...(otherIds.length > 0 ? { otherIds } : {}),
    })
  }
  parseDelimitedRecords(
    text,
    syntax,
    ({ fields, line, endLine }) => {
      if (header === undefined) {
        header = readHeader(fields, line, where, badLines, attrs.encoding)
        const byName = new Map(header.map((h, i) => [h, i]))
        idIndex = byName.get(schema.identityAttribute) ?? -1
        if (idIndex < 0) {
          throw new InputError(
            `${where}: the header has no "${schema.identityAttribute}" column (the account id)`,
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
      if (fields.length !== header.length) {
        const trailing = fields.length === header.length + 1 && fields[fields.length - 1]?.trim() === ''
        refuse(
          line,
          endLine,
          `expected ${header.length} columns, found ${fields.length}` +
            (trailing ? ' (the row ends with a delimiter)' : ''),
          idsOfMisshapenRecord(fields, idIndex, header.length, attrs.delimiter),
        )
        return
      }
      const nativeIdentity = (fields[idIndex] ?? '').trim()
      const problem =
        (badLines.size > 0 ? encodingProblem(badLines, line, endLine, attrs.encoding) : undefined) ??
        fieldProblem(fields, syntax, attrs.maxFieldLength, hasNul)
      if (problem !== undefined) {
        refuse(line, endLine, problem, nativeIdentity.includes('\ufffd') ? [] : [nativeIdentity])
        return
      }
      if (nativeIdentity === '') {
        refuse(line, endLine, `the account id column "${schema.identityAttribute}" is empty`, [])
        return
      }
      const first = seen.get(nativeIdentity)
      if (first !== undefined) {
        refuse(
          line,
          endLine,
          `duplicate account id ${JSON.stringify(nativeIdentity)} (first on line ${first})`,
          [],
        )
        return
      }
      seen.set(nativeIdentity, line)
      const attributes: Record<string, AttributeValue> = {}
      for (const c of columns) {
        const raw = (fields[c.index] ?? '').trim()
        if (raw === '') continue
        attributes[c.name] = c.multi ? splitMulti(raw, attrs.multiValueDelimiter) : raw
      }
      const display = displayIndex >= 0 ? (fields[displayIndex] ?? '').trim() : ''
      accounts.push({ nativeIdentity, displayName: display === '' ? nativeIdentity : display, attributes })
    },
    (refused) => {
      if (header === undefined) {
        throw new InputError(`${where}:${refused.line}: the header: ${refused.message}`)
      }
      // The refused lines after the first are rows a stray quote swallowed when they have a row's shape.
      const columnCount = header.length
      const ids = refused.lines
        .map((l) => l.split(attrs.delimiter))
        .filter((fields, k) => k === 0 || fields.length >= columnCount)
        .flatMap((fields) => idsOfMisshapenRecord(fields, idIndex, columnCount, attrs.delimiter))
      refuse(
        refused.line,
        refused.endLine,
        refused.message,
        ids.map((id) => unquote(id, attrs.quoteChar)),
      )
    },
  )
  if (header === undefined) throw new InputError(`${where} is empty (no header row)`)
  errors.sort((a, b) => a.line - b.line)
  return { file: path, accounts, errors }
}

/** The file's text, and the lines whose bytes are not valid in its encoding (then decoded with U+FFFD). */
function decode(
  bytes: Buffer,
  encoding: DelimitedFileAttributes['encoding'],
): { text: string; badLines: Map<number, InvalidUtf8Line> } {
  // A UTF-8 byte-order mark is dropped whatever the encoding says: read as latin1 it would rename the first column.
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0
  const body = bytes.subarray(bom)
  if (encoding === 'latin1') return { text: body.toString('latin1'), badLines: new Map() }
  return { text: body.toString('utf8'), badLines: isUtf8(body) ? new Map() : invalidUtf8Lines(body) }
}

function encodingProblem(
  badLines: ReadonlyMap<number, InvalidUtf8Line>,
  line: number,
  endLine: number,
  encoding: string,
): string | undefined {
  for (let l = line; l <= endLine; l++) {
    const bad = badLines.get(l)
    if (bad === undefined) continue
    const hex = bad.value.toString(16).toUpperCase().padStart(2, '0')
    return (
      `line ${l} is not valid ${encoding} (byte ${bad.byte} of the line is 0x${hex}); ` +
      'if the file is in another encoding, set connectorAttributes.encoding (e.g. latin1)'
    )
  }
  return undefined
}

/** Why a record's fields cannot be stored as they are: one too long, or one holding a NUL. */
function fieldProblem(
  fields: readonly string[],
  syntax: DelimitedSyntax,
  maxFieldLength: number,
  hasNul: boolean,
): string | undefined {
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i] as string
    if (f.length > maxFieldLength) {
      return `${columnLabel(syntax, i)} has ${f.length} characters, more than maxFieldLength (${maxFieldLength})`
    }
    const unstorable = hasNul ? unstorableText(f) : undefined
    if (unstorable !== undefined) {
      return `${columnLabel(syntax, i)} ${unstorable}, which the store cannot hold`
    }
  }
  return undefined
}

/** The header's column names: every name once (a second "title" would silently win or lose). */
function readHeader(
  fields: readonly string[],
  line: number,
  where: string,
  badLines: ReadonlyMap<number, InvalidUtf8Line>,
  encoding: string,
): string[] {
  const problem = encodingProblem(badLines, line, line, encoding)
  if (problem !== undefined) throw new InputError(`${where}:${line}: the header: ${problem}`)
  const names = fields.map((h) => h.trim())
  const first = new Map<string, number>()
  for (const [i, name] of names.entries()) {
    if (name === '') continue
    const j = first.get(name)
    if (j !== undefined) {
      throw new InputError(
        `${where}:${line}: columns ${j + 1} and ${i + 1} are both named ${JSON.stringify(name)}`,
      )
    }
    first.set(name, i)
  }
  return names
}

/**
 * The account ids a record with the wrong number of fields may hold: the id column counted from the
 * left and from the right (a stray delimiter before or after it), and the id column joined with the
 * extra fields (a stray delimiter inside the id). Keeping an account that is not there costs nothing;
 * deleting one that is costs someone's access.
 */
function idsOfMisshapenRecord(
  fields: readonly string[],
  idIndex: number,
  columns: number,
  delimiter: string,
): string[] {
  const ids = [fields[idIndex], fields[fields.length - (columns - idIndex)]]
  const extra = fields.length - columns
  if (extra > 0) {
    const spread = fields.slice(idIndex, idIndex + extra + 1)
    ids.push(spread.join(''), spread.join(delimiter))
  }
  return ids.filter((id): id is string => id !== undefined).map((id) => id.trim())
}

function unquote(value: string, quoteChar: string): string {
  const v = value.trim()
  return v.length >= 2 && v.startsWith(quoteChar) && v.endsWith(quoteChar)
    ? v.slice(1, -1)
    : v.replaceAll(quoteChar, '')
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
