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

function file(text: string): string {
  const path = join(tempDir(), 'x.csv')
  writeFileSync(path, text)
  return path
}

describe('readDelimitedFile', () => {
  it('reads quoted, multi-line and multi-valued cells with the configured delimiter and quote', async () => {
    const r = await readDelimitedFile(
      source({ delimiter: ';', quoteChar: "'", multiValueDelimiter: ',' }),
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
      source(),
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
      source(),
      file('id,name,groups\n1,"Ann",g\n2,"Bo"b,g\n3,Cy,g\n\n4,"Ed\nmulti",g\n5,"unclosed,g\n6,Fa,g\n'),
    )
    expect(r.accounts.map((a) => [a.nativeIdentity, a.displayName])).toEqual([
      ['1', 'Ann'],
      ['3', 'Cy'],
      ['4', 'Ed\nmulti'],
      ['6', 'Fa'],
    ])
    expect(r.errors.map((e) => e.line)).toEqual([3, 8])
    expect(r.errors[0]?.message).toMatch(/malformed quotes/)
  })

  it('stops on a file without the account-id column', async () => {
    await expect(readDelimitedFile(source(), file('name,groups\nA,g\n'))).rejects.toThrow(
      /header has no "id" column/,
    )
    await expect(readDelimitedFile(source(), file(''))).rejects.toThrow(/empty/)
  })
})
