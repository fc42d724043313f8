import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readDelimitedFile } from '../src/connectors/delimited/read-delimited-file.js'
import { sourceSchema } from '../src/domain/config/config-schemas.js'
import { tempDir } from './support/temp-workspace.js'

const source = (attrs: Record<string, unknown> = {}) =>
  sourceSchema.parse({
    name: 'S',
    connectorAttributes: { file: 'x.csv', ...attrs },
    schemas: [
      {
        identityAttribute: 'id',
        displayAttribute: 'name',
        attributes: [
          { name: 'id' },
          { name: 'name' },
          { name: 'groups', isMulti: true, isEntitlement: true },
        ],
      },
    ],
  })

function file(text: string | Buffer): string {
  const path = join(tempDir(), 'x.csv')
  writeFileSync(path, text)
  return path
}

const ids = (r: { accounts: { nativeIdentity: string }[] }) => r.accounts.map((a) => a.nativeIdentity)

describe('readDelimitedFile', () => {
  it('reads quoted, multi-line and multi-valued cells with the configured delimiter and quote', async () => {
    const r = await readDelimitedFile(
      source({ delimiter: ';', quoteChar: "'", multiValueDelimiter: ',', multilineFields: true }),
      file("id;name;groups;extra\n1;'Doe; Jane';b, a ,a;x\n2;'Multi\nLine';;y\n3;Stray \"quote\";c;z\n"),
    )
    expect(r.errors).toEqual([])
    expect(r.accounts).toEqual([
      {
        nativeIdentity: '1',
        displayName: 'Doe; Jane',
        attributes: { id: '1', name: 'Doe; Jane', groups: ['a', 'b'] },
      },
      { nativeIdentity: '2', displayName: 'Multi\nLine', attributes: { id: '2', name: 'Multi\nLine' } },
      {
        nativeIdentity: '3',
        displayName: 'Stray "quote"',
        attributes: { id: '3', name: 'Stray "quote"', groups: ['c'] },
      },
    ])
  })

  it('reports each bad row with its line and reads the rest', async () => {
    const r = await readDelimitedFile(
      source({ multilineFields: true }),
      file('id,name,groups\n1,A,g\n2,B\n,C,g\n"4","Four\nlines",g\n1,Again,g\n5,E,g\n'),
    )
    expect(r.accounts.map((a) => a.nativeIdentity)).toEqual(['1', '4', '5'])
    expect(r.errors).toEqual([
      { line: 3, message: 'expected 3 columns, found 2', nativeIdentity: '2' },
      { line: 4, message: 'the account id column "id" is empty' },
      { line: 7, message: 'duplicate account id "1" (first on line 2)' },
    ])
  })

  it('reports a row with broken quotes alone, and reads the rows after it', async () => {
    const r = await readDelimitedFile(
      source({ multilineFields: true }),
      file('id,name,groups\n1,"Ann",g\n2,"Bo"b,g\n3,Cy,g\n\n4,"Ed\nmulti",g\n5,"unclosed,g\n6,Fa,g\n'),
    )
    expect(r.accounts.map((a) => [a.nativeIdentity, a.displayName])).toEqual([
      ['1', 'Ann'],
      ['3', 'Cy'],
      ['4', 'Ed\nmulti'],
      ['6', 'Fa'],
    ])
    expect(r.errors.map((e) => e.line)).toEqual([3, 8])
    expect(r.errors[0]?.message).toMatch(/column 2 \("name"\): text after the closing quote/)
    expect(r.errors[1]?.message).toMatch(/column 2 \("name"\): a quote opens a field that never closes/)
    expect(r.errors.map((e) => e.nativeIdentity)).toEqual(['2', '5'])
  })

  it('stops on a file without the account-id column', async () => {
    await expect(readDelimitedFile(source(), file('name,groups\nA,g\n'))).rejects.toThrow(
      /header has no "id" column/,
    )
    await expect(readDelimitedFile(source(), file(''))).rejects.toThrow(/empty/)
  })

  it('refuses a quoted field with a line break by default, naming its lines and the ids on them', async () => {
    const r = await readDelimitedFile(source(), file('id,name,groups\n1,A,g\n2,"Two\nlines",g\n3,C,g\n'))
    expect(ids(r)).toEqual(['1', '3'])
    expect(r.errors).toEqual([
      {
        line: 3,
        endLine: 4,
        message: expect.stringMatching(
          /^column 2 \("name"\): a quoted field runs over lines 3-4 .*multilineFields: true/,
        ) as unknown,
        nativeIdentity: '2',
      },
    ])
  })

  it('refuses rows that a stray pair of quotes joins, and keeps every id on their lines', async () => {
    // An unmatched quote in one title and another two rows later: three rows read as one of three columns.
    const text = 'id,name,groups\n1,A,g\n2,"Bad title,g\n3,C,g\n4,D title",g\n5,E,g\n'
    for (const multilineFields of [false, true]) {
      const r = await readDelimitedFile(source({ multilineFields }), file(text))
      expect(ids(r)).toEqual(['1', '5'])
      expect(r.errors).toHaveLength(1)
      expect(r.errors[0]).toMatchObject({ line: 3, endLine: 5, nativeIdentity: '2', otherIds: ['3', '4'] })
      expect(r.errors[0]?.message).toMatch(
        multilineFields ? /lines 3-5 and its lines look like whole records/ : /lines 3-5/,
      )
    }
  })

  it('refuses only the line whose quote never closes, to the end of the file', async () => {
    const r = await readDelimitedFile(source(), file('id,name,groups\n1,A,g\n2,"B,g\n3,C,g\n4,D,g'))
    expect(ids(r)).toEqual(['1', '3', '4'])
    expect(r.errors).toEqual([
      { line: 3, message: 'column 2 ("name"): a quote opens a field that never closes', nativeIdentity: '2' },
    ])
  })

  it('takes a quote inside an unquoted field as text, without swallowing the next rows', async () => {
    const r = await readDelimitedFile(
      source(),
      file('id,name,groups\n1,Jo "JJ" Smith,g\n2,O"Brien,g\n3,C,g\n'),
    )
    expect(r.errors).toEqual([])
    expect(r.accounts.map((a) => a.displayName)).toEqual(['Jo "JJ" Smith', 'O"Brien', 'C'])
  })

  it('reads CR-only and mixed line endings as lines, with their numbers', async () => {
    const r = await readDelimitedFile(source(), file('id,name,groups\r1,A,g\r2,B\r\n3,C,g\n4,D,g\r'))
    expect(ids(r)).toEqual(['1', '3', '4'])
    expect(r.errors).toEqual([{ line: 3, message: 'expected 3 columns, found 2', nativeIdentity: '2' }])
  })

  it('keeps the account whose id a stray delimiter split, and names a trailing delimiter', async () => {
    const r = await readDelimitedFile(source(), file('id,name,groups\n10,01,A,g\n2,B,g,\n3,C,g\n'))
    expect(ids(r)).toEqual(['3'])
    expect(r.errors[0]).toMatchObject({ line: 2, message: 'expected 3 columns, found 4' })
    expect([r.errors[0]?.nativeIdentity, ...(r.errors[0]?.otherIds ?? [])]).toContain('1001')
    expect(r.errors[1]).toMatchObject({
      line: 3,
      message: 'expected 3 columns, found 4 (the row ends with a delimiter)',
      nativeIdentity: '2',
    })
  })

  it('drops a byte-order mark whatever the encoding', async () => {
    const bom = Buffer.from([0xef, 0xbb, 0xbf])
    for (const encoding of ['utf8', 'latin1']) {
      const r = await readDelimitedFile(
        source({ encoding }),
        file(Buffer.concat([bom, Buffer.from('id,name,groups\n1,A,g\n')])),
      )
      expect(r.accounts).toEqual([
        { nativeIdentity: '1', displayName: 'A', attributes: { id: '1', name: 'A', groups: ['g'] } },
      ])
    }
  })

  it('stops on a header with two columns of one name, naming both', async () => {
    await expect(readDelimitedFile(source(), file('id,name,groups,name\n1,A,g,B\n'))).rejects.toThrow(
      /x\.csv:1: columns 2 and 4 are both named "name"/,
    )
    await expect(readDelimitedFile(source(), file('id,"name\nx",groups\n1,A,g\n'))).rejects.toThrow(
      /x\.csv:1: the header: column 2: a quoted field runs over lines 1-2/,
    )
    await expect(readDelimitedFile(source(), file('\n\n'))).rejects.toThrow(/empty/)
  })

  it('reports bytes that are not valid UTF-8 with the line and a hint, instead of reading U+FFFD', async () => {
    const latin1 = Buffer.from('id,name,groups\n1,A,g\n2,Jos\xe9,g\n3,C,g\n', 'latin1')
    const r = await readDelimitedFile(source(), file(latin1))
    expect(ids(r)).toEqual(['1', '3'])
    expect(r.errors).toEqual([
      {
        line: 3,
        message:
          'line 3 is not valid utf8 (byte 6 of the line is 0xE9); ' +
          'if the file is in another encoding, set connectorAttributes.encoding (e.g. latin1)',
        nativeIdentity: '2',
      },
    ])
    const asLatin1 = await readDelimitedFile(source({ encoding: 'latin1' }), file(latin1))
    expect(asLatin1.errors).toEqual([])
    expect(asLatin1.accounts[1]?.displayName).toBe('José')
  })

  it('refuses a field longer than maxFieldLength, naming its line and column', async () => {
    const long = 'x'.repeat(101)
    const r = await readDelimitedFile(
      source({ maxFieldLength: 100 }),
      file(`id,name,groups\n1,${long},g\n2,B,g\n`),
    )
    expect(ids(r)).toEqual(['2'])
    expect(r.errors).toEqual([
      {
        line: 2,
        message: 'column 2 ("name") has 101 characters, more than maxFieldLength (100)',
        nativeIdentity: '1',
      },
    ])
    expect(ids(await readDelimitedFile(source(), file(`id,name,groups\n1,${long},g\n`)))).toEqual(['1'])
  })

  it('refuses a NUL character, which the store cannot hold, naming its line and column', async () => {
    const r = await readDelimitedFile(source(), file('id,name,groups\n1,A\u0000B,g\n2,B,g\n3\u0000,C,g\n'))
    expect(ids(r)).toEqual(['2'])
    expect(r.errors).toEqual([
      {
        line: 2,
        message: 'column 2 ("name") holds a NUL character (\\0) at position 2, which the store cannot hold',
        nativeIdentity: '1',
      },
      {
        line: 4,
        message: 'column 1 ("id") holds a NUL character (\\0) at position 2, which the store cannot hold',
      },
    ])
  })
})
